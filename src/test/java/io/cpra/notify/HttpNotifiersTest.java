package io.cpra.notify;

import io.cpra.config.Colour;
import io.cpra.config.Header;
import io.cpra.config.NotifierType;
import io.cpra.config.NotifyConfig;
import io.cpra.testing.HttpReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.cpra.notify.Alerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class HttpNotifiersTest {

    private final HttpReceiver receiver = new HttpReceiver();
    private final Notifiers notifiers = new Notifiers(Duration.ofMillis(700));

    @AfterEach
    void tearDown() {
        notifiers.close();
        receiver.close();
    }

    @Test
    void slackGetsAnAttachmentWithTheColourBarAndFields() throws Exception {
        NotifyConfig slack = new NotifyConfig.Slack(receiver.url("/services/T0/B0/XYZ"));
        notifiers.get(slack).send(alert("checkout-api", 1, Colour.RED, slack, "inc-7", "status 503", null));
        notifiers.get(slack).send(alert("checkout-api", 2, Colour.CYAN, slack, "inc-7", null, "docker"));
        assertThat(receiver.requests).extracting(HttpReceiver.Request::method, HttpReceiver.Request::target)
                .containsOnly(org.assertj.core.groups.Tuple.tuple("POST", "/services/T0/B0/XYZ"));
        assertThat(receiver.requests.getFirst().header("Content-type")).isEqualTo("application/json");
        assertThat(receiver.bodies()).containsExactly("""
                {"attachments":[{"color":"#d50200","title":"checkout-api is FAILED","text":"checkout-api is down: status 503",\
                "fields":[{"title":"Monitor","value":"checkout-api","short":true},{"title":"Status","value":"FAILED","short":true},\
                {"title":"Error","value":"status 503","short":false},{"title":"Incident","value":"inc-7","short":true},\
                {"title":"Next steps","value":"investigate: no intervention configured","short":false}],"footer":"cpra","ts":1795345712}]}""",
                """
                {"attachments":[{"color":"#1fb2c4","title":"checkout-api is RESTORED","text":"intervention docker succeeded, verifying checkout-api",\
                "fields":[{"title":"Monitor","value":"checkout-api","short":true},{"title":"Status","value":"RESTORED","short":true},\
                {"title":"Incident","value":"inc-7","short":true},\
                {"title":"Next steps","value":"verify: waiting for healthy checks","short":false}],"footer":"cpra","ts":1795345712}]}""");
    }

    @Test
    void pagerDutyTriggersOnRedAndResolvesOnGreenWithTheIncidentAsDedupKey() throws Exception {
        NotifyConfig pd = new NotifyConfig.PagerDuty(receiver.url("/v2/enqueue"), "R0UTINGKEY");
        receiver.status = 202;
        Notifier notifier = notifiers.get(pd);
        notifier.send(alert("checkout-api", 1, Colour.RED, pd, "inc-7", "exit 3", "script"));
        notifier.send(alert("checkout-api", 2, Colour.GREEN, pd, "inc-7", null, "script"));
        assertThat(receiver.bodies()).containsExactly("""
                {"routing_key":"R0UTINGKEY","event_action":"trigger","dedup_key":"inc-7","payload":{\
                "summary":"checkout-api is down and intervention script did not restore it: exit 3","source":"checkout-api",\
                "severity":"critical","timestamp":"2026-11-22T11:08:32.123Z","custom_details":{"status":"FAILED",\
                "error":"exit 3","action":"script","next_steps":"investigate: intervention exhausted","job_id":41}}}""",
                """
                {"routing_key":"R0UTINGKEY","event_action":"resolve","dedup_key":"inc-7"}""");
    }

    @ParameterizedTest
    @EnumSource(value = Colour.class, names = {"YELLOW", "CYAN", "GRAY"})
    void pagerDutyTakesNoOtherColours(Colour colour) throws Exception {
        NotifyConfig pd = new NotifyConfig.PagerDuty(receiver.url("/v2/enqueue"), "R0UTINGKEY");
        notifiers.get(pd).send(alert("checkout-api", 1, colour, pd));
        assertThat(receiver.requests).isEmpty();
    }

    @Test
    void webhookGetsTheAlertFieldsAndItsHeaders() throws Exception {
        NotifyConfig hook = new NotifyConfig.Webhook(receiver.url("/cpra?x=1"),
                List.of(new Header("Authorization", "Bearer t0k3n"), new Header("X-Team", "payments")));
        notifiers.get(hook).send(alert("checkout-api", 3, Colour.GRAY, hook));
        HttpReceiver.Request request = receiver.requests.getFirst();
        assertThat(request.target()).isEqualTo("/cpra?x=1");
        assertThat(request.header("Authorization")).isEqualTo("Bearer t0k3n");
        assertThat(request.header("X-team")).isEqualTo("payments");
        assertThat(request.body()).isEqualTo("""
                {"timestamp":"2026-11-22T11:08:32.123Z","type":"code","monitor":"checkout-api","job_id":43,"color":"gray",\
                "status":"MAINTENANCE","severity":"info","summary":"checkout-api is MAINTENANCE","action":null,\
                "next_steps":"none: checks resume when the monitor is resumed","message":"checkout-api is paused, checks are suspended",\
                "incident_id":null,"error":null}""");
    }

    @Test
    void aNon2xxAnswerFailsWithoutTheUrl() {
        receiver.status = 404;
        receiver.answer = "no_service";
        NotifyConfig slack = new NotifyConfig.Slack(receiver.url("/services/T0/B0/XYZSECRET"));
        assertThatThrownBy(() -> notifiers.get(slack).send(alert("m", 1, Colour.RED, slack)))
                .isInstanceOf(UndeliverableException.class).hasMessage("slack answered 404: no_service");
        receiver.status = 429;
        receiver.answer = "";
        assertThatThrownBy(() -> notifiers.get(slack).send(alert("m", 1, Colour.RED, slack)))
                .isExactlyInstanceOf(IOException.class).hasMessage("slack answered 429");
    }

    @Test
    void aRejectedAlertIsGivenUpAtOnceAndTheMonitorMovesOn() {
        receiver.status = 400;
        receiver.answer = "invalid_payload";
        NotifyConfig slack = new NotifyConfig.Slack(receiver.url("/services/T0/B0/XYZ"));
        AlertDispatcher dispatcher = new AlertDispatcher(notifiers::get, DeliveryPolicy.DEFAULT);
        try {
            dispatcher.submit(alert("m", 1, Colour.RED, slack));
            await().until(() -> dispatcher.counts(NotifierType.SLACK).givenUp() == 1);
            receiver.status = 200;
            dispatcher.submit(alert("m", 2, Colour.GREEN, slack));
            await().until(() -> dispatcher.counts(NotifierType.SLACK).sent() == 1);
            assertThat(dispatcher.counts(NotifierType.SLACK)).isEqualTo(new DeliveryCounts(1, 1, 0, 1, 0, 0));
        } finally {
            dispatcher.close(Duration.ofSeconds(1));
        }
    }

    @Test
    void aHangingReceiverTimesOut() {
        receiver.hang = true;
        NotifyConfig hook = new NotifyConfig.Webhook(receiver.url("/slow"), List.of());
        long started = System.nanoTime();
        assertThatThrownBy(() -> notifiers.get(hook).send(alert("m", 1, Colour.RED, hook)))
                .isInstanceOf(IOException.class).hasMessageStartingWith("webhook request failed: ");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void equalConfigsShareOneNotifierAndLogPathsAreNormalized() {
        NotifyConfig hook = new NotifyConfig.Webhook(receiver.url("/a"), List.of());
        assertThat(notifiers.get(hook)).isSameAs(notifiers.get(new NotifyConfig.Webhook(receiver.url("/a"), List.of())));
        assertThat(notifiers.get(new NotifyConfig.Log(Path.of("/tmp/x/../cpra.log"))))
                .isSameAs(notifiers.get(new NotifyConfig.Log(Path.of("/tmp/cpra.log"))));
        assertThat(notifiers.supported()).containsExactlyInAnyOrder(NotifierType.values());
    }

    @Test
    void deliveryOverHttpKeepsOrderThroughFailuresAndADeadReceiverDelaysNoOther() throws Exception {
        try (HttpReceiver dead = new HttpReceiver()) {
            dead.hang = true;
            receiver.failFirst.set(2);
            AlertDispatcher dispatcher = new AlertDispatcher(notifiers::get,
                    new DeliveryPolicy(Duration.ofMillis(10), Duration.ofMillis(20), 5, 0.2, 4, 256));
            NotifyConfig live = new NotifyConfig.Webhook(receiver.url("/live"), List.of());
            NotifyConfig stuck = new NotifyConfig.Webhook(dead.url("/dead"), List.of());
            for (int i = 1; i <= 3; i++) dispatcher.submit(alert("stuck-" + i, 1, Colour.RED, stuck));
            Colour[] colours = {Colour.YELLOW, Colour.RED, Colour.CYAN, Colour.GREEN};
            for (int i = 0; i < colours.length; i++) dispatcher.submit(alert("checkout-api", i + 1, colours[i], live));
            await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.counts(NotifierType.WEBHOOK).sent() == 4);
            assertThat(receiver.bodies().stream().skip(2).map(b -> b.replaceAll(".*\"color\":\"(\\w+)\".*", "$1")))
                    .containsExactly("yellow", "red", "cyan", "green");
            assertThat(receiver.bodies().subList(0, 2)).allMatch(b -> b.contains("\"color\":\"yellow\""));
            assertThat(dispatcher.counts(NotifierType.WEBHOOK).retried()).isGreaterThanOrEqualTo(2);
            dispatcher.close(Duration.ofMillis(100));
        }
    }
}
