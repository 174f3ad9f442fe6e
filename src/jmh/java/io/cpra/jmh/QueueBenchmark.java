package io.cpra.jmh;

import io.cpra.engine.capacity.LogHistogram;
import io.cpra.engine.capacity.Watermarks;
import io.cpra.engine.scheduler.IntRing;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * The engine's queues: the ready ring with its watermarks (engine thread only), the results queue (probe
 * threads offer, the engine drains), and the lateness histogram recorded per dispatch.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class QueueBenchmark {

    IntRing ready;
    Watermarks marks;
    MpscAtomicArrayQueue<Object> results;
    LogHistogram lateness;
    long value;
    final Object job = new Object();

    @Setup
    public void setUp() {
        ready = new IntRing(65_536);
        marks = new Watermarks(65_536, 32_768);
        results = new MpscAtomicArrayQueue<>(32_768);
        lateness = new LogHistogram();
    }

    /** One due monitor in and out of the ready ring, with the watermark check the schedule makes. */
    @Benchmark
    @Group("ready")
    public int readyRing() {
        if (!marks.holds(ready.size())) ready.add((int) value++);
        return ready.poll();
    }

    /** A probe thread handing back results while the engine thread drains them. */
    @Benchmark
    @Group("results")
    @GroupThreads(1)
    public boolean offer() {
        return results.offer(job);
    }

    @Benchmark
    @Group("results")
    @GroupThreads(1)
    public int drain(Blackhole sink) {
        return results.drain(sink::consume, 256);
    }

    @Benchmark
    @Group("lateness")
    public long recordLateness() {
        long v = (value = value * 6364136223846793005L + 1442695040888963407L) >>> 40; // up to ~16 ms
        lateness.record(v);
        return v;
    }
}
