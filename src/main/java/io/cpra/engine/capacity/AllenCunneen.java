package io.cpra.engine.capacity;

/**
 * The Allen-Cunneen approximation for G/G/c: the M/M/c wait scaled by the variability of arrivals and
 * service, {@code Wq ≈ Wq(M/M/c) · (ca² + cs²) / 2}, where ca and cs are the coefficients of variation
 * (standard deviation / mean) of inter-arrival and service times. With ca = cs = 1 it is M/M/c exactly.
 */
public final class AllenCunneen {

    private AllenCunneen() {}

    /** (ca² + cs²) / 2: 1 for exponential arrivals and service, 0.5 for Poisson arrivals and fixed service. */
    public static double variabilityFactor(double arrivalCv, double serviceCv) {
        if (!(arrivalCv >= 0) || !(serviceCv >= 0)) {
            throw new IllegalArgumentException("coefficients of variation must be >= 0, got " + arrivalCv + ", " + serviceCv);
        }
        return (arrivalCv * arrivalCv + serviceCv * serviceCv) / 2;
    }

    /** Mean wait in the queue, in seconds; infinite when saturated. */
    public static double meanWaitSeconds(double arrivalRate, double serviceRate, int servers,
                                         double arrivalCv, double serviceCv) {
        double factor = variabilityFactor(arrivalCv, serviceCv);
        double markovian = ErlangC.meanWaitSeconds(arrivalRate, serviceRate, servers);
        return factor == 0 && Double.isInfinite(markovian) ? markovian : markovian * factor;
    }

    /**
     * The smallest c whose approximate mean wait is at most {@code targetWaitNanos}. Perfectly regular
     * traffic (factor 0) never waits, so it needs only enough servers not to saturate.
     */
    public static int serversForWait(double arrivalRate, double serviceRate, double arrivalCv, double serviceCv,
                                     long targetWaitNanos) {
        if (targetWaitNanos <= 0) throw new IllegalArgumentException("target wait must be > 0 ns, got " + targetWaitNanos);
        double factor = variabilityFactor(arrivalCv, serviceCv);
        double markovianTarget = factor == 0 ? Double.MAX_VALUE : targetWaitNanos / 1e9 / factor;
        return ErlangC.serversForWaitSeconds(arrivalRate, serviceRate, markovianTarget);
    }
}
