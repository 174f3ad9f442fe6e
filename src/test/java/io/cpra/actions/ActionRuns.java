package io.cpra.actions;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One intervention job for tests, and running an action on it to its result. */
final class ActionRuns {

    static final ActionJob JOB = new ActionJob(0, 1, 7, "checkout-api", 1, "REMEDIATING", "timeout", 0);

    private ActionRuns() {}

    static ActionResult run(Action action) throws Exception {
        CompletableFuture<ActionResult> result = new CompletableFuture<>();
        action.start(JOB, result::complete);
        return result.get(20, TimeUnit.SECONDS);
    }
}
