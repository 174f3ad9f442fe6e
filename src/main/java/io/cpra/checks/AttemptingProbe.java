package io.cpra.checks;

import io.cpra.checks.conditions.ConditionSet;

/**
 * A probe whose checks are {@link CheckRun}s: a timeout per attempt, a number of retries, and conditions
 * judged on each attempt's outcome. Holds what those probes share and starts their runs.
 */
abstract class AttemptingProbe implements Probe {

    final long timeoutNanos;
    final int retries;
    /** "timeout after 2s (connect)" per {@link CheckRun.Phase}, shared by every probe with this timeout. */
    final String[] timeoutReasons;
    final ConditionSet conditions;

    AttemptingProbe(long timeoutNanos, int retries, ConditionSet conditions) {
        this.timeoutNanos = timeoutNanos;
        this.retries = retries;
        this.timeoutReasons = CheckRun.Phase.timeoutReasons(timeoutNanos);
        this.conditions = conditions;
    }

    /** A fresh run of one check; {@link #start} hands it to its event loop. */
    abstract CheckRun newRun(CheckJob job, CheckSink sink);

    @Override
    public final void start(CheckJob job, CheckSink sink) {
        newRun(job, sink).launch();
    }

    @Override
    public final long budgetNanos() {
        return timeoutNanos * (retries + 1L);
    }
}
