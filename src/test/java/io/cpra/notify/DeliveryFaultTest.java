package io.cpra.notify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cpra.config.Colour;
import io.cpra.config.NotifierType;
import io.cpra.config.NotifyConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.cpra.notify.Alerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real webhook receiver that is down (port closed), then slow (answers after the notifier's timeout),
 * then answers 500, then healthy: every alert of every monitor arrives, in order per monitor, none given
 * up. A slow answer that timed out may have been taken by the receiver and is sent again (at least once),
 * so the received sequence of a monitor, with consecutive duplicates collapsed, equals the sent one.
 */
class DeliveryFaultTest {

    private enum Phase { SLOW, FAILING, HEALTHY }

    private static final Pattern MONITOR_AND_JOB = Pattern.compile("\"monitor\":\"([^\"]+)\",\"job_id\":(\\d+)");
    private static final Duration TIMEOUT = Duration.ofMillis(150);

    /** The receiver: what it took (answered 2xx, perhaps too late) per monitor, and how many requests it saw. */
    private static final class Receiver implements AutoCloseable {
        final Map<String, List<Long>> taken = new ConcurrentHashMap<>();
        final Map<Phase, AtomicInteger> requests = new ConcurrentHashMap<>();
        volatile Phase phase = Phase.SLOW;
        private final HttpServer server;

        Receiver(int port) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", this::handle);
            server.start();
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Phase now = phase;
                requests.computeIfAbsent(now, p -> new AtomicInteger()).incrementAndGet();
                if (now == Phase.FAILING) {
                    exchange.sendResponseHeaders(500, -1);
                    return;
                }
                Matcher m = MONITOR_AND_JOB.matcher(body);
                assertThat(m.find()).isTrue();
                taken.computeIfAbsent(m.group(1), k -> new CopyOnWriteArrayList<>()).add(Long.parseLong(m.group(2)) - 40);
                if (now == Phase.SLOW) Thread.sleep(TIMEOUT.toMillis() * 2);
                exchange.sendResponseHeaders(200, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        int requestsIn(Phase phase) { return requests.getOrDefault(phase, new AtomicInteger()).get(); }

        @Override
        public void close() { server.stop(0); }
    }

    @Test
    void everyAlertArrivesInOrderThroughDownSlowFailingAndHealthyPhases() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        NotifyConfig hook = new NotifyConfig.Webhook(URI.create("http://127.0.0.1:" + port + "/cpra?token=s3cr3t-t0ken"), List.of());
        // 3 attempts: without the breaker holding them, alerts would be given up in the first phase already
        DeliveryPolicy policy = new DeliveryPolicy(Duration.ofMillis(10), Duration.ofMillis(60), 3, 0.2, 4, 256);
        int monitors = 6;
        Colour[] colours = Colour.values();
        try (Notifiers notifiers = new Notifiers(TIMEOUT)) {
            AlertDispatcher dispatcher = new AlertDispatcher(notifiers::get, policy);
            AtomicInteger sequence = new AtomicInteger();
            Runnable raiseOneEach = () -> {
                int seq = sequence.incrementAndGet();
                for (int m = 0; m < monitors; m++)
                    dispatcher.submit(alert("m-" + m, seq, colours[(seq + m) % colours.length], hook));
            };
            try {
                // down: connection refused until the breaker opens
                raiseOneEach.run();
                raiseOneEach.run();
                await().until(() -> dispatcher.counts(NotifierType.WEBHOOK).openBreakers() == 1);
                raiseOneEach.run();
                try (Receiver receiver = new Receiver(port)) {
                    await().until(() -> receiver.requestsIn(Phase.SLOW) >= 2);
                    raiseOneEach.run();
                    receiver.phase = Phase.FAILING;
                    await().until(() -> receiver.requestsIn(Phase.FAILING) >= 2);
                    raiseOneEach.run();
                    receiver.phase = Phase.HEALTHY;
                    raiseOneEach.run();
                    List<Long> sent = new ArrayList<>();
                    for (long s = 1; s <= sequence.get(); s++) sent.add(s);
                    await().atMost(Duration.ofSeconds(10)).until(() -> receiver.taken.size() == monitors
                            && receiver.taken.values().stream().allMatch(seqs -> collapsed(seqs).equals(sent)));
                    // the receiver records an alert before it answers: the dispatcher counts it once the answer is in
                    long all = (long) monitors * sequence.get();
                    await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.counts(NotifierType.WEBHOOK).sent() >= all);
                    DeliveryCounts counts = dispatcher.counts(NotifierType.WEBHOOK);
                    assertThat(counts.givenUp()).isZero();
                    assertThat(counts.sent()).isEqualTo(all);
                    assertThat(counts.deferred()).isPositive();
                    assertThat(counts.openBreakers()).isZero();
                }
            } finally {
                assertThat(dispatcher.close(Duration.ofSeconds(1))).isEmpty();
            }
        }
    }

    private static List<Long> collapsed(List<Long> received) {
        List<Long> out = new ArrayList<>();
        for (Long s : received) if (out.isEmpty() || !out.getLast().equals(s)) out.add(s);
        return out;
    }
}
