package io.cpra.checks;

/**
 * A prepared check for one distinct target (an interned, immutable object shared by every monitor with the
 * same target, timeout, retries and assertions).
 */
public interface Probe {

    /**
     * Starts one check, all its attempts included, without blocking the caller. Calls
     * {@code sink.complete(job)} exactly once, from any thread, with the outcome filled in. A hostile
     * endpoint yields a failed outcome with a clear reason, never an exception.
     */
    void start(CheckJob job, CheckSink sink);

    /** Upper bound of one check's duration: timeout per attempt times attempts. */
    long budgetNanos();
}
