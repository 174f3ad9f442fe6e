package io.cpra.notify;

import io.cpra.config.Header;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * POSTs one JSON document per alert (Slack, PagerDuty, webhook differ only in the document); any 2xx
 * answer is delivered. The whole exchange is bounded by the timeout. Errors name the notifier and the
 * status, never the URL; an answer echoing a secret (the routing key of the body, say) is masked.
 */
final class HttpNotifier implements Notifier {

    private static final int ANSWER_LIMIT = 2048;
    private static final int ANSWER_EXCERPT = 200;

    private final String name;
    private final HttpClient client;
    private final URI url;
    private final List<Header> headers;
    private final long timeoutNanos;
    private final Function<Alert, byte[]> document;
    private final List<String> secrets;

    /**
     * @param document the JSON body of an alert, or null for alerts this destination does not take
     * @param secrets  values masked in error texts
     */
    HttpNotifier(String name, HttpClient client, URI url, List<Header> headers, Duration timeout,
                 Function<Alert, byte[]> document, List<String> secrets) {
        this.name = name;
        this.client = client;
        this.url = url;
        this.headers = headers == null ? List.of() : headers;
        this.timeoutNanos = timeout.toNanos();
        this.document = document;
        this.secrets = secrets;
    }

    @Override
    public void send(Alert alert) throws IOException, InterruptedException {
        byte[] body = document.apply(alert);
        if (body == null) return;
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofNanos(timeoutNanos))
                .header("Content-Type", "application/json")
                .header("User-Agent", "cpra")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (Header h : headers) request.header(h.name(), h.value());
        BoundedHttp.Response response;
        try {
            response = BoundedHttp.exchange(client, request.build(), timeoutNanos, ANSWER_LIMIT);
        } catch (IOException e) {
            throw new IOException(Secrets.mask(name + " request failed: " + e.getMessage(), secrets), e);
        }
        if (!response.ok()) {
            String answer = response.body().strip();
            if (answer.length() > ANSWER_EXCERPT) answer = answer.substring(0, ANSWER_EXCERPT) + "...";
            String error = Secrets.mask(name + " answered " + response.status() + (answer.isEmpty() ? "" : ": " + answer), secrets);
            throw retryable(response.status()) ? new IOException(error) : new UndeliverableException(error);
        }
    }

    /** 5xx, 408 (timeout) and 429 (rate limit) may pass; other answers reject the alert itself. */
    private static boolean retryable(int status) {
        return status >= 500 || status == 408 || status == 429 || status < 400;
    }
}
