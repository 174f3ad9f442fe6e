package io.cpra.actions;

import io.cpra.notify.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * An intervention run: its {@link Attempt} tried up to {@code retries + 1} times with a short pause, on a
 * virtual thread, then one audit record (logger {@code io.cpra.audit}) and exactly one {@code done} call.
 * Secrets of the target are masked in the result and the audit record.
 */
final class RetryingAction implements Action {

    private static final Logger audit = LoggerFactory.getLogger("io.cpra.audit");
    private static final int AUDIT_EXCERPT = 200;

    private final String name;
    private final int tries;
    private final long attemptTimeoutNanos;
    private final Duration pause;
    private final Attempt attempt;
    private final Collection<String> secrets;
    private final Executor executor;

    RetryingAction(String name, int retries, long attemptTimeoutNanos, Duration pause, Attempt attempt,
                   Collection<String> secrets, Executor executor) {
        this.name = name;
        this.tries = retries + 1;
        this.attemptTimeoutNanos = attemptTimeoutNanos;
        this.pause = pause;
        this.attempt = attempt;
        this.secrets = secrets;
        this.executor = executor;
    }

    @Override
    public long budgetNanos() { return attemptTimeoutNanos * tries + pause.toNanos() * (tries - 1); }

    @Override
    public void start(ActionJob job, Consumer<ActionResult> done) {
        long started = System.nanoTime();
        try {
            executor.execute(() -> done.accept(run(job, started)));
        } catch (RejectedExecutionException e) {
            done.accept(finish(job, started, 0, Attempt.Outcome.failed("interventions are shut down", "")));
        }
    }

    private ActionResult run(ActionJob job, long started) {
        Attempt.Outcome outcome = null;
        int tried = 0;
        try {
            while (tried < tries) {
                if (tried > 0) Thread.sleep(pause);
                tried++;
                outcome = attempt.run(job);
                if (outcome.success()) break;
            }
        } catch (InterruptedException e) {
            outcome = Attempt.Outcome.failed("interrupted", outcome == null ? "" : outcome.output());
        } catch (RuntimeException e) {
            outcome = Attempt.Outcome.failed("internal error: " + e, "");
        }
        return finish(job, started, tried, outcome);
    }

    private ActionResult finish(ActionJob job, long started, int tried, Attempt.Outcome outcome) {
        long duration = System.nanoTime() - started;
        String error = Secrets.mask(outcome.error(), secrets);
        String output = Secrets.mask(outcome.output(), secrets);
        audit.info("monitor={} action={} run={} tries={} duration={}ms outcome={} error={} output=\"{}\"",
                job.monitor(), name, job.attempt(), tried, duration / 1_000_000,
                outcome.success() ? "success" : "failure", error, excerpt(output));
        return new ActionResult(job, outcome.success(), error, output, duration);
    }

    /** The end of the output on one line: the last lines are usually the telling ones. */
    private static String excerpt(String output) {
        String tail = output.length() > AUDIT_EXCERPT ? "..." + output.substring(output.length() - AUDIT_EXCERPT) : output;
        return tail.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\"", "\\\"");
    }
}
