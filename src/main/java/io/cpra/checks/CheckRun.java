package io.cpra.checks;

import io.cpra.checks.conditions.ResultView;
import io.cpra.config.Durations;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One check in flight: its attempts, a hard deadline per attempt, and completion exactly once.
 *
 * <p>A run is confined to one event loop at a time; it changes loop only by handing itself over with
 * {@code execute} (a redirect to a host served by another loop), so its fields need no locks. Every
 * asynchronous callback carries the attempt number it was made for and is ignored once that attempt is over,
 * which is what keeps a late response from racing the timeout.
 */
abstract class CheckRun implements Runnable {

    /** What an attempt was doing; names the timeout. */
    enum Phase {
        WAIT("waiting for a free connection"), CONNECT("connect"), TLS("TLS handshake"), RESPONSE("response"),
        /** A DNS query: one datagram out, one in, so the phase adds nothing to the reason. */
        QUERY("");

        final String label;

        Phase(String label) {
            this.label = label;
        }

        private static final ConcurrentHashMap<Long, String[]> REASONS = new ConcurrentHashMap<>();

        /** "timeout after 2s (connect)" for each phase; shared by all probes with that timeout. */
        static String[] timeoutReasons(long timeoutNanos) {
            return REASONS.computeIfAbsent(timeoutNanos, t -> {
                String[] reasons = new String[values().length];
                for (Phase p : values()) reasons[p.ordinal()] = "timeout after " + Durations.format(t) + (p.label.isEmpty() ? "" : " (" + p.label + ")");
                return reasons;
            });
        }
    }

    private final CheckJob job;
    private final CheckSink sink;
    private final long timeoutNanos;
    private final long budgetDeadline;
    private final String[] timeoutReasons;
    private int attemptsLeft;
    private long attemptStart;
    private long attemptDeadline;
    private ScheduledFuture<?> timer;
    private boolean done;
    protected EventLoop loop;
    protected int attempt;
    protected Phase phase;

    CheckRun(CheckJob job, CheckSink sink, EventLoop loop, AttemptingProbe probe) {
        this.job = job;
        this.sink = sink;
        this.loop = loop;
        this.timeoutNanos = probe.timeoutNanos;
        this.attemptsLeft = probe.retries;
        this.timeoutReasons = probe.timeoutReasons;
        this.budgetDeadline = System.nanoTime() + probe.budgetNanos();
    }

    /** Called on the engine's thread: only hands the run to its event loop. */
    final void launch() {
        try {
            loop.execute(this);
        } catch (RejectedExecutionException e) {
            job.error = Failures.STOPPED;
            sink.complete(job);
        }
    }

    @Override
    public final void run() {
        startAttempt();
    }

    /** Starts the attempt's I/O; failures come back through {@link #attemptFailed}. */
    protected abstract void beginAttempt();

    /** Drops whatever the current attempt holds (closes its channel, leaves a wait queue). */
    protected abstract void abortAttempt();

    private void startAttempt() {
        attempt++;
        attemptStart = System.nanoTime();
        attemptDeadline = Math.min(attemptStart + timeoutNanos, budgetDeadline);
        phase = Phase.CONNECT;
        armTimer();
        try {
            beginAttempt();
        } catch (RuntimeException e) {
            attemptFailed(attempt, 0, Failures.clip("cannot start check: " + e.getMessage()));
        }
    }

    private void armTimer() {
        int a = attempt;
        timer = loop.schedule(() -> onTimeout(a), attemptDeadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    private void onTimeout(int a) {
        timer = null;
        attemptFailed(a, 0, timeoutReasons[phase.ordinal()]);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Whether a callback made for attempt {@code a} still matters. */
    protected final boolean isCurrent(int a) {
        return a == attempt && !done;
    }

    /** Time since the current attempt started: the response time conditions see. */
    protected final long elapsedNanos() {
        return System.nanoTime() - attemptStart;
    }

    /** What conditions see of an attempt that reached its peer: connected, and the response time so far. */
    protected final ResultView connectedView() {
        ResultView view = new ResultView();
        view.connected(true);
        view.responseTime(elapsedNanos());
        return view;
    }

    /** Ends attempt {@code a} with success when {@code failure} is null, else with that failure (clipped). */
    protected final void conclude(int a, String failure) {
        if (failure == null) attemptSucceeded(a, 0);
        else attemptFailed(a, 0, Failures.clip(failure));
    }

    /** Continues the current attempt on another loop, with the same deadline. */
    protected final void moveTo(EventLoop target, Runnable continuation) {
        if (target == loop) {
            continuation.run();
            return;
        }
        cancelTimer();
        loop = target;
        int a = attempt;
        try {
            target.execute(() -> {
                if (!isCurrent(a)) return;
                armTimer();
                continuation.run();
            });
        } catch (RejectedExecutionException e) {
            finish(false, 0, Failures.STOPPED);
        }
    }

    /** Ends attempt {@code a} with a failure; retries while attempts and budget remain. */
    protected final void attemptFailed(int a, int status, String reason) {
        if (!isCurrent(a)) return;
        cancelTimer();
        abortAttempt();
        if (attemptsLeft > 0 && System.nanoTime() < budgetDeadline) {
            attemptsLeft--;
            startAttempt();
        } else {
            finish(false, status, reason);
        }
    }

    /** Ends attempt {@code a} and the whole check with success; the subclass has released its resources. */
    protected final void attemptSucceeded(int a, int status) {
        if (!isCurrent(a)) return;
        cancelTimer();
        finish(true, status, null);
    }

    private void finish(boolean success, int status, String error) {
        done = true;
        job.success = success;
        job.status = status;
        job.latencyNanos = System.nanoTime() - attemptStart;
        job.error = error;
        sink.complete(job);
    }
}
