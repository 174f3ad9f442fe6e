package io.cpra.actions;

import java.util.function.Consumer;

/** A prepared intervention (docker, script, webhook) for one monitor's intervention spec. */
public interface Action {

    /**
     * Starts one run without blocking the caller (work happens on a virtual thread or the event loop) and
     * calls {@code done} exactly once, with a failure rather than an exception when anything goes wrong.
     */
    void start(ActionJob job, Consumer<ActionResult> done);

    /** Upper bound of one run: timeout per attempt times attempts. */
    long budgetNanos();
}
