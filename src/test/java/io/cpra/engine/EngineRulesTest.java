package io.cpra.engine;

import io.cpra.config.Colour;
import io.cpra.notify.Alert;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import static io.cpra.config.Colour.GRAY;
import static io.cpra.config.Colour.YELLOW;
import static io.cpra.engine.ScriptedProbes.Outcome.HOLD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules around the transition table: deadlines, one check in flight, schedule, back-pressure, pause. */
class EngineRulesTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;

    @Test
    void aCheckThatNeverCompletesFailsAtItsDeadlineAndItsLateResultIsDropped() {
        Harness h = new Harness();
        h.add(Monitors.worked("m").timeout(Duration.ofSeconds(1)));
        h.checks("m", HOLD);
        long deadline = h.clock.nanoTime() + S + EngineSettings.DEFAULTS.graceNanos();

        h.clock.set(deadline - 1);
        h.tick();
        assertThat(h.view("m").checkInFlight()).isTrue();
        assertThat(h.state("m")).isEqualTo(MonitorState.UNKNOWN);

        h.clock.set(deadline);
        h.tick();
        assertThat(h.view("m").checkInFlight()).isFalse();
        assertThat(h.state("m")).isEqualTo(MonitorState.DEGRADED);
        assertThat(h.alertsOf("m")).singleElement().satisfies(a -> {
            assertThat(a.colour()).isEqualTo(YELLOW);
            assertThat(a.error()).isEqualTo(Engine.DEADLINE_EXCEEDED);
        });
        assertThat(h.stats().deadlinesExpired()).isEqualTo(1);

        h.probe("m").release(true);
        h.tick();
        assertThat(h.stats().staleDropped()).isEqualTo(1);
        assertThat(h.view("m").failures()).isEqualTo(1);
        assertThat(h.state("m")).isEqualTo(MonitorState.DEGRADED);

        h.succeed("m", 2); // the pool got a fresh job for the abandoned one: checks go on
        assertThat(h.state("m")).isEqualTo(MonitorState.HEALTHY);
        assertThat(h.stats().inFlight()).isZero();
    }

    @Test
    void aDueTimeWhileTheCheckIsStillInFlightIsSkippedAndCountedAsMissed() {
        Harness h = new Harness();
        h.add(Monitors.worked("m").interval(Duration.ofSeconds(1)).timeout(Duration.ofSeconds(1)));
        h.checks("m", HOLD);
        long due = h.clock.nanoTime();

        h.clock.set(due + S);
        h.tick();
        assertThat(h.stats().missed()).isEqualTo(1);
        assertThat(h.probe("m").started).isEqualTo(1);
        assertThat(h.view("m").nextDueNanos()).isEqualTo(due + 2 * S);

        h.clock.set(due + S + 200 * MS);
        h.probe("m").release(true);
        h.tick();
        h.clock.set(due + 2 * S);
        h.tick();
        assertThat(h.probe("m").started).isEqualTo(2); // fixed rate: at due + 2 intervals, not result + interval
    }

    @Test
    void noCheckIsDispatchedWhileRemediating() {
        Harness h = new Harness();
        h.add(Monitors.named("m").intervention(2));
        Script.run(h, "m", "F:yellow");
        assertThat(h.state("m")).isEqualTo(MonitorState.REMEDIATING);

        h.advance(Duration.ofSeconds(15)); // under the run's 20 s budget: it is still running
        assertThat(h.probe("m").started).isEqualTo(1);

        Script.run(h, "m", "R+:cyan S");
        assertThat(h.probe("m").started).isEqualTo(2);
        assertThat(h.state("m")).isEqualTo(MonitorState.VERIFYING);
    }

    @Test
    void aRunThatNeverCompletesFailsAtItsDeadlineAndItsLateResultIsDropped() {
        Harness h = new Harness();
        h.add(Monitors.named("m").intervention(2));
        Script.run(h, "m", "F:yellow");
        long started = h.clock.nanoTime();

        h.advance(Duration.ofNanos(20 * S + EngineSettings.DEFAULTS.graceNanos()));
        MonitorView v = h.view("m");
        assertThat(v.state()).isEqualTo(MonitorState.REMEDIATING);
        assertThat(v.failedRuns()).isEqualTo(1);
        assertThat(v.lastError()).isEqualTo(Engine.DEADLINE_EXCEEDED);
        assertThat(v.nextDueNanos()).isEqualTo(started + 20 * S + EngineSettings.DEFAULTS.graceNanos() + 10 * S);

        h.action("m").release(true);
        h.tick();
        assertThat(h.stats().staleDropped()).isEqualTo(1);
        assertThat(h.state("m")).isEqualTo(MonitorState.REMEDIATING);
        assertThat(h.colours("m")).containsExactly(YELLOW);
    }

    @Test
    void withEveryJobInFlightDueMonitorsWaitAndAreServedOldestDueFirst() {
        Harness h = new Harness(EngineSettings.DEFAULTS.withMaxInFlight(2));
        List<String> names = IntStream.range(0, 5).mapToObj(i -> "m" + i).toList();
        for (String n : names) h.add(Monitors.named(n));
        for (String n : names) h.probe(n).otherwise = HOLD;
        List<String> byDue = names.stream().sorted(Comparator.comparingLong(n -> h.view(n).nextDueNanos())).toList();

        h.clock.set(h.clock.nanoTime() + 10 * S); // all five are due
        long tolerance = EngineSettings.DEFAULTS.lateToleranceNanos();
        long expectedLate = names.stream().filter(n -> h.view(n).nextDueNanos() < h.clock.nanoTime() - tolerance).count();
        h.tick();
        assertThat(h.probes.startOrder).containsExactlyElementsOf(byDue.subList(0, 2));
        assertThat(h.stats().backPressureWaits()).isEqualTo(1);
        assertThat(h.stats().waiting()).isEqualTo(3);
        assertThat(names.stream().filter(n -> h.view(n).checkInFlight())).hasSize(2);

        for (int round = 0; round < 2; round++) {
            for (String n : h.probes.startOrder.subList(2 * round, 2 * round + 2)) h.probe(n).release(true);
            h.tick(); // applies the two results, freeing their jobs
            h.tick(); // dispatches the next waiting ones
        }
        assertThat(h.probes.startOrder).containsExactlyElementsOf(byDue);
        assertThat(h.stats().inFlight()).isEqualTo(1);
        assertThat(h.stats().late()).isEqualTo(expectedLate).isPositive();
    }

    @Test
    void pauseSendsGrayDropsTheInFlightResultAndResumeStartsOverFromUnknown() {
        Harness h = new Harness();
        h.add(Monitors.worked("m"));
        Script.run(h, "m", "F:yellow");
        h.checks("m", HOLD);

        Script.run(h, "m", "P:gray");
        h.probe("m").release(false);
        h.tick();
        assertThat(h.stats().staleDropped()).isEqualTo(1);
        assertThat(h.state("m")).isEqualTo(MonitorState.PAUSED);
        assertThat(h.engine.pause("m")).isFalse();

        h.advance(Duration.ofMinutes(1));
        assertThat(h.probe("m").started).isEqualTo(2);

        Script.run(h, "m", "U S");
        assertThat(h.state("m")).isEqualTo(MonitorState.HEALTHY);
        assertThat(h.colours("m")).containsExactly(YELLOW, GRAY);
    }

    @Test
    void aPauseReasonKeepsTheMonitorPausedUntilTheLastOneClears() {
        Harness h = new Harness();
        h.add(Monitors.named("m"));
        assertThat(h.engine.pause("m")).isTrue();
        assertThat(h.engine.disable("m")).isFalse();
        assertThat(h.engine.resume("m")).isFalse();
        assertThat(h.state("m")).isEqualTo(MonitorState.PAUSED);
        assertThat(h.engine.enable("m")).isTrue();
        assertThat(h.state("m")).isEqualTo(MonitorState.UNKNOWN);
        assertThat(h.colours("m")).containsExactly(GRAY);
    }

    @Test
    void aDisabledMonitorStartsPausedWithoutAnAlertAndIsNeverChecked() {
        Harness h = new Harness();
        h.add(Monitors.named("m").disabled());
        h.advance(Duration.ofMinutes(1));
        assertThat(h.state("m")).isEqualTo(MonitorState.PAUSED);
        assertThat(h.probe("m").started).isZero();
        assertThat(h.alerts).isEmpty();

        Script.run(h, "m", "E S");
        assertThat(h.state("m")).isEqualTo(MonitorState.HEALTHY);
    }

    @Test
    void phasesAreSpreadOverTheInterval() {
        Harness h = new Harness();
        for (int i = 0; i < 100; i++) h.add(Monitors.named("m" + i).target("shared"));
        long first = h.clock.nanoTime();
        long distinctSeconds = IntStream.range(0, 100)
                .mapToLong(i -> (h.view("m" + i).nextDueNanos() - first) / S).distinct().count();
        assertThat(distinctSeconds).isEqualTo(10); // 100 monitors over a 10 s interval hit every second
    }

    @Test
    void equalPulsesShareOneProbeAndEqualCodesOneTable() {
        Harness h = new Harness();
        for (int i = 0; i < 50; i++) h.add(Monitors.named("m" + i).target(i % 2 == 0 ? "a" : "b").intervention(1));
        assertThat(h.probes.prepared).isEqualTo(2);
        assertThat(h.engine.internedCounts()).containsExactly(2, 1, 50); // actions are per container here
    }

    @Test
    void aDuplicateNameIsRejected() {
        Harness h = new Harness();
        h.add(Monitors.named("m"));
        assertThatThrownBy(() -> h.add(Monitors.named("m"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate monitor name: m");
    }

    @Test
    void aRemovedMonitorsLateResultDoesNotReachTheMonitorThatReusesItsSlot() {
        Harness h = new Harness();
        h.add(Monitors.worked("old").target("shared"));
        h.probes.probe("shared").next(HOLD);
        h.runNextCheck("old");
        assertThat(h.engine.remove("old")).isTrue();
        assertThat(h.view("old")).isNull();

        h.add(Monitors.worked("new").target("shared"));
        h.probes.probe("shared").release(false);
        h.tick();
        assertThat(h.stats().staleDropped()).isEqualTo(1);
        assertThat(h.view("new").failures()).isZero();
        assertThat(h.alerts).isEmpty();
        assertThat(h.stats().monitors()).isEqualTo(1);
    }

    @Test
    void alertsCarryTheirJobWallTimeAndCode() {
        Harness h = new Harness();
        h.add(Monitors.named("m"));
        Script.run(h, "m", "F:red");
        Alert red = h.alerts.getFirst();
        assertThat(red.jobId()).isNotZero();
        assertThat(red.epochMillis()).isEqualTo(h.clock.wallMillis());
        assertThat(red.code().colour()).isEqualTo(Colour.RED);
        assertThat(red.action()).isNull();
    }

    @Test
    void aProbeThatThrowsCostsOneFailedCheckAndASinkThatThrowsCostsNothing() {
        VirtualClock clock = new VirtualClock();
        List<Alert> delivered = new java.util.ArrayList<>();
        io.cpra.checks.ProbeFactory throwing = new io.cpra.checks.ProbeFactory() {
            @Override
            public io.cpra.checks.Probe prepare(io.cpra.config.PulseSpec pulse) {
                return new io.cpra.checks.Probe() {
                    @Override
                    public void start(io.cpra.checks.CheckJob job, io.cpra.checks.CheckSink sink) {
                        throw new IllegalStateException("boom");
                    }

                    @Override
                    public long budgetNanos() {
                        return S;
                    }
                };
            }

            @Override
            public void close() {}
        };
        Engine engine = new Engine(EngineSettings.DEFAULTS, clock, throwing, new ScriptedActions(clock), alert -> {
            delivered.add(alert);
            throw new IllegalStateException("sink down");
        });
        engine.add(Monitors.named("m").build());

        clock.set(clock.nanoTime() + 10 * S);
        engine.tick(clock.nanoTime());

        MonitorView v = engine.lookup("m");
        assertThat(v.state()).isEqualTo(MonitorState.UNHEALTHY);
        assertThat(v.lastError()).startsWith("probe failed to start: java.lang.IllegalStateException: boom");
        assertThat(delivered).extracting(Alert::colour).containsExactly(Colour.RED);
        assertThat(engine.stats().inFlight()).isZero();
    }
}
