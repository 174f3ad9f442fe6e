package io.cpra.bench;

import io.cpra.actions.ActionFactory;
import io.cpra.checks.NullProbe;
import io.cpra.config.CodeSpec;
import io.cpra.config.Colour;
import io.cpra.config.MonitorSpec;
import io.cpra.config.NotifierType;
import io.cpra.config.NotifyConfig;
import io.cpra.config.PulseSpec;
import io.cpra.config.PulseTarget;
import io.cpra.config.PulseType;
import io.cpra.config.SourcePosition;
import io.cpra.engine.Clock;
import io.cpra.engine.Engine;
import io.cpra.engine.EngineSettings;
import io.cpra.engine.EngineStats;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The engine alone at a million monitors, with a null probe that completes every check at once (inline),
 * so only schedule, dispatch, result and lifecycle cost anything. Reports:
 * <ul>
 *   <li>heap held by the store and interned tables after GC;</li>
 *   <li>checks/s on the real engine thread with 1M monitors due every second, the engine thread's CPU share
 *       and so its capacity, and bytes allocated on the engine thread per check;</li>
 *   <li>the same on a virtual clock driven by the benchmark thread: checks per CPU second and bytes per
 *       check, unaffected by other load on the machine;</li>
 *   <li>tick cost at 1M monitors when few are due, as a ratio to 1k monitors with as many due per tick, and
 *       how it grows with the number due;</li>
 *   <li>idle CPU of the engine thread.</li>
 * </ul>
 * Run: {@code java -Xmx2g -XX:+UseParallelGC -cp target/classes:target/test-classes:<deps> io.cpra.bench.EngineBenchmark}.
 * Stops by itself in well under a minute.
 */
public final class EngineBenchmark {

    private static final int MONITORS = 1_000_000;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final ActionFactory NO_ACTIONS = new ActionFactory() {
        @Override
        public io.cpra.actions.Action prepare(io.cpra.config.InterventionSpec spec) {
            throw new IllegalArgumentException("no actions in this benchmark");
        }

        @Override
        public void close() {}
    };

    public static void main(String[] args) throws Exception {
        System.out.printf("machine: %d cores, load average %.1f (the engine thread's CPU share below shows contention)%n",
                Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        long baseline = usedHeapAfterGc();
        long t0 = System.nanoTime();
        Engine engine = build(MONITORS, Duration.ofSeconds(1), Clock.SYSTEM);
        long buildMillis = (System.nanoTime() - t0) / 1_000_000;
        long storeBytes = usedHeapAfterGc() - baseline;
        System.out.printf("store: %,d monitors added in %,d ms; heap after GC %.1f MB (%.0f bytes/monitor)%n",
                MONITORS, buildMillis, storeBytes / 1e6, (double) storeBytes / MONITORS);

        namesAsStrings();

        throughput(engine);
        engine = null;
        capacityOnVirtualTime();

        // the same number due per tick (0.28) out of a thousand times more monitors, then ten times as many due
        double reference = tickCost(1_000, Duration.ofMillis(3_600));
        double fewDue = tickCost(MONITORS, Duration.ofHours(1));
        double tenTimesDue = tickCost(MONITORS, Duration.ofMinutes(6));
        System.out.printf("tick cost ratios: 1M monitors / 1k monitors at equal due rate %.1f; "
                + "1M monitors, 10x due / 1x due %.1f%n", fewDue / reference, tenTimesDue / fewDue);

        idleCpu();
    }

    /** The alternative to the store's byte arena and int index: a String per name and a HashMap index. */
    private static void namesAsStrings() throws InterruptedException {
        long before = usedHeapAfterGc();
        String[] names = new String[MONITORS];
        Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < MONITORS; i++) {
            names[i] = "svc-" + i;
            index.put(names[i], i);
        }
        long bytes = usedHeapAfterGc() - before;
        System.out.printf("names as String[] + HashMap index instead of the arena: %.1f MB more (%.0f bytes/name)%n",
                bytes / 1e6, (double) bytes / MONITORS);
        if (names.length != index.size()) throw new AssertionError();
    }

    private static void throughput(Engine engine) throws InterruptedException {
        engine.start();
        Thread loop = engineThread();
        Thread.sleep(3_000); // warm up
        EngineStats before = engine.stats();
        long cpuBefore = THREADS.getThreadCpuTime(loop.threadId());
        long allocBefore = THREADS.getThreadAllocatedBytes(loop.threadId());
        long start = System.nanoTime();
        Thread.sleep(10_000);
        EngineStats after = engine.stats();
        long elapsed = System.nanoTime() - start;
        long cpu = THREADS.getThreadCpuTime(loop.threadId()) - cpuBefore;
        long alloc = THREADS.getThreadAllocatedBytes(loop.threadId()) - allocBefore;
        long checks = after.checksCompleted() - before.checksCompleted();
        double rate = checks * 1e9 / elapsed;
        double cpuShare = (double) cpu / elapsed;
        System.out.printf("throughput: %,.0f checks/s with 1M monitors due every 1 s; engine thread CPU %.0f%% "
                        + "-> capacity about %,.0f checks/s on one core%n", rate, 100 * cpuShare, rate / cpuShare);
        System.out.printf("allocation on the engine thread: %.3f bytes/check (%,d bytes over %,d checks, stats calls included)%n",
                (double) alloc / checks, alloc, checks);
        System.out.printf("while measured: late %,d, missed %,d, pool ran dry %,d times, stale %,d; max in flight %,d%n",
                after.late() - before.late(), after.missed() - before.missed(),
                after.backPressureWaits() - before.backPressureWaits(), after.staleDropped() - before.staleDropped(),
                EngineSettings.DEFAULTS.maxInFlight());
        engine.stopDispatching();
        engine.awaitDrain(Duration.ofSeconds(5));
        engine.close();
    }

