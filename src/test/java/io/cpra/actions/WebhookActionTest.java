package io.cpra.actions;

import io.cpra.config.ActionTarget;
import io.cpra.config.ActionType;
import io.cpra.config.Header;
import io.cpra.config.InterventionSpec;
import io.cpra.testing.HttpReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static io.cpra.actions.ActionRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookActionTest {

    private final HttpReceiver receiver = new HttpReceiver();
    private final Actions actions = new Actions(Duration.ofMillis(10), Duration.ofSeconds(1), null);

    @AfterEach
    void tearDown() {
        actions.close();
        receiver.close();
    }

    private static InterventionSpec call(URI url, String method, List<Header> headers, String body, Duration timeout, int retries) {
        return new InterventionSpec(ActionType.WEBHOOK, retries, 1, new ActionTarget.Webhook(url, method, headers, body, timeout.toNanos()));
    }

    @Test
    void sendsMethodHeadersAndBodyAndSucceedsOn2xx() throws Exception {
        receiver.status = 202;
        receiver.answer = "restarting";
        ActionResult result = run(actions.prepare(call(receiver.url("/restart/checkout"), "PUT",
                List.of(new Header("X-Reason", "cpra")), "{\"service\":\"checkout\"}", Duration.ofSeconds(2), 0)));
        assertThat(result.success()).isTrue();
        assertThat(result.output()).isEqualTo("restarting");
        HttpReceiver.Request request = receiver.requests.getFirst();
        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.target()).isEqualTo("/restart/checkout");
        assertThat(request.header("X-reason")).isEqualTo("cpra");
        assertThat(request.body()).isEqualTo("{\"service\":\"checkout\"}");
    }

    @Test
    void aFailingStatusIsRetriedAndReportedWithSecretsMasked() throws Exception {
        receiver.status = 500;
        receiver.answer = "bad token Bearer s3cr3t-t0k3n";
        ActionResult result = run(actions.prepare(call(receiver.url("/restart"), null,
                List.of(new Header("Authorization", "Bearer s3cr3t-t0k3n")), null, Duration.ofSeconds(2), 2)));
        assertThat(result.success()).isFalse();
        assertThat(result.error()).isEqualTo("status 500");
        assertThat(result.output()).isEqualTo("bad token ****");
        assertThat(receiver.requests).hasSize(3).allMatch(r -> r.method().equals("POST"));
    }

    @Test
    void aHangingServerFailsWithinTheTimeout() throws Exception {
        receiver.hang = true;
        long started = System.nanoTime();
        ActionResult result = run(actions.prepare(call(receiver.url("/restart?key=abcdef"), "POST", List.of(), "", Duration.ofMillis(400), 0)));
        assertThat(result.success()).isFalse();
        assertThat(result.error()).startsWith("request failed: ").doesNotContain("abcdef");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void rejectsHeadersTheClientCannotSend() {
        assertThatThrownBy(() -> actions.prepare(call(receiver.url("/x"), "POST", List.of(new Header("Host", "evil")), "", Duration.ofSeconds(1), 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("webhook header Host cannot be set: ");
    }
}
