package io.cpra.notify;

import io.cpra.config.Header;
import io.cpra.config.NotifierType;
import io.cpra.config.NotifyConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSocketFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The notifier of each destination: one instance per distinct {@link NotifyConfig} (equal configs share
 * it, log files are compared by normalized absolute path), made by the provider of its type.
 */
public final class Notifiers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Notifiers.class);

    private final Map<NotifierType, Function<NotifyConfig, Notifier>> providers = new EnumMap<>(NotifierType.class);
    private final Map<NotifyConfig, Notifier> byConfig = new ConcurrentHashMap<>();

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /** @param timeout bound of one HTTP delivery (Slack, PagerDuty, webhook) and of each SMTP step (connect, read, write) */
    public Notifiers(Duration timeout) { this(timeout, null); }

    /** @param mailTls socket factory for STARTTLS, null for the JVM's default trust (tests bring their own) */
    Notifiers(Duration timeout, SSLSocketFactory mailTls) {
        providers.put(NotifierType.LOG, c -> new LogNotifier(((NotifyConfig.Log) c).file()));
        providers.put(NotifierType.SLACK, c -> http("slack", c, ((NotifyConfig.Slack) c).hook(), List.of(), timeout,
                AlertDocuments::slack));
        providers.put(NotifierType.PAGERDUTY, c -> {
            NotifyConfig.PagerDuty pd = (NotifyConfig.PagerDuty) c;
            URI url = pd.url() != null ? pd.url() : URI.create(NotifyConfig.PagerDuty.DEFAULT_URL);
            return http("pagerduty", c, url, List.of(), timeout, alert -> AlertDocuments.pagerDuty(pd.routingKey(), alert));
        });
        providers.put(NotifierType.WEBHOOK, c -> http("webhook", c, ((NotifyConfig.Webhook) c).url(),
                ((NotifyConfig.Webhook) c).headers(), timeout, AlertDocuments::webhook));
        providers.put(NotifierType.EMAIL, c -> new EmailNotifier((NotifyConfig.Email) c, timeout, mailTls));
    }

    private Notifier http(String name, NotifyConfig config, URI url, List<Header> headers, Duration timeout,
                          Function<Alert, byte[]> document) {
        return new HttpNotifier(name, http, url, headers, timeout, document, secrets(config));
    }

    /** Deliveries bounded to 10 s each (each SMTP step for email). */
    public Notifiers() { this(Duration.ofSeconds(10)); }

    /** Types this build can deliver to; the loader rejects the others. */
    public Set<NotifierType> supported() { return EnumSet.copyOf(providers.keySet()); }

    /** @throws IllegalArgumentException when this build has no notifier of that type */
    public Notifier get(NotifyConfig config) {
        return byConfig.computeIfAbsent(intern(config), c -> {
            Function<NotifyConfig, Notifier> provider = providers.get(typeOf(c));
            if (provider == null)
                throw new IllegalArgumentException("notifier " + typeOf(c).key() + " is not supported by this build");
            return provider.apply(c);
        });
    }

    private static NotifyConfig intern(NotifyConfig config) {
        if (config instanceof NotifyConfig.Log(var file) && file != null)
            return new NotifyConfig.Log(file.toAbsolutePath().normalize());
        return config;
    }

    public static NotifierType typeOf(NotifyConfig config) {
        return switch (config) {
            case NotifyConfig.Log l -> NotifierType.LOG;
            case NotifyConfig.Slack s -> NotifierType.SLACK;
            case NotifyConfig.PagerDuty p -> NotifierType.PAGERDUTY;
            case NotifyConfig.Webhook w -> NotifierType.WEBHOOK;
            case NotifyConfig.Email e -> NotifierType.EMAIL;
        };
    }

    /** A destination as it may appear in logs: no token-bearing URL part, no key. */
    public static String describe(NotifyConfig config) {
        return switch (config) {
            case NotifyConfig.Log(var file) -> "log " + (file == null ? "stdout" : file);
            case NotifyConfig.Slack(var hook) -> "slack " + origin(hook);
            case NotifyConfig.PagerDuty(var url, var key) -> "pagerduty " + origin(url);
            case NotifyConfig.Webhook(var url, var headers) -> "webhook " + origin(url);
            case NotifyConfig.Email e -> "email " + e.smtpHost() + ":" + EmailNotifier.port(e);
        };
    }

    /** The values of a destination that must never appear in logs or errors. */
    public static List<String> secrets(NotifyConfig config) {
        List<String> secrets = new ArrayList<>();
        switch (config) {
            case NotifyConfig.Log l -> { }
            case NotifyConfig.Slack(var hook) -> Secrets.addUri(secrets, hook);
            case NotifyConfig.PagerDuty(var url, var key) -> {
                Secrets.addUri(secrets, url);
                secrets.add(key);
            }
            case NotifyConfig.Webhook(var url, var headers) -> {
                Secrets.addUri(secrets, url);
                Secrets.addHeaders(secrets, headers);
            }
            case NotifyConfig.Email e -> secrets.add(e.password());
        }
        return secrets;
    }

    static String origin(URI uri) {
        if (uri == null) return "?";
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    @Override
    public void close() {
        for (Notifier notifier : byConfig.values()) {
            if (notifier instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    log.warn("closing a notifier failed: {}", e.toString());
                }
            }
        }
        byConfig.clear();
        http.shutdownNow();
    }
}
