package io.cpra.engine.capacity;

/**
 * Turns a {@link SlidingWindow} into a {@link CapacityPlan} when asked (every few seconds): the smallest
 * number of servers whose Allen-Cunneen mean wait meets the target, kept within [floor, ceiling].
 * The engine sizes its checks in flight (and action workers) with {@link CapacityPlan#servers()}.
 *
 * <p>Not thread-safe: the thread that records into the window calls {@link #recompute}; the latest plan is
 * published through a volatile field, so any thread may read {@link #current()}.
 */
public final class CapacityPlanner {

    private final SlidingWindow window;
    private final long targetWaitNanos;
    private final int floor;
    private final int ceiling;
    private volatile CapacityPlan current;

    public CapacityPlanner(SlidingWindow window, long targetWaitNanos, int floor, int ceiling) {
        if (targetWaitNanos <= 0) throw new IllegalArgumentException("target wait must be > 0 ns, got " + targetWaitNanos);
        if (floor < 1 || ceiling < floor) {
            throw new IllegalArgumentException("need 1 <= floor <= ceiling, got " + floor + ".." + ceiling);
        }
        this.window = window;
        this.targetWaitNanos = targetWaitNanos;
        this.floor = floor;
        this.ceiling = ceiling;
        this.current = idlePlan(0, 0, 0, 1, 1);
    }

    public SlidingWindow window() {
        return window;
    }

    public CapacityPlan current() {
        return current;
    }

    public CapacityPlan recompute(long nowNanos) {
        double lambda = window.arrivalRate(nowNanos);
        double mu = window.serviceRate(nowNanos);
        double ca = window.arrivalCv(nowNanos);
        double cs = window.serviceCv(nowNanos);
        CapacityPlan plan = lambda == 0 || mu == 0
                ? idlePlan(nowNanos, lambda, mu, ca, cs)
                : plan(nowNanos, lambda, mu, ca, cs);
        current = plan;
        return plan;
    }

    private CapacityPlan plan(long nowNanos, double lambda, double mu, double ca, double cs) {
        int servers = Math.clamp(AllenCunneen.serversForWait(lambda, mu, ca, cs, targetWaitNanos), floor, ceiling);
        double load = ErlangC.offeredLoad(lambda, mu);
        double waitSeconds = AllenCunneen.meanWaitSeconds(lambda, mu, servers, ca, cs);
        long waitNanos = Double.isInfinite(waitSeconds) ? Long.MAX_VALUE : Math.round(waitSeconds * 1e9);
        return new CapacityPlan(nowNanos, lambda, mu, ca, cs, load, servers, load / servers,
                ErlangC.waitProbability(load, servers), waitNanos, targetWaitNanos);
    }

    private CapacityPlan idlePlan(long nowNanos, double lambda, double mu, double ca, double cs) {
        return new CapacityPlan(nowNanos, lambda, mu, ca, cs, 0, floor, 0, 0, 0, targetWaitNanos);
    }
}
