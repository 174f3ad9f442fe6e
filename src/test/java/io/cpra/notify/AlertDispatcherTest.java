package io.cpra.notify;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cpra.config.Colour;
import io.cpra.config.NotifierType;
import io.cpra.config.NotifyConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static io.cpra.notify.Alerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AlertDispatcherTest {

    private static final DeliveryPolicy FAST =
            new DeliveryPolicy(Duration.ofMillis(10), Duration.ofMillis(40), 10, 0.2, 4, 256);
    private static final NotifyConfig HOOK_A = new NotifyConfig.Webhook(URI.create("http://127.0.0.1:1/a"), List.of());
    private static final NotifyConfig HOOK_B = new NotifyConfig.Webhook(URI.create("http://127.0.0.1:1/b"), List.of());

    @TempDir Path dir;
    private final List<AlertDispatcher> dispatchers = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void tearDown() {
        release.countDown();
        dispatchers.forEach(d -> d.close(Duration.ofSeconds(1)));
    }

    private AlertDispatcher dispatcher(Function<NotifyConfig, Notifier> notifiers, DeliveryPolicy policy) {
        AlertDispatcher dispatcher = new AlertDispatcher(notifiers, policy);
        dispatchers.add(dispatcher);
        return dispatcher;
    }

    /** Records delivered alerts; fails the first {@code failures} attempts of each alert listed in it. */
    private static final class Receiver implements Notifier {
        final List<Alert> delivered = new CopyOnWriteArrayList<>();
        final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();
        volatile long sendMillis;
        /** Every send fails while set, as against a dead receiver. */
        volatile boolean down;

        Receiver failFirst(String monitor, long sequence, int failures) {
            failuresLeft.put(monitor + "#" + sequence, new AtomicInteger(failures));
            return this;
        }

        @Override
        public void send(Alert alert) throws Exception {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            calls.incrementAndGet();
            try {
                if (sendMillis > 0) Thread.sleep(sendMillis);
                if (down) throw new java.io.IOException("connection refused");
                AtomicInteger left = failuresLeft.get(alert.monitor() + "#" + alert.sequence());
                if (left != null && left.getAndDecrement() > 0)
                    throw new java.io.IOException("status 503 from http://127.0.0.1:1/a");
                delivered.add(alert);
            } finally {
                running.decrementAndGet();
            }
        }

        List<Long> sequencesOf(String monitor) {
            return delivered.stream().filter(a -> a.monitor().equals(monitor)).map(Alert::sequence).toList();
        }
    }

    @Test
    void keepsOrderPerMonitorWhileRetryingAndOtherMonitorsGoOn() {
        Receiver receiver = new Receiver().failFirst("a", 1, 3).failFirst("a", 3, 2);
        AlertDispatcher dispatcher = dispatcher(c -> receiver, FAST);
        Colour[] colours = {Colour.YELLOW, Colour.RED, Colour.GREEN, Colour.GRAY, Colour.YELLOW};
        for (int i = 1; i <= 5; i++) {
            dispatcher.submit(alert("a", i, colours[i - 1], HOOK_A));
            dispatcher.submit(alert("b", i, colours[i - 1], HOOK_A));
        }
        await().until(() -> receiver.delivered.size() == 10);
        assertThat(receiver.sequencesOf("a")).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(receiver.sequencesOf("b")).containsExactly(1L, 2L, 3L, 4L, 5L);
        // b never waited for a's retries: all of b went out before a's first alert did
        assertThat(receiver.delivered.indexOf(receiver.delivered.stream().filter(x -> x.monitor().equals("a")).findFirst().orElseThrow()))
                .isGreaterThan(receiver.delivered.indexOf(receiver.delivered.stream().filter(x -> x.monitor().equals("b") && x.sequence() == 5).findFirst().orElseThrow()));
        assertThat(dispatcher.counts(NotifierType.WEBHOOK)).isEqualTo(new DeliveryCounts(10, 5, 5, 0, 0, 0));
    }

    @Test
    void givesUpAfterMaxAttemptsLogsWithoutSecretsAndMovesOn() {
        ListAppender<ILoggingEvent> logs = capture();
        NotifyConfig slack = new NotifyConfig.Slack(URI.create("https://hooks.slack.com/services/T0/B0/SECRETXYZ"));
        Notifier leaky = alert -> {
            if (alert.sequence() == 1) throw new IllegalStateException("refused by " + slack);
        };
        Receiver receiver = new Receiver();
        DeliveryPolicy threeAttempts = new DeliveryPolicy(Duration.ofMillis(5), Duration.ofMillis(5), 3, 0, 4, 256);
        AlertDispatcher dispatcher = dispatcher(c -> alert -> { leaky.send(alert); receiver.send(alert); }, threeAttempts);
        dispatcher.submit(alert("a", 1, Colour.RED, slack));
        dispatcher.submit(alert("a", 2, Colour.GREEN, slack));
        await().until(() -> receiver.delivered.size() == 1);
        assertThat(receiver.sequencesOf("a")).containsExactly(2L);
        assertThat(dispatcher.counts(NotifierType.SLACK)).isEqualTo(new DeliveryCounts(1, 3, 2, 1, 0, 0));
        assertThat(logs.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .contains("given up after 3 attempts", "monitor=a", "colour=red", "sequence=1", "notifier=slack",
                        "destination=slack https://hooks.slack.com", "refused by")
                .doesNotContain("SECRETXYZ", "/services/");
    }

    @Test
    void aFailingDestinationOpensItsBreakerHoldsItsAlertsWithoutGivingUpAndProbesUntilItWorks() {
        Receiver failing = new Receiver();
        failing.down = true;
        Receiver other = new Receiver();
        // 3 attempts would give every alert up within ~60 ms if the breaker did not hold them
        DeliveryPolicy policy = new DeliveryPolicy(Duration.ofMillis(20), Duration.ofMillis(200), 3, 0, 4, 256, 3);
        AlertDispatcher dispatcher = dispatcher(c -> c.equals(HOOK_A) ? failing : other, policy);
        int monitors = 20;
        for (int seq = 1; seq <= 2; seq++)
            for (int m = 0; m < monitors; m++) dispatcher.submit(alert("m-" + m, seq, seq == 1 ? Colour.RED : Colour.GREEN, HOOK_A));
        await().until(() -> dispatcher.counts(NotifierType.WEBHOOK).openBreakers() == 1);
        await().until(() -> failing.calls.get() >= 8); // the first failures, then probes one at a time
        for (int m = 0; m < 10; m++) dispatcher.submit(alert("elsewhere-" + m, 1, Colour.RED, HOOK_B));
        await().until(() -> other.delivered.size() == 10); // one dead receiver slows nothing else

        DeliveryCounts whileDown = dispatcher.counts(NotifierType.WEBHOOK);
        assertThat(whileDown.givenUp()).isZero();
        assertThat(whileDown.failed()).isGreaterThanOrEqualTo(8)
                .as("held alerts are not attempted: not even one try per monitor").isLessThan(monitors);
        assertThat(whileDown.deferred()).isGreaterThanOrEqualTo(monitors);
        assertThat(failing.maxRunning.get()).isLessThanOrEqualTo(4);

        failing.down = false;
        await().until(() -> failing.delivered.size() == 2 * monitors);
        for (int m = 0; m < monitors; m++) assertThat(failing.sequencesOf("m-" + m)).containsExactly(1L, 2L);
        DeliveryCounts after = dispatcher.counts(NotifierType.WEBHOOK);
        assertThat(after.givenUp()).isZero();
        assertThat(after.openBreakers()).isZero();
        assertThat(after.sent()).isEqualTo(2L * monitors + 10);
    }

    @Test
    void closingMakesBackoffsDueAtOnceSoWaitingAndHeldAlertsStillGoOut() {
        Receiver receiver = new Receiver();
        receiver.down = true;
        // retries would wait 10 s and the breaker 30 s, far beyond the close timeout
        DeliveryPolicy slowProbes = new DeliveryPolicy(Duration.ofSeconds(10), Duration.ofSeconds(30), 10, 0, 4, 256, 3);
        AlertDispatcher dispatcher = dispatcher(c -> receiver, slowProbes);
        for (int m = 0; m < 5; m++) dispatcher.submit(alert("m-" + m, 1, Colour.RED, HOOK_A));
        await().until(() -> dispatcher.counts(NotifierType.WEBHOOK).openBreakers() == 1);
        int callsWhenOpened = receiver.calls.get();
        receiver.down = false;
        assertThat(dispatcher.close(Duration.ofSeconds(5))).isEmpty();
        assertThat(receiver.delivered).hasSize(5);
        assertThat(receiver.calls.get() - callsWhenOpened).isEqualTo(5);
        assertThat(dispatcher.counts(NotifierType.WEBHOOK).openBreakers()).isZero();
    }

    @Test
    void aDeadDestinationDelaysNothingElse() {
        Receiver receiver = new Receiver();
        Notifier dead = alert -> release.await();
        AlertDispatcher dispatcher = dispatcher(c -> c.equals(HOOK_A) ? dead : receiver, FAST);
        for (int i = 1; i <= 20; i++) dispatcher.submit(alert("dead-" + i, 1, Colour.RED, HOOK_A));
        for (int i = 1; i <= 50; i++) dispatcher.submit(alert("live-" + i, 1, Colour.RED, HOOK_B));
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.delivered.size() == 50);
    }

    @Test
    void boundsConcurrencyPerDestination() {
        Receiver receiver = new Receiver();
        receiver.sendMillis = 20;
        AlertDispatcher dispatcher = dispatcher(c -> receiver,
                new DeliveryPolicy(Duration.ofMillis(10), Duration.ofMillis(10), 3, 0, 2, 256));
        for (int i = 1; i <= 20; i++) dispatcher.submit(alert("m-" + i, 1, Colour.GRAY, HOOK_A));
        await().until(() -> receiver.delivered.size() == 20);
        assertThat(receiver.maxRunning.get()).isEqualTo(2);
    }

    @Test
    void closeFlushesPendingDeliveries() {
        Receiver receiver = new Receiver().failFirst("m-3", 1, 2);
        receiver.sendMillis = 5;
        AlertDispatcher dispatcher = dispatcher(c -> receiver, FAST);
        for (int i = 1; i <= 30; i++) dispatcher.submit(alert("m-" + (i % 5), i, Colour.YELLOW, HOOK_A));
        assertThat(dispatcher.close(Duration.ofSeconds(5))).isEmpty();
        assertThat(receiver.delivered).hasSize(30);
        for (int m = 0; m < 5; m++) assertThat(receiver.sequencesOf("m-" + m)).isSorted().hasSize(6);
    }

    @Test
    void closeReportsWhatCouldNotBeSentAndStopsAccepting() {
        ListAppender<ILoggingEvent> logs = capture();
        Receiver receiver = new Receiver();
        Notifier dead = alert -> release.await();
        AlertDispatcher dispatcher = dispatcher(c -> c.equals(HOOK_A) ? dead : receiver, FAST);
        dispatcher.submit(alert("stuck", 1, Colour.YELLOW, HOOK_A));
        dispatcher.submit(alert("stuck", 2, Colour.RED, HOOK_B));
        dispatcher.submit(alert("fine", 1, Colour.RED, HOOK_B));
        List<Alert> unsent = dispatcher.close(Duration.ofMillis(300));
        assertThat(unsent).extracting(Alert::monitor, Alert::sequence)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("stuck", 1L), org.assertj.core.groups.Tuple.tuple("stuck", 2L));
        assertThat(receiver.sequencesOf("fine")).containsExactly(1L);
        dispatcher.submit(alert("late", 1, Colour.RED, HOOK_B));
        assertThat(receiver.sequencesOf("late")).isEmpty();
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.contains("not sent before close timeout") && m.contains("monitor=stuck"))
                .anyMatch(m -> m.contains("not accepted") && m.contains("monitor=late"));
    }

    @Test
    void undispatchedCodesAreNotSent() {
        Receiver receiver = new Receiver();
        AlertDispatcher dispatcher = dispatcher(c -> receiver, FAST);
        Alert quiet = alert("a", 1, Colour.GREEN, HOOK_A);
        dispatcher.submit(new Alert("a", 1, Colour.GREEN, new io.cpra.config.CodeSpec(Colour.GREEN,
                NotifierType.WEBHOOK, false, HOOK_A, List.of(), 0), 1, null, null, null, quiet.epochMillis()));
        dispatcher.submit(alert("a", 2, Colour.GREEN, HOOK_A));
        await().until(() -> receiver.delivered.size() == 1);
        assertThat(dispatcher.close(Duration.ofSeconds(1))).isEmpty();
        assertThat(receiver.sequencesOf("a")).containsExactly(2L);
    }

    @Test
    void retriesARealLogFileUntilItCanBeWrittenInOrder() throws Exception {
        Path file = Alerts.blockedLogFile(dir);
        NotifyConfig config = new NotifyConfig.Log(file);
        try (Notifiers notifiers = new Notifiers()) {
            AlertDispatcher dispatcher = dispatcher(notifiers::get, FAST);
            for (int i = 1; i <= 4; i++) dispatcher.submit(alert("m", i, Colour.values()[i], config));
            dispatcher.submit(alert("other", 1, Colour.RED, new NotifyConfig.Log(dir.resolve("./x/../other.log"))));
            await().until(() -> dispatcher.counts(NotifierType.LOG).failed() >= 2);
            Files.delete(file.getParent());
            await().until(() -> dispatcher.counts(NotifierType.LOG).sent() == 5);
            assertThat(Files.readAllLines(file)).extracting(l -> l.replaceAll(".*\"job_id\":(\\d+).*", "$1"))
                    .containsExactly("41", "42", "43", "44");
            assertThat(Files.readAllLines(dir.resolve("other.log"))).hasSize(1);
        }
    }

    @Test
    void backoffDoublesUpToTheCapWithJitterTakenOff() {
        DeliveryPolicy policy = DeliveryPolicy.DEFAULT;
        assertThat(policy.backoffNanos(1, 0)).isEqualTo(Duration.ofSeconds(1).toNanos());
        assertThat(policy.backoffNanos(2, 0)).isEqualTo(Duration.ofSeconds(2).toNanos());
        assertThat(policy.backoffNanos(9, 0)).isEqualTo(Duration.ofSeconds(256).toNanos());
        assertThat(policy.backoffNanos(10, 0)).isEqualTo(Duration.ofMinutes(5).toNanos());
        assertThat(policy.backoffNanos(500, 0)).isEqualTo(Duration.ofMinutes(5).toNanos());
        assertThat(policy.backoffNanos(3, 0.5)).isEqualTo(Duration.ofMillis(3600).toNanos());
    }

    @Test
    void manyProducersIntoOneSharedLogFileKeepLinesWholeAndOrderedPerMonitor() throws Exception {
        Path file = dir.resolve("shared/alerts.log");
        int producers = 4, monitorsEach = 10, alertsEach = 50;
        try (Notifiers notifiers = new Notifiers()) {
            AlertDispatcher dispatcher = new AlertDispatcher(notifiers::get, FAST);
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int seq = 1; seq <= alertsEach; seq++)
                        for (int m = 0; m < monitorsEach; m++)
                            dispatcher.submit(alert("p" + producer + "-m" + m, seq, Colour.YELLOW, new NotifyConfig.Log(file)));
                }));
            }
            for (Thread t : threads) t.join();
            assertThat(dispatcher.close(Duration.ofSeconds(10))).isEmpty();
            assertThat(dispatcher.counts(NotifierType.LOG).sent()).isEqualTo(producers * monitorsEach * alertsEach);
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(producers * monitorsEach * alertsEach)
                .allMatch(l -> l.startsWith("{\"timestamp\"") && l.endsWith("\"error\":null}"));
        Map<String, List<Long>> jobIds = new java.util.TreeMap<>();
        for (String line : lines) {
            String monitor = line.replaceAll(".*\"monitor\":\"([^\"]+)\".*", "$1");
            long jobId = Long.parseLong(line.replaceAll(".*\"job_id\":(\\d+).*", "$1"));
            jobIds.computeIfAbsent(monitor, k -> new ArrayList<>()).add(jobId);
        }
        assertThat(jobIds).hasSize(producers * monitorsEach);
        jobIds.values().forEach(ids -> assertThat(ids).hasSize(alertsEach).isSorted().doesNotHaveDuplicates());
    }

    private static ListAppender<ILoggingEvent> capture() {
        Logger logger = (Logger) LoggerFactory.getLogger(AlertDispatcher.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        return appender;
    }
}
