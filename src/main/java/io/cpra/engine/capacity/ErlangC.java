package io.cpra.engine.capacity;

/**
 * The M/M/c queue (Erlang C): Poisson arrivals at rate λ, exponential service at rate μ per server,
 * c servers. Rates are per second. Stable for thousands of servers: it never forms a factorial or a
 * power, only the Erlang B recursion {@code B(k) = a·B(k-1) / (k + a·B(k-1))}, whose terms stay in [0, 1].
 */
public final class ErlangC {

    private static final double NANOS_PER_SECOND = 1e9;

    private ErlangC() {}

    /** Erlang B, the blocking probability of an M/M/c/c system with offered load {@code a} Erlangs. */
    public static double blockingProbability(double offeredLoad, int servers) {
        requireLoad(offeredLoad);
        if (servers < 0) throw new IllegalArgumentException("servers must be >= 0, got " + servers);
        double b = 1.0;
        for (int k = 1; k <= servers; k++) b = nextBlocking(b, offeredLoad, k);
        return b;
    }

    /** P(W > 0), the probability that an arrival waits; 1 when the system is saturated (a ≥ c). */
    public static double waitProbability(double offeredLoad, int servers) {
        if (servers < 1) throw new IllegalArgumentException("servers must be >= 1, got " + servers);
        if (offeredLoad >= servers) return 1.0;
        return waitProbability(blockingProbability(offeredLoad, servers), offeredLoad, servers);
    }

    /** Mean wait in the queue Wq = C / (cμ − λ), in seconds; infinite when saturated. */
    public static double meanWaitSeconds(double arrivalRate, double serviceRate, int servers) {
        double a = offeredLoad(arrivalRate, serviceRate);
        if (a >= servers) return Double.POSITIVE_INFINITY;
        return waitProbability(a, servers) / (servers * serviceRate - arrivalRate);
    }

    /** The smallest c whose mean wait is at most {@code targetWaitNanos}. */
    public static int serversForWait(double arrivalRate, double serviceRate, long targetWaitNanos) {
        if (targetWaitNanos <= 0) throw new IllegalArgumentException("target wait must be > 0 ns, got " + targetWaitNanos);
        return serversForWaitSeconds(arrivalRate, serviceRate, targetWaitNanos / NANOS_PER_SECOND);
    }

    /** The smallest c whose probability of waiting is at most {@code targetProbability}, in (0, 1]. */
    public static int serversForWaitProbability(double arrivalRate, double serviceRate, double targetProbability) {
        if (!(targetProbability > 0 && targetProbability <= 1)) {
            throw new IllegalArgumentException("target probability must be in (0, 1], got " + targetProbability);
        }
        return smallestServers(offeredLoad(arrivalRate, serviceRate), (c, waitProbability) -> waitProbability <= targetProbability);
    }

    static int serversForWaitSeconds(double arrivalRate, double serviceRate, double targetWaitSeconds) {
        return smallestServers(offeredLoad(arrivalRate, serviceRate),
                (c, waitProbability) -> waitProbability / (c * serviceRate - arrivalRate) <= targetWaitSeconds);
    }

    /** a = λ/μ, in Erlangs: the mean number of busy servers (Little's law for the servers). */
    public static double offeredLoad(double arrivalRate, double serviceRate) {
        if (!(arrivalRate >= 0) || Double.isInfinite(arrivalRate)) {
            throw new IllegalArgumentException("arrival rate must be finite and >= 0, got " + arrivalRate);
        }
        if (!(serviceRate > 0) || Double.isInfinite(serviceRate)) {
            throw new IllegalArgumentException("service rate must be finite and > 0, got " + serviceRate);
        }
        return arrivalRate / serviceRate;
    }

    @FunctionalInterface
    private interface Target {
        boolean isMet(int servers, double waitProbability);
    }

    /**
     * Walks c upwards from the first unsaturated count, carrying Erlang B along, so the whole search costs
     * O(c) however large c is. With no load, one server is still the answer.
     */
    private static int smallestServers(double offeredLoad, Target target) {
        double b = 1.0;
        for (int c = 1; ; c++) {
            b = nextBlocking(b, offeredLoad, c);
            if (offeredLoad < c && target.isMet(c, waitProbability(b, offeredLoad, c))) return c;
            if (c == Integer.MAX_VALUE) throw new ArithmeticException("no server count meets the target");
        }
    }

    private static double nextBlocking(double previous, double offeredLoad, int servers) {
        double carried = offeredLoad * previous;
        return carried / (servers + carried);
    }

    /** C = c·B / (c − a(1 − B)), for a < c. */
    private static double waitProbability(double blocking, double offeredLoad, int servers) {
        return servers * blocking / (servers - offeredLoad * (1 - blocking));
    }

    private static void requireLoad(double offeredLoad) {
        if (!(offeredLoad >= 0) || Double.isInfinite(offeredLoad)) {
            throw new IllegalArgumentException("offered load must be finite and >= 0, got " + offeredLoad);
        }
    }
}
