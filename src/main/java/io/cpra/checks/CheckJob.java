package io.cpra.checks;

/**
 * One check in flight. The engine owns a fixed pool of these and reuses them, so the hot path allocates
 * nothing per check. The engine fills the request fields before {@link Probe#start}; the probe fills the
 * outcome fields and hands the job back through its {@link CheckSink} exactly once. After that the probe
 * must not touch the job again.
 */
public final class CheckJob {
    // request, written by the engine thread
    public int slot;
    public int generation;
    public long jobId;
    /** Monotonic nanos by which the engine gives up on this job (timeout x attempts + grace). */
    public long deadlineNanos;
    public Probe probe;

    // outcome, written by the probe
    public boolean success;
    /** HTTP status, or 0 when none. */
    public int status;
    public long latencyNanos;
    /** Why it failed; null on success. Prefer constant strings on common paths. */
    public String error;

    /** Clears the outcome before reuse. */
    public void resetOutcome() {
        success = false;
        status = 0;
        latencyNanos = 0;
        error = null;
    }
}
