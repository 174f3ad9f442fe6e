package io.cpra.notify;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import io.cpra.actions.ActionJob;
import io.cpra.actions.ActionResult;
import io.cpra.actions.Actions;
import io.cpra.config.ActionTarget;
import io.cpra.config.ActionType;
import io.cpra.config.Colour;
import io.cpra.config.Header;
import io.cpra.config.InterventionSpec;
import io.cpra.config.NotifierType;
import io.cpra.config.NotifyConfig;
import io.cpra.testing.HttpReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.cpra.notify.Alerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Drives failures through every notifier and action that holds a secret, against servers that echo
 * what they got, and checks that no secret reaches a log line (any logger, stack traces included), an
 * exception message, a give-up report or an action's error and output.
 */
class SecretsLeakTest {

    private static final String SLACK_TOKEN = "SlackHookT0kenAbCdEfGh1234";
    private static final String QUERY_TOKEN = "query-t0ken-4711";
    private static final String BEARER = "bearer-t0ken-0815";
    private static final String ROUTING_KEY = "R0UTING-KEY-9999";
    private static final String SMTP_PASSWORD = "smtp-pa55w0rd-42";
    private static final String ACTION_KEY = "action-key-1234";
    private static final String ACTION_HEADER = "action-header-5678";
    private static final String SCRIPT_PASSWORD = "script-pa55-9876";
    private static final List<String> ALL = List.of(SLACK_TOKEN, QUERY_TOKEN, BEARER, ROUTING_KEY, SMTP_PASSWORD,
            ACTION_KEY, ACTION_HEADER, SCRIPT_PASSWORD);

    @TempDir Path dir;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final List<AutoCloseable> closing = new ArrayList<>();

    SecretsLeakTest() {
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void tearDown() throws Exception {
        root.detachAppender(logs);
        for (AutoCloseable c : closing.reversed()) c.close();
    }

    private <T extends AutoCloseable> T closing(T c) {
        closing.add(c);
        return c;
    }

    @Test
    void failingNotifiersKeepTheirSecretsOutOfErrorsReportsAndLogs() throws Exception {
        HttpReceiver receiver = closing(new HttpReceiver());
        receiver.status = 500;
        receiver.echo = true;
        SmtpServer smtp = closing(new SmtpServer(null, "alerts", "right-password", "PLAIN LOGIN", false));
        List<NotifyConfig> destinations = List.of(
                new NotifyConfig.Slack(receiver.url("/services/T0000/B0000/" + SLACK_TOKEN)),
                new NotifyConfig.Webhook(receiver.url("/cpra?team=pay&token=" + QUERY_TOKEN),
                        List.of(new Header("Authorization", "Bearer " + BEARER))),
                new NotifyConfig.PagerDuty(receiver.url("/v2/enqueue"), ROUTING_KEY),
                new NotifyConfig.Email(List.of("oncall@example.com"), "cpra@example.com", "127.0.0.1", smtp.port(),
                        "alerts", SMTP_PASSWORD, false));
        Notifiers notifiers = closing(new Notifiers(Duration.ofSeconds(2)));

        for (NotifyConfig destination : destinations) {
            Throwable failure = catchThrowable(() -> notifiers.get(destination).send(alert("m", 1, Colour.RED, destination)));
            assertThat(failure).as(Notifiers.describe(destination)).isInstanceOf(IOException.class);
            assertNoSecretIn(failure);
        }
        assertThat(Secrets.mask("invalid_token " + SLACK_TOKEN + " for " + QUERY_TOKEN,
                destinations.subList(0, 2).stream().flatMap(d -> Notifiers.secrets(d).stream()).toList()))
                .as("a token echoed alone").isEqualTo("invalid_token **** for ****");
        assertThat(receiver.bodies()).as("the receiver did get the secrets it echoed")
                .anyMatch(b -> b.contains(ROUTING_KEY));

        DeliveryPolicy twoAttempts = new DeliveryPolicy(Duration.ofMillis(5), Duration.ofMillis(5), 2, 0, 4, 256, 100);
        AlertDispatcher dispatcher = new AlertDispatcher(notifiers::get, twoAttempts);
        closing(() -> dispatcher.close(Duration.ofSeconds(1)));
        for (NotifyConfig destination : destinations) dispatcher.submit(alert("m-" + Notifiers.typeOf(destination).key(), 1, Colour.RED, destination));
        for (NotifierType type : List.of(NotifierType.SLACK, NotifierType.WEBHOOK, NotifierType.PAGERDUTY, NotifierType.EMAIL))
            await().until(() -> dispatcher.counts(type).givenUp() == 1);

        List<String> reports = logs.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("given up")).toList();
        assertThat(reports).hasSize(4).anyMatch(r -> r.contains("slack answered 500: got **** Headers"))
                .anyMatch(r -> r.contains("webhook answered 500: got ****?**** Headers"))
                .anyMatch(r -> r.contains("535 5.7.8 authentication failed for alerts with ****"));
        assertNoSecretInLogs();
    }

    @Test
    void failingActionsKeepTheirSecretsOutOfResultsAndTheAudit() throws Exception {
        HttpReceiver receiver = closing(new HttpReceiver());
        receiver.status = 500;
        receiver.echo = true;
        Path script = dir.resolve("restart.sh");
        Files.writeString(script, "#!/bin/sh\necho \"login with $DB_PASSWORD failed\"\nexit 3\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Actions actions = closing(new Actions(Duration.ofMillis(5), Duration.ofSeconds(1), null));
        List<InterventionSpec> interventions = List.of(
                new InterventionSpec(ActionType.WEBHOOK, 1, 1, new ActionTarget.Webhook(receiver.url("/restart?key=" + ACTION_KEY),
                        "POST", List.of(new Header("X-Api-Key", ACTION_HEADER)), "{}", Duration.ofSeconds(2).toNanos())),
                new InterventionSpec(ActionType.SCRIPT, 0, 1, new ActionTarget.Script(script, List.of(),
                        Map.of("DB_PASSWORD", SCRIPT_PASSWORD), Duration.ofSeconds(5).toNanos())));
        for (InterventionSpec intervention : interventions) {
            CompletableFuture<ActionResult> done = new CompletableFuture<>();
            actions.prepare(intervention).start(new ActionJob(0, 1, 7, "checkout-api", 1, "REMEDIATING", null, 0), done::complete);
            ActionResult result = done.get(10, TimeUnit.SECONDS);
            assertThat(result.success()).isFalse();
            assertThat(result.output()).as("the secret was in the output, masked").contains(Secrets.MASK);
            for (String secret : ALL) {
                assertThat(result.error()).doesNotContain(secret);
                assertThat(result.output()).doesNotContain(secret);
            }
        }
        assertThat(logs.list).extracting(ILoggingEvent::getLoggerName).filteredOn("io.cpra.audit"::equals).hasSize(2);
        assertNoSecretInLogs();
    }

    private static void assertNoSecretIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause())
            for (String secret : ALL) assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
    }

    private void assertNoSecretInLogs() {
        assertThat(logs.list).isNotEmpty();
        for (ILoggingEvent event : logs.list) {
            StringBuilder text = new StringBuilder(event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
                for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) text.append('\n').append(frame);
            }
            for (String secret : ALL) assertThat(text.toString()).as(event.getLoggerName()).doesNotContain(secret);
        }
    }
}
