package io.cpra.jmh;

import io.cpra.engine.MonitorState;
import io.cpra.engine.store.MonitorStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/** The engine's stuck scan over the store's columns: flags and deadline of every slot. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseParallelGC"})
public class StoreScanBenchmark {

    @Param({"100000", "1000000"})
    int monitors;

    MonitorStore store;
    long now;

    @Setup
    public void fill() {
        store = new MonitorStore(monitors);
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < monitors; i++) {
            int slot = store.allocate("mon-" + i, MonitorState.HEALTHY.code());
            if (random.nextInt(100) < 5) store.set(slot, MonitorStore.CHECK_IN_FLIGHT); // 5% in flight
            store.deadlineNanos[slot] = random.nextLong(2_000_000_000L);
        }
        now = 1_000_000_000L;
    }

    /** What {@code Engine.stuck()} does on the engine thread. */
    @Benchmark
    public int stuckScan() {
        int count = 0;
        byte inFlight = MonitorStore.CHECK_IN_FLIGHT | MonitorStore.RUN_IN_FLIGHT;
        byte[] flags = store.flags;
        long[] deadlines = store.deadlineNanos;
        for (int slot = 0; slot < store.highWater(); slot++) {
            if ((flags[slot] & inFlight) != 0 && deadlines[slot] < now) count++;
        }
        return count;
    }

    /** Counting by state, as a status line does it. */
    @Benchmark
    public int countByState() {
        int healthy = 0;
        byte code = MonitorState.HEALTHY.code();
        byte[] state = store.state;
        for (int slot = 0; slot < store.highWater(); slot++) {
            if (state[slot] == code) healthy++;
        }
        return healthy;
    }
}
