package io.cpra.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.cpra.actions.Actions;
import io.cpra.checks.NettyProbeFactory;
import io.cpra.config.Capabilities;
import io.cpra.config.LoadResult;
import io.cpra.config.MonitorLoader;
import io.cpra.config.NotifierType;
import io.cpra.engine.Clock;
import io.cpra.engine.Engine;
import io.cpra.engine.EngineSettings;
import io.cpra.notify.AlertDispatcher;
import io.cpra.notify.DeliveryPolicy;
import io.cpra.notify.Notifiers;
import io.cpra.testing.HttpReceiver;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dead alert receiver must cost the engine nothing: while every Slack delivery fails (closed port) and
 * alerts pile up behind retries and an open breaker, checks keep running at the rate they ran while it
 * was alive, measured in the same run.
 */
class DeadReceiverTest {

    private static final int MONITORS = 100;
    private static final long INTERVAL_MILLIS = 200;
    private static final long WINDOW_MILLIS = 2_500;

    @TempDir
    Path dir;

    private static long checksDuring(Engine engine) throws InterruptedException {
        long before = engine.stats().checksCompleted();
        Thread.sleep(WINDOW_MILLIS);
        return engine.stats().checksCompleted() - before;
    }

    @Test
    void checksKeepTheirScheduleWhileEveryAlertDeliveryFails() throws Exception {
        HttpServer endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        endpoint.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        AtomicLong requests = new AtomicLong();
        endpoint.createContext("/flap", ex -> { // alternates: every monitor goes red, green, red, ...
            int status = requests.incrementAndGet() % 2 == 0 ? 200 : 503;
            ex.sendResponseHeaders(status, 2);
            try (OutputStream out = ex.getResponseBody()) {
                out.write("ok".getBytes());
            }
        });
        endpoint.start();
        HttpReceiver slack = new HttpReceiver();
        int slackPort = slack.url("/").getPort();
        Path file = dir.resolve("monitors.yaml");
        StringBuilder yaml = new StringBuilder("""
                x-codes: &codes
                  red:   {notify: slack, config: {hook: "http://127.0.0.1:%d/hook"}}
                  green: {notify: slack, config: {hook: "http://127.0.0.1:%d/hook"}}
                monitors:
                """.formatted(slackPort, slackPort));
        for (int i = 0; i < MONITORS; i++) {
            yaml.append("  - {name: m%d, codes: *codes, pulse_check: {type: http, interval: %dms, timeout: 150ms, healthy_threshold: 1, config: {url: \"http://127.0.0.1:%d/flap\"}}}\n"
                    .formatted(i, INTERVAL_MILLIS, endpoint.getAddress().getPort()));
        }
        Files.writeString(file, yaml);

        DeliveryPolicy fastRetries = new DeliveryPolicy(Duration.ofMillis(20), Duration.ofMillis(200), 1_000, 0.2, 4, 256);
        try (Notifiers notifiers = new Notifiers(Duration.ofMillis(200));
             NettyProbeFactory probes = new NettyProbeFactory();
             Actions actions = new Actions()) {
            AlertDispatcher alerts = new AlertDispatcher(notifiers::get, fastRetries);
            Engine engine = new Engine(EngineSettings.DEFAULTS, Clock.SYSTEM, probes, actions, alerts);
            LoadResult loaded = MonitorLoader.load(List.of(file), Capabilities.ALL, engine::add);
            assertThat(loaded.errors()).isEmpty();
            engine.start();
            try {
                Thread.sleep(1_000); // every monitor scheduled, alerts flowing
                long alive = checksDuring(engine);
                long sentWhileAlive = alerts.counts(NotifierType.SLACK).sent();
                slack.close(); // the receiver dies: connection refused from now on
                Thread.sleep(500);
                long failedBefore = alerts.counts(NotifierType.SLACK).failed();
                long sentAtDeath = alerts.counts(NotifierType.SLACK).sent();
                long dead = checksDuring(engine);

                assertThat(sentWhileAlive).as("delivered while the receiver lived").isPositive();
                assertThat(alerts.counts(NotifierType.SLACK).sent()).as("nothing delivered once dead").isEqualTo(sentAtDeath);
                assertThat(alerts.counts(NotifierType.SLACK).failed()).as("deliveries tried and failed").isGreaterThan(failedBefore);
                assertThat(dead).as("checks in %d ms with the receiver dead vs %d alive", WINDOW_MILLIS, alive)
                        .isGreaterThanOrEqualTo(alive * 3 / 4);
            } finally {
                engine.stopDispatching();
                engine.awaitDrain(Duration.ofSeconds(5));
                engine.close();
                alerts.close(Duration.ZERO);
                endpoint.stop(0);
                slack.close();
            }
        }
    }
}
