package io.cpra.actions;

import io.cpra.config.ActionTarget;
import io.cpra.config.Header;
import io.cpra.notify.BoundedHttp;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;

/** Calls the target URL (method, headers, body); any 2xx answer is success. */
final class WebhookAction implements Attempt {

    private static final int OUTPUT_LIMIT = 4096;

    private final HttpClient client;
    private final HttpRequest request;
    private final long timeoutNanos;

    WebhookAction(HttpClient client, ActionTarget.Webhook target, long timeoutNanos) {
        this.client = client;
        this.timeoutNanos = timeoutNanos;
        String method = target.method() == null || target.method().isBlank() ? "POST" : target.method();
        String body = target.body() == null ? "" : target.body();
        HttpRequest.Builder builder = HttpRequest.newBuilder(target.url())
                .timeout(Duration.ofNanos(timeoutNanos))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (target.headers() != null) {
            for (Header h : target.headers()) {
                try {
                    builder.header(h.name(), h.value());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("webhook header " + h.name() + " cannot be set: " + e.getMessage());
                }
            }
        }
        this.request = builder.build();
    }

    @Override
    public Outcome run(ActionJob job) throws InterruptedException {
        try {
            BoundedHttp.Response response = BoundedHttp.exchange(client, request, timeoutNanos, OUTPUT_LIMIT);
            return response.ok() ? Outcome.ok(response.body()) : Outcome.failed("status " + response.status(), response.body());
        } catch (IOException e) {
            return Outcome.failed("request failed: " + e.getMessage(), "");
        }
    }
}