    /**
     * The same load driven by this thread on a virtual clock, 1 ms per tick: what one CPU-second of the
     * engine thread does, whatever else runs on the machine.
     */
    private static void capacityOnVirtualTime() {
        long[] now = {0};
        Engine engine = build(MONITORS, Duration.ofSeconds(1), virtualClock(now));
        long ms = 1_000_000;
        for (int i = 0; i < 3_000; i++) engine.tick(now[0] += ms); // warm-up: three virtual seconds
        long checksBefore = engine.stats().checksCompleted();
        long cpuBefore = THREADS.getCurrentThreadCpuTime();
        long allocBefore = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 5_000; i++) engine.tick(now[0] += ms);
        long cpu = THREADS.getCurrentThreadCpuTime() - cpuBefore;
        long alloc = THREADS.getCurrentThreadAllocatedBytes() - allocBefore;
        EngineStats stats = engine.stats();
        long checks = stats.checksCompleted() - checksBefore;
        System.out.printf("virtual time, 1M monitors due every 1 s: %,d checks in 5 virtual s took %.2f CPU s "
                        + "-> %,.0f checks per CPU second; %.3f bytes allocated per check; late %,d%n",
                checks, cpu / 1e9, checks * 1e9 / cpu, (double) alloc / checks, stats.late());
    }

    private static Clock virtualClock(long[] now) {
        return new Clock() {
            @Override public long nanoTime() { return now[0]; }

            @Override public long wallMillis() { return now[0] / 1_000_000; }
        };
    }

    /** CPU nanoseconds per tick while a virtual clock moves 1 ms per tick. */
    private static double tickCost(int monitors, Duration interval) {
        long[] now = {0};
        Engine engine = build(monitors, interval, virtualClock(now));
        long ms = 1_000_000;
        for (int i = 0; i < 20_000; i++) engine.tick(now[0] += ms); // warm-up
        // CPU time of this thread, best of three: the machine is shared, wall time would measure the others
        double perTick = Double.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            int ticks = 40_000;
            long start = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < ticks; i++) engine.tick(now[0] += ms);
            perTick = Math.min(perTick, (double) (THREADS.getCurrentThreadCpuTime() - start) / ticks);
        }
        System.out.printf("tick cost at %,d monitors, %.2f due per tick: %.0f ns/tick%n", monitors,
                (double) monitors / interval.toMillis(), perTick);
        return perTick;
    }

    private static void idleCpu() throws InterruptedException {
        Engine engine = build(1_000, Duration.ofHours(1), Clock.SYSTEM);
        engine.start();
        Thread loop = engineThread();
        Thread.sleep(500);
        long cpuBefore = THREADS.getThreadCpuTime(loop.threadId());
        long start = System.nanoTime();
        Thread.sleep(3_000);
        double share = (double) (THREADS.getThreadCpuTime(loop.threadId()) - cpuBefore) / (System.nanoTime() - start);
        System.out.printf("idle engine thread CPU: %.2f%% of one core (max park %d ms)%n", 100 * share,
                EngineSettings.DEFAULTS.maxParkNanos() / 1_000_000);
        engine.close();
    }

    private static Thread engineThread() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("cpra-engine")).findFirst()
                .orElseThrow();
    }

    private static Engine build(int monitors, Duration interval, Clock clock) {
        Engine engine = new Engine(EngineSettings.DEFAULTS.withExpectedMonitors(monitors), clock, NullProbe.FACTORY,
                NO_ACTIONS, alert -> { });
        Map<Colour, CodeSpec> codes = new EnumMap<>(Colour.class);
        for (Colour c : Colour.values()) {
            codes.put(c, new CodeSpec(c, NotifierType.LOG, true, new NotifyConfig.Log(null), List.of(), 0));
        }
        PulseSpec[] pulses = new PulseSpec[4];
        for (int i = 0; i < pulses.length; i++) {
            pulses[i] = new PulseSpec(PulseType.TCP, interval.toNanos(), Duration.ofMillis(500).toNanos(), 3, 0, 0,
                    List.of(), List.of(), new PulseTarget.Tcp("10.0.0." + i, 80));
        }
        SourcePosition source = new SourcePosition("generated.yaml", 1, 1);
        for (int i = 0; i < monitors; i++) {
            engine.add(new MonitorSpec("svc-" + i, true, pulses[i & 3], null, codes, Map.of(), List.of(), source));
        }
        return engine;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
