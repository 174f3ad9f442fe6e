package io.cpra.engine;

import io.cpra.actions.Action;
import io.cpra.actions.ActionFactory;
import io.cpra.actions.ActionJob;
import io.cpra.actions.ActionResult;
import io.cpra.checks.CheckJob;
import io.cpra.checks.CheckSink;
import io.cpra.checks.Probe;
import io.cpra.checks.ProbeFactory;
import io.cpra.config.ActionTarget;
import io.cpra.config.Colour;
import io.cpra.config.InterventionSpec;
import io.cpra.config.MonitorSpec;
import io.cpra.config.PulseSpec;
import io.cpra.config.PulseTarget;
import io.cpra.notify.Alert;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Many monitors over a long virtual time with random outcomes, slow, late and lost results, pauses and
 * resumes, and slow or failing interventions. Whatever happens, the engine's invariants hold: nothing
 * pending past its deadline, one job in flight per monitor, one red per incident, alert streams that
 * follow the state machine, counters within their thresholds.
 */
class EngineRandomizedTest {

    private static final int MONITORS = 2_000;
    private static final Duration RUN_FOR = Duration.ofMinutes(5);
    private static final long MS = 1_000_000L;

    private final VirtualClock clock = new VirtualClock();
    private final List<Alert> alerts = new ArrayList<>();
    private final PriorityQueue<Later> later = new PriorityQueue<>();
    private final Map<String, LastJob> lastJob = new HashMap<>();
    private final Map<String, MonitorSpec> specs = new HashMap<>();
    private Random random;
    private CheckSink sink;

    /** A completion the test performs at a later virtual time. */
    private record Later(long at, long order, Runnable complete) implements Comparable<Later> {
        @Override
        public int compareTo(Later o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(order, o.order);
        }
    }

    /** The last check started for a monitor, to prove no second one starts while the engine waits for it. */
    private static final class LastJob {
        long deadline;
        boolean completed;
        boolean pausedSince;
    }

    private long laterOrder;

    private void completeLater(long delayNanos, Runnable complete) {
        later.add(new Later(clock.nanoTime() + delayNanos, laterOrder++, complete));
    }

    private final class RandomProbe implements Probe {
        final String monitor;
        final long budget;

        RandomProbe(String monitor, long budget) {
            this.monitor = monitor;
            this.budget = budget;
        }

        @Override
        public void start(CheckJob job, CheckSink engineSink) {
            sink = engineSink;
            LastJob last = lastJob.computeIfAbsent(monitor, m -> new LastJob());
            if (!last.completed && !last.pausedSince && clock.nanoTime() < last.deadline) {
                fail("%s: a second check started while the engine still waited for the first", monitor);
            }
            last.deadline = job.deadlineNanos;
            last.completed = false;
            last.pausedSince = false;
            int roll = random.nextInt(100);
            boolean success = random.nextInt(100) < 55;
            if (roll < 80) {
                finish(job, success, last);
            } else if (roll < 96) {
                long delay = (long) (random.nextDouble() * 2.2 * budget); // sometimes past the deadline
                completeLater(delay, () -> finish(job, success, last));
            } // else lost: never completes
        }

        private void finish(CheckJob job, boolean success, LastJob last) {
            job.success = success;
            job.error = success ? null : "refused";
            last.completed = true;
            sink.complete(job);
        }

        @Override
        public long budgetNanos() {
            return budget;
        }
    }

    private final ProbeFactory probes = new ProbeFactory() {
        @Override
        public Probe prepare(PulseSpec pulse) {
            return new RandomProbe(((PulseTarget.Tcp) pulse.target()).host(), pulse.timeoutNanos());
        }

        @Override
        public void close() {}
    };

