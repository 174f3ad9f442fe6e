package io.cpra.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** Destination settings, one record per notifier. Equal configs are equal records, so they can be shared. */
public sealed interface NotifyConfig {

    /** @param file the log file; null means standard output (v0.5 files carry {@code file: ""}) */
    record Log(Path file) implements NotifyConfig {}

    record Slack(URI hook) implements NotifyConfig {}

    record PagerDuty(URI url, String routingKey) implements NotifyConfig {
        public static final String DEFAULT_URL = "https://events.pagerduty.com/v2/enqueue";
    }

    record Webhook(URI url, List<Header> headers) implements NotifyConfig {}

    record Email(List<String> to, String from, String smtpHost, int smtpPort, String username,
                 String password, boolean starttls) implements NotifyConfig {}
}
