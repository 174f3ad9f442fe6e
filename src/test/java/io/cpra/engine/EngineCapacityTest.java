package io.cpra.engine;

import io.cpra.checks.CheckJob;
import io.cpra.checks.CheckSink;
import io.cpra.checks.Probe;
import io.cpra.checks.ProbeFactory;
import io.cpra.config.PulseSpec;
import io.cpra.engine.capacity.CapacityPlan;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.cpra.engine.ScriptedProbes.Outcome.HOLD;
import static org.assertj.core.api.Assertions.assertThat;

/** The capacity plan as the dispatch limit, the watermarks of the ready and results queues, and fairness. */
class EngineCapacityTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;

    /** Checks that take a fixed service time on the virtual clock; counts checks in flight per monitor. */
    private static final class TimedProbes implements ProbeFactory {
        final VirtualClock clock;
        long serviceNanos;
        final List<CheckJob> held = new ArrayList<>();
        /** When each held job completes: its start plus the service time when it started. */
        final List<Long> doneAt = new ArrayList<>();
        final Map<Integer, Integer> inFlightBySlot = new HashMap<>();
        int mostInFlightForOneMonitor;
        CheckSink sink;

        TimedProbes(VirtualClock clock, long serviceNanos) {
            this.clock = clock;
            this.serviceNanos = serviceNanos;
        }

        final Probe probe = new Probe() {
            @Override
            public void start(CheckJob job, CheckSink engineSink) {
                sink = engineSink;
                held.add(job);
                doneAt.add(clock.nanoTime() + serviceNanos);
                int n = inFlightBySlot.merge(job.slot, 1, Integer::sum);
                mostInFlightForOneMonitor = Math.max(mostInFlightForOneMonitor, n);
            }

            @Override
            public long budgetNanos() {
                return 5 * S;
            }
        };

        /** Hands back every job whose service time is over. */
        void completeDue() {
            for (int i = held.size() - 1; i >= 0; i--) {
                if (doneAt.get(i) > clock.nanoTime()) continue;
                CheckJob job = held.remove(i);
                doneAt.remove(i);
                inFlightBySlot.merge(job.slot, -1, Integer::sum);
                job.success = true;
                sink.complete(job);
            }
        }

        @Override
        public Probe prepare(PulseSpec pulse) {
            return probe;
        }

        @Override
        public void close() {}
    }

    @Test
    void theDispatchLimitFollowsTheCapacityPlan() {
        VirtualClock clock = new VirtualClock();
        TimedProbes probes = new TimedProbes(clock, 50 * MS);
        EngineSettings settings = EngineSettings.DEFAULTS.withMaxInFlight(4_096)
                .withCapacityPlan(Duration.ofMillis(1), Duration.ofSeconds(1));
        Engine engine = new Engine(settings, clock, probes, null, alert -> { });
        for (int i = 0; i < 2_000; i++) engine.add(Monitors.named("m" + i).interval(Duration.ofSeconds(1)).build());
        assertThat(engine.stats().dispatchLimit()).as("no load measured yet: the whole pool").isEqualTo(4_096);

        // 2,000 checks/s of 50 ms each: a = 100 busy on average
        int mostInFlight = run(engine, clock, probes, 10 * S);
        EngineStats stats = engine.stats();
        CapacityPlan plan = stats.plan();
        assertThat(plan.idle()).isFalse();
        assertThat(plan.arrivalRate()).isCloseTo(2_000, org.assertj.core.api.Assertions.within(100.0));
        assertThat(plan.offeredLoad()).isCloseTo(100, org.assertj.core.api.Assertions.within(6.0));
        assertThat(plan.servers()).isBetween(101, 100 + 4 * 10);
        assertThat(stats.dispatchLimit()).isEqualTo(plan.servers()).isEqualTo(engine.capacityPlan().servers());
        assertThat(mostInFlight).isLessThanOrEqualTo(4_096);

        // the service time quadruples: the next plans raise the limit, and each one is applied
        probes.serviceNanos = 200 * MS;
        int before = stats.dispatchLimit();
        run(engine, clock, probes, 10 * S);
        stats = engine.stats();
        assertThat(stats.dispatchLimit()).isEqualTo(stats.plan().servers()).isGreaterThan(before + 100);

        // the checks suddenly hang for 3 s: the limit caps them and due monitors wait, but only for half the
        // late tolerance; then the limit gives way to the whole pool until the next plan
        probes.serviceNanos = 50 * MS;
        run(engine, clock, probes, 3 * S);
        long lastPlan = engine.stats().plan().computedAtNanos();
        while (engine.stats().plan().computedAtNanos() == lastPlan) run(engine, clock, probes, MS); // just planned
        stats = engine.stats();
        assertThat(stats.waiting()).isZero();
        probes.serviceNanos = 3 * S;
        int limit = stats.dispatchLimit();
        assertThat(limit).isLessThan(4_096);
        long hangStart = clock.nanoTime();
        long halfTolerance = settings.lateToleranceNanos() / 2;
        boolean capped = false;
        while (clock.nanoTime() < hangStart + 5 * halfTolerance) {
            clock.advance(Duration.ofMillis(1));
            probes.completeDue();
            engine.tick(clock.nanoTime());
            EngineStats now = engine.stats();
            if (now.dispatchLimit() == limit && now.inFlight() == limit && now.waiting() > 0) capped = true;
        }
        assertThat(capped).as("the plan's limit held checks back").isTrue();
        assertThat(engine.stats().plan().computedAtNanos()).as("no new plan meanwhile").isLessThanOrEqualTo(hangStart);
        assertThat(engine.stats().dispatchLimit()).isEqualTo(4_096);
        assertThat(engine.stats().inFlight()).isGreaterThan(limit);
        assertThat(engine.stats().lateness().since(stats.lateness()).max()).isLessThan(halfTolerance + 2 * MS);
        // the next plan, with nobody waiting, applies again
        long nextPlan = stats.plan().computedAtNanos() + S;
        run(engine, clock, probes, nextPlan + 10 * MS - clock.nanoTime());
        assertThat(engine.stats().plan().computedAtNanos()).isGreaterThanOrEqualTo(nextPlan);
        assertThat(engine.stats().dispatchLimit()).isEqualTo(engine.stats().plan().servers());
        assertThat(probes.mostInFlightForOneMonitor).isEqualTo(1);
        assertThat(engine.stuck()).isZero();
    }

    /** Ticks every millisecond for {@code nanos}; returns the most checks in flight seen. */
    private static int run(Engine engine, VirtualClock clock, TimedProbes probes, long nanos) {
        long end = clock.nanoTime() + nanos;
        int most = 0;
        while (clock.nanoTime() < end) {
            clock.advance(Duration.ofMillis(1));
            probes.completeDue();
            engine.tick(clock.nanoTime());
            most = Math.max(most, probes.held.size());
            int limit = engine.stats().dispatchLimit();
            assertThat(probes.held.size()).as("in flight within the limit").isLessThanOrEqualTo(Math.max(limit, most));
        }
        return most;
    }

    @Test
    void atTheReadyHighWatermarkDueMonitorsWaitInTheScheduleUnchangedAndAreServedOldestDueFirst() {
        Harness h = new Harness(EngineSettings.DEFAULTS.withMaxInFlight(2).withReadyHighWatermark(4));
        List<String> names = IntStream.range(0, 12).mapToObj(i -> "m" + i).toList();
        for (String n : names) h.add(Monitors.named(n).interval(Duration.ofSeconds(10)).timeout(Duration.ofMinutes(1)));
        for (String n : names) h.probe(n).otherwise = HOLD;
        Map<String, Long> firstDue = new HashMap<>();
        for (String n : names) firstDue.put(n, h.view(n).nextDueNanos());
        List<String> byDue = names.stream().sorted(Comparator.comparingLong(firstDue::get)).toList();

        // ten virtual seconds in 100 ms steps: every monitor falls due once; two are in flight
        List<Integer> waiting = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            h.clock.advance(Duration.ofMillis(100));
            h.tick();
            waiting.add(h.stats().waiting());
        }
        EngineStats stats = h.stats();
        assertThat(stats.watermarkPauses()).isEqualTo(1);
        assertThat(stats.waiting()).isEqualTo(4);
        assertThat(waiting).allMatch(w -> w <= 4);
        // the six held back are still scheduled at their first due time: nothing was skipped or re-filed
        List<String> heldBack = byDue.subList(6, 12);
        for (String n : heldBack) {
            MonitorView v = h.view(n);
            assertThat(v.checkInFlight()).isFalse();
            assertThat(v.nextDueNanos()).isEqualTo(firstDue.get(n)).isLessThan(h.clock.nanoTime());
        }
        assertThat(stats.missed()).isZero();

        // releasing the checks two at a time serves every monitor once, oldest due first
        while (h.probes.startOrder.size() < names.size()) {
            int started = h.probes.startOrder.size();
            for (String n : h.probes.startOrder.subList(started - 2, started)) h.probe(n).release(true);
            h.tick();
            h.tick();
        }
        assertThat(h.probes.startOrder).containsExactlyElementsOf(byDue);
        assertThat(h.stats().lateness().count()).isEqualTo(12);
        assertThat(h.stats().lateness().max()).isGreaterThan(h.stats().lateness().percentile(0.5));
        assertThat(h.engine.stuck()).isZero();
    }

    @Test
    void atTheResultsHighWatermarkDispatchPausesUntilTheEngineCatchesUp() {
        // a pool of 1,024 has a results queue of 2,048: dispatch pauses at 512 results waiting, resumes at 128
        Harness h = new Harness(EngineSettings.DEFAULTS.withMaxInFlight(1_024));
        List<String> names = IntStream.range(0, 1_000).mapToObj(i -> "m" + i).toList();
        for (String n : names) h.add(Monitors.named(n).interval(Duration.ofSeconds(1)));
        h.clock.advance(Duration.ofSeconds(1)); // all due; the probes complete inline into the results queue
        h.tick();
        EngineStats stats = h.stats();
        assertThat(stats.watermarkPauses()).isEqualTo(1);
        assertThat(stats.checksCompleted()).isEqualTo(512);
        assertThat(stats.waiting()).isEqualTo(488);
        h.tick();
        assertThat(h.stats().checksCompleted()).isEqualTo(1_000);
        assertThat(h.stats().waiting()).isZero();
        assertThat(h.probes.startOrder).doesNotHaveDuplicates().hasSize(1_000);
    }

    @Test
    void stuckCountsMonitorsPendingPastTheirDeadline() {
        Harness h = new Harness();
        h.add(Monitors.named("m").timeout(Duration.ofSeconds(1)));
        h.probe("m").otherwise = HOLD;
        h.runNextCheck("m");
        assertThat(h.view("m").checkInFlight()).isTrue();
        assertThat(h.engine.stuck()).isZero();
        h.clock.advance(Duration.ofSeconds(2)); // past the deadline, but no tick has passed it yet
        assertThat(h.engine.stuck()).isZero();
        h.tick(); // the tick expires it
        assertThat(h.engine.stuck()).isZero();
        assertThat(h.view("m").lastError()).isEqualTo(Engine.DEADLINE_EXCEEDED);
    }
}
