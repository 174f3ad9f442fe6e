package io.cpra.engine;

import io.cpra.actions.ActionFactory;
import io.cpra.checks.CheckJob;
import io.cpra.checks.CheckSink;
import io.cpra.checks.Probe;
import io.cpra.checks.ProbeFactory;
import io.cpra.config.Colour;
import io.cpra.config.InterventionSpec;
import io.cpra.config.PulseSpec;
import io.cpra.config.PulseTarget;
import io.cpra.notify.Alert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The engine on its own thread with the system clock; probes complete from another thread. */
class EngineThreadTest {

    private final ScheduledExecutorService probeThread = Executors.newSingleThreadScheduledExecutor();
    private final List<Alert> alerts = new CopyOnWriteArrayList<>();

    /** Completes 2 ms later on the probe thread; hosts starting with "down" fail. */
    private final ProbeFactory probes = new ProbeFactory() {
        @Override
        public Probe prepare(PulseSpec pulse) {
            boolean up = !((PulseTarget.Tcp) pulse.target()).host().startsWith("down");
            return new Probe() {
                @Override
                public void start(CheckJob job, CheckSink sink) {
                    probeThread.schedule(() -> {
                        job.success = up;
                        job.error = up ? null : "refused";
                        sink.complete(job);
                    }, 2, TimeUnit.MILLISECONDS);
                }

                @Override
                public long budgetNanos() {
                    return pulse.timeoutNanos();
                }
            };
        }

        @Override
        public void close() {}
    };

    private final ActionFactory noActions = new ActionFactory() {
        @Override
        public io.cpra.actions.Action prepare(InterventionSpec spec) {
            throw new IllegalArgumentException("none");
        }

        @Override
        public void close() {}
    };

    private final Engine engine = new Engine(EngineSettings.DEFAULTS, Clock.SYSTEM, probes, noActions, alerts::add);

    @AfterEach
    void stop() {
        engine.close();
        probeThread.shutdownNow();
    }

    @Test
    void checksRunOnTheEngineThreadAndTheApiReachesItFromOutside() throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            engine.add(Monitors.named("up" + i).interval(Duration.ofMillis(100)).timeout(Duration.ofMillis(50)).build());
        }
        engine.add(Monitors.named("down").interval(Duration.ofMillis(100)).timeout(Duration.ofMillis(50)).build());
        engine.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> engine.stats().checksCompleted() >= 2_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> alerts.stream().anyMatch(a -> a.colour() == Colour.RED));
        assertThat(engine.lookup("up7").state()).isEqualTo(MonitorState.HEALTHY);

        assertThat(engine.pause("up7")).isTrue();
        assertThat(alerts).filteredOn(a -> a.monitor().equals("up7")).extracting(Alert::colour).containsExactly(Colour.GRAY);
        assertThat(engine.lookup("up7").state()).isEqualTo(MonitorState.PAUSED);

        engine.stopDispatching();
        assertThat(engine.awaitDrain(Duration.ofSeconds(5))).isTrue();
        long completed = engine.stats().checksCompleted();
        Thread.sleep(300);
        EngineStats stats = engine.stats();
        assertThat(stats.checksCompleted()).isEqualTo(completed);
        assertThat(stats.inFlight()).isZero();
        assertThat(stats.monitorsByState().get(MonitorState.HEALTHY)).isEqualTo(199);
        assertThat(stats.monitorsByState().get(MonitorState.UNHEALTHY)).isEqualTo(1);
        // the paused one, maybe, and on a starved machine a rare result that missed its deadline: never many
        assertThat(stats.staleDropped() + stats.deadlinesExpired()).isLessThanOrEqualTo(1 + completed / 100);
    }
}
