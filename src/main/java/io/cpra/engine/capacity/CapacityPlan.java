package io.cpra.engine.capacity;

import java.util.Locale;

/**
 * One capacity figure set, computed from a sliding window: what came in, how long it took, and how many
 * servers (checks in flight) keep the mean wait under the target. Rates are per second.
 *
 * @param computedAtNanos    the clock reading it was computed at
 * @param arrivalRate        λ, arrivals per second
 * @param serviceRate        μ, services per second per server (1 / mean service time); 0 without data
 * @param arrivalCv          ca, coefficient of variation of inter-arrival times
 * @param serviceCv          cs, coefficient of variation of service times
 * @param offeredLoad        a = λ/μ, the mean number of busy servers (Little's law)
 * @param servers            c, the recommended limit of work in flight
 * @param utilisation        ρ = λ/(cμ); 1 or more means saturated at c
 * @param waitProbability    P(W > 0) at c, by Erlang C
 * @param predictedWaitNanos Wq at c by Allen-Cunneen; {@link Long#MAX_VALUE} when saturated
 * @param targetWaitNanos    the mean wait c was chosen for
 */
public record CapacityPlan(long computedAtNanos, double arrivalRate, double serviceRate, double arrivalCv,
                           double serviceCv, double offeredLoad, int servers, double utilisation,
                           double waitProbability, long predictedWaitNanos, long targetWaitNanos) {

    /** True when there was nothing to measure: {@link #servers} is then just the planner's floor. */
    public boolean idle() {
        return arrivalRate == 0 || serviceRate == 0;
    }

    public boolean saturated() {
        return utilisation >= 1;
    }

    /** One status-line phrase, e.g. {@code in-flight 5031 (rho 0.994, wait 0.97ms) for 99958/s x 50.04ms, ca 1.00 cs 1.00}. */
    @Override
    public String toString() {
        if (idle()) return "in-flight " + servers + " (no load measured)";
        String wait = saturated() ? "saturated" : "wait " + millis(predictedWaitNanos);
        return String.format(Locale.ROOT, "in-flight %d (rho %.3f, %s) for %.0f/s x %s, ca %.2f cs %.2f",
                servers, utilisation, wait, arrivalRate, millis(1e9 / serviceRate), arrivalCv, serviceCv);
    }

    private static String millis(double nanos) {
        return String.format(Locale.ROOT, "%.2fms", nanos / 1e6);
    }
}
