package io.cpra.jmh;

import io.cpra.engine.scheduler.TimingWheel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The timing wheel as the engine drives it: every id due once per interval at a random phase, polled each
 * millisecond, each due id rescheduled one interval later. Reported per millisecond tick; at a million ids
 * on a 10 s interval a tick hands out 100 of them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseParallelGC"})
public class SchedulerBenchmark {

    private static final long MS = 1_000_000L;
    private static final int TICKS = 1_000;

    @Param({"100000", "1000000"})
    int ids;

    @Param({"10000"})
    long intervalMillis;

    TimingWheel wheel;
    long now;
    long handed;
    TimingWheel.DueHandler reschedule;

    @Setup
    public void fill() {
        long interval = intervalMillis * MS;
        wheel = new TimingWheel(ids, 4_096, MS, 0);
        SplittableRandom random = new SplittableRandom(1);
        for (int id = 0; id < ids; id++) wheel.schedule(id, random.nextLong(interval));
        reschedule = (id, due) -> {
            handed++;
            wheel.schedule(id, due + interval);
        };
    }

    @Benchmark
    @OperationsPerInvocation(TICKS)
    public long thousandTicks() {
        for (int i = 0; i < TICKS; i++) wheel.poll(now += MS, reschedule);
        return handed;
    }
}