    private final ActionFactory actions = new ActionFactory() {
        @Override
        public Action prepare(InterventionSpec spec) {
            return new Action() {
                @Override
                public void start(ActionJob job, Consumer<ActionResult> done) {
                    int roll = random.nextInt(100);
                    boolean success = random.nextInt(100) < 50;
                    ActionResult result = new ActionResult(job, success, success ? null : "restart failed", "", 1);
                    if (roll < 60) {
                        done.accept(result);
                    } else if (roll < 92) {
                        completeLater((long) (random.nextDouble() * 30_000 * MS), () -> done.accept(result));
                    } // else lost
                }

                @Override
                public long budgetNanos() {
                    return ((ActionTarget.Docker) spec.target()).timeoutNanos();
                }
            };
        }

        @Override
        public void close() {}
    };

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 42, 20261122})
    void invariantsHoldUnderRandomOutcomes(long seed) {
        random = new Random(seed);
        Engine engine = new Engine(EngineSettings.DEFAULTS.withMaxInFlight(256).withExpectedMonitors(MONITORS),
                clock, probes, actions, alerts::add);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < MONITORS; i++) {
            String name = "m" + i;
            Monitors m = Monitors.named(name)
                    .unhealthy(1 + random.nextInt(4))
                    .healthy(random.nextInt(4))
                    .interval(Duration.ofSeconds(List.of(1, 2, 5, 10).get(random.nextInt(4))))
                    .timeout(Duration.ofMillis(200 + random.nextInt(800)));
            if (random.nextBoolean()) m.intervention(1 + random.nextInt(3));
            if (random.nextInt(20) == 0) m.disabled();
            MonitorSpec spec = m.build();
            specs.put(name, spec);
            engine.add(spec);
            names.add(name);
        }

        long end = clock.nanoTime() + RUN_FOR.toNanos();
        List<String> pausedByTest = new ArrayList<>();
        for (int tick = 0; clock.nanoTime() < end; tick++) {
            clock.set(clock.nanoTime() + (1 + random.nextInt(100)) * MS);
            while (!later.isEmpty() && later.peek().at() <= clock.nanoTime()) later.poll().complete().run();
            if (random.nextInt(10) == 0) {
                String name = names.get(random.nextInt(MONITORS));
                if (!pausedByTest.isEmpty() && random.nextBoolean()) {
                    assertThat(engine.resume(pausedByTest.remove(random.nextInt(pausedByTest.size())))).isTrue();
                } else if (engine.pause(name)) {
                    pausedByTest.add(name);
                    LastJob last = lastJob.get(name);
                    if (last != null) last.pausedSince = true;
                }
            }
            engine.tick(clock.nanoTime());
            if (tick % 200 == 0) checkMonitors(engine, names);
        }
        checkMonitors(engine, names);
        checkAlertStreams();

        EngineStats stats = engine.stats();
        assertThat(stats.monitors()).isEqualTo(MONITORS);
        assertThat(stats.checksCompleted()).isGreaterThan(50_000);
        assertThat(stats.deadlinesExpired()).isPositive();
        assertThat(stats.staleDropped()).isPositive();
        assertThat(stats.inFlight()).isBetween(0, 256);
        assertThat(alerts.stream().map(Alert::colour).distinct()).containsExactlyInAnyOrder(Colour.values());
    }

    private void checkMonitors(Engine engine, List<String> names) {
        long now = clock.nanoTime();
        for (String name : names) {
            MonitorView v = engine.lookup(name);
            MonitorSpec spec = specs.get(name);
            int u = spec.pulse().unhealthyThreshold();
            int k = spec.pulse().recoveryThreshold();
            int m = spec.pulse().verifyThreshold();
            int a = spec.hasIntervention() ? spec.intervention().maxFailures() : 1;
            int pf = v.failures();
            int rs = v.successes();
            int vr = v.verifyLeft();
            int ia = v.failedRuns();
            check(!(v.checkInFlight() || v.runInFlight()) || v.deadlineNanos() > now, "pending past its deadline", v);
            check(!(v.checkInFlight() && v.runInFlight()), "a check and a run in flight", v);
            check(ia <= a, "IA <= A", v);
            switch (v.state()) {
                case UNKNOWN -> check(pf + rs == 0, "no result yet", v);
                case HEALTHY -> check(pf == 0, "PF = 0", v);
                case DEGRADED -> check(pf < u && rs < k, "PF < U, RS < K", v);
                case REMEDIATING -> check(ia < a && !v.checkInFlight(), "IA < A, no check while remediating", v);
                case VERIFYING -> check(vr >= 1 && vr <= m && ia < a, "1 <= VR <= M, IA < A", v);
                case UNHEALTHY -> check(rs < k && v.incidentId() != null, "RS < K, incident open", v);
                case PAUSED -> check(pf + rs + vr + ia == 0, "counters cleared", v);
            }
        }
    }

    private static void check(boolean invariant, String what, MonitorView v) {
        if (!invariant) fail("%s violated by %s", what, v);
    }

    /** Replays every monitor's alerts against the colour rules of LIFECYCLE.md. */
    private void checkAlertStreams() {
        Map<String, List<Alert>> byMonitor = new HashMap<>();
        for (Alert alert : alerts) byMonitor.computeIfAbsent(alert.monitor(), x -> new ArrayList<>()).add(alert);
        Set<String> incidents = new HashSet<>();
        byMonitor.forEach((monitor, stream) -> {
            boolean episode = false;
            boolean yellowSent = false;
            String incident = null;
            long sequence = 0;
            for (Alert alert : stream) {
                String where = monitor + " " + alert;
                assertThat(alert.sequence()).as(where).isEqualTo(++sequence);
                switch (alert.colour()) {
                    case YELLOW -> {
                        assertThat(yellowSent).as("one yellow per episode: %s", where).isFalse();
                        assertThat(incident).as(where).isNull();
                        episode = yellowSent = true;
                    }
                    case RED -> {
                        assertThat(incident).as("one red per incident: %s", where).isNull();
                        assertThat(alert.incidentId()).as(where).isNotNull();
                        assertThat(incidents.add(alert.incidentId())).as("incident ids are never reused: %s", where).isTrue();
                        incident = alert.incidentId();
                        episode = true;
                    }
                    case CYAN -> {
                        assertThat(episode && incident == null).as("cyan only inside an episode, before red: %s", where).isTrue();
                        assertThat(specs.get(monitor).hasIntervention()).as(where).isTrue();
                    }
                    case GREEN -> {
                        assertThat(episode).as("green only after yellow or red: %s", where).isTrue();
                        assertThat(alert.incidentId()).as(where).isEqualTo(incident);
                        episode = yellowSent = false;
                        incident = null;
                    }
                    case GRAY -> {
                        assertThat(alert.incidentId()).as(where).isEqualTo(incident);
                        episode = yellowSent = false;
                        incident = null;
                    }
                }
            }
        });
    }
}
