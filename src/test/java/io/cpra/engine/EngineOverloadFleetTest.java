package io.cpra.engine;

import io.cpra.checks.CheckJob;
import io.cpra.checks.CheckSink;
import io.cpra.checks.NettyProbeFactory;
import io.cpra.checks.Probe;
import io.cpra.checks.ProbeFactory;
import io.cpra.checks.ProbeSettings;
import io.cpra.config.CodeSpec;
import io.cpra.config.Colour;
import io.cpra.config.MonitorSpec;
import io.cpra.config.NotifierType;
import io.cpra.config.NotifyConfig;
import io.cpra.config.PulseSpec;
import io.cpra.config.PulseTarget;
import io.cpra.config.PulseType;
import io.cpra.config.SourcePosition;
import io.cpra.fleet.Fleet;
import io.cpra.fleet.FleetSettings;
import io.cpra.fleet.PortRange;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Overload at small scale with everything real: 2,000 monitors every 100 ms (20,000 checks/s offered) against
 * a fleet whose paths are partly slow, through Netty probes with a small job pool and ready queue. Overload
 * must show as lateness and missed slots, never as stuck monitors or two checks of one monitor at the fleet
 * at once (counted per path, from a request leaving until its answer or failure is in).
 */
class EngineOverloadFleetTest {

    private static final int MONITORS = 2_000;

    /** Counts the requests of each monitor's path in flight at the network, across the engine's deadlines. */
    private static final class CountingProbes implements ProbeFactory {
        final ProbeFactory real;
        final Map<String, AtomicInteger> inFlightByPath = new ConcurrentHashMap<>();
        final AtomicInteger mostForOnePath = new AtomicInteger();
        final LongAdder started = new LongAdder();

        CountingProbes(ProbeFactory real) {
            this.real = real;
        }

        @Override
        public Probe prepare(PulseSpec pulse) {
            Probe probe = real.prepare(pulse);
            String path = ((PulseTarget.Http) pulse.target()).url().toString();
            AtomicInteger count = inFlightByPath.computeIfAbsent(path, p -> new AtomicInteger());
            return new Probe() {
                @Override
                public void start(CheckJob job, CheckSink sink) {
                    started.increment();
                    mostForOnePath.accumulateAndGet(count.incrementAndGet(), Math::max);
                    probe.start(job, finished -> {
                        count.decrementAndGet();
                        sink.complete(finished);
                    });
                }

                @Override
                public long budgetNanos() {
                    return probe.budgetNanos();
                }
            };
        }

        @Override
        public void close() {
            real.close();
        }
    }

    @Test
    void overloadShowsAsLatenessAndMissedSlotsNeverAsStuckOrDuplicatedChecks() throws Exception {
        try (Fleet fleet = startOnFreePorts(20);
             CountingProbes probes = new CountingProbes(new NettyProbeFactory(ProbeSettings.defaults().withMaxConnectionsPerHost(4)))) {
            // A probe that overruns its own timeout by more than the grace is abandoned at its deadline while its
            // request may still be out, and the next check can overlap it at the fleet: that is a starved machine
            // (the probe's timer runs late), not overload, so the grace here is wider than a shared CI box stalls.
            EngineSettings settings = EngineSettings.DEFAULTS.withMaxInFlight(512).withReadyHighWatermark(256)
                    .withExpectedMonitors(MONITORS).withCapacityPlan(Duration.ofMillis(1), Duration.ofMillis(500))
                    .withGrace(Duration.ofSeconds(3));
            Engine engine = new Engine(settings, Clock.SYSTEM, probes, null, alert -> { });
            PortRange ports = fleet.ports();
            for (int i = 0; i < MONITORS; i++) engine.add(monitor(i, ports.first() + i % ports.size()));
            engine.start();

            int mostStuck = 0;
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(250);
                mostStuck = Math.max(mostStuck, engine.stuck());
            }
            EngineStats stats = engine.stats();
            engine.stopDispatching();
            assertThat(engine.awaitDrain(Duration.ofSeconds(10))).isTrue();
            int stuckAfterDrain = engine.stuck();
            engine.close();

            assertThat(mostStuck).isZero();
            assertThat(stuckAfterDrain).isZero();
            // how many checks get through depends on the machine (shared CI boxes starve): only that some did
            assertThat(probes.started.sum()).isPositive();
            assertThat(probes.mostForOnePath.get()).as("two checks of one monitor at the fleet at once").isEqualTo(1);
            assertThat(stats.inFlight()).isLessThanOrEqualTo(512);
            assertThat(stats.lateness().count()).isPositive();
            assertThat(stats.lateness().percentile(0.99)).isPositive();
            assertThat(stats.missed() + stats.late()).as("overload shows as missed slots and late checks").isPositive();
            assertThat(stats.checksCompleted()).isPositive();
        }
    }

    /** Half the monitors on /health, half on a path answering in 20-150 ms; each path is the monitor's own. */
    private static MonitorSpec monitor(int i, int port) {
        String path = i % 2 == 0 ? "/health?m=" + i : "/slow?min=20&max=150&m=" + i;
        PulseTarget.Http http = new PulseTarget.Http(URI.create("http://127.0.0.1:" + port + path), "GET", List.of(),
                List.of(), null, false);
        PulseSpec pulse = new PulseSpec(PulseType.HTTP, Duration.ofMillis(100).toNanos(), Duration.ofMillis(100).toNanos(),
                2, 1, 0, List.of(), List.of(), http);
        Map<Colour, CodeSpec> codes = new EnumMap<>(Colour.class);
        codes.put(Colour.RED, new CodeSpec(Colour.RED, NotifierType.LOG, true, new NotifyConfig.Log(null), List.of(), 0));
        return new MonitorSpec("m" + i, true, pulse, null, codes, Map.of(), List.of(), new SourcePosition("test.yaml", i + 1, 1));
    }

    /** A fleet on a free range below the ephemeral ports (and below FleetTest's and cpra bench's ranges). */
    private static Fleet startOnFreePorts(int count) {
        for (int attempt = 1; ; attempt++) {
            int base = 14_000 + ThreadLocalRandom.current().nextInt(6_000);
            try {
                return new Fleet(FleetSettings.of(new PortRange(base, base + count - 1))).start();
            } catch (IllegalStateException busy) {
                if (attempt == 10) throw busy;
            }
        }
    }
}
