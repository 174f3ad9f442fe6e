package io.cpra.checks.icmp;

import io.cpra.checks.CheckJob;
import io.cpra.checks.CheckSink;
import io.cpra.checks.Probe;
import io.cpra.config.PulseSpec;
import io.cpra.config.PulseTarget;
import io.cpra.config.PulseType;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/** Starts checks the way the engine does (one job per slot) and counts how often each is completed. */
final class CheckRun implements CheckSink {

    final CheckJob[] jobs;
    private final AtomicIntegerArray completions;
    private final CountDownLatch done;

    private CheckRun(int checks) {
        jobs = new CheckJob[checks];
        completions = new AtomicIntegerArray(checks);
        done = new CountDownLatch(checks);
    }

    static PulseSpec icmp(String host, int count, long timeoutMillis, int retries) {
        return new PulseSpec(PulseType.ICMP, TimeUnit.MILLISECONDS.toNanos(timeoutMillis * 2),
                TimeUnit.MILLISECONDS.toNanos(timeoutMillis), 1, 0, retries, List.of(), List.of(),
                new PulseTarget.Icmp(host, count, false));
    }

    static CheckRun start(Probe probe, int checks) {
        CheckRun run = new CheckRun(checks);
        for (int i = 0; i < checks; i++) {
            CheckJob job = new CheckJob();
            job.slot = i;
            job.probe = probe;
            job.resetOutcome();
            run.jobs[i] = job;
        }
        for (CheckJob job : run.jobs) probe.start(job, run);
        return run;
    }

    /** Runs one check and waits for it. */
    static CheckJob once(Probe probe) throws InterruptedException {
        CheckRun run = start(probe, 1);
        if (!run.await(probe.budgetNanos() + TimeUnit.SECONDS.toNanos(5))) throw new AssertionError("check never completed");
        return run.jobs[0];
    }

    @Override
    public void complete(CheckJob job) {
        completions.incrementAndGet(job.slot);
        done.countDown();
    }

    boolean await(long nanos) throws InterruptedException {
        return done.await(nanos, TimeUnit.NANOSECONDS);
    }

    /** Waits for every check, then a little longer so a second completion would be seen. */
    boolean awaitAllThenSettle(long nanos) throws InterruptedException {
        boolean all = await(nanos);
        Thread.sleep(100);
        return all;
    }

    int completedExactlyOnce() {
        int once = 0;
        for (int i = 0; i < completions.length(); i++) if (completions.get(i) == 1) once++;
        return once;
    }

    int completedMoreThanOnce() {
        int many = 0;
        for (int i = 0; i < completions.length(); i++) if (completions.get(i) > 1) many++;
        return many;
    }

    long succeeded() {
        return java.util.Arrays.stream(jobs).filter(j -> j.success).count();
    }
}
