package io.cpra.engine.capacity;

import java.util.Arrays;

/**
 * Arrivals and service times over the last few seconds (by default 30 one-second buckets), so the
 * figures follow the load as it changes instead of averaging a whole lifetime. Each bucket holds only
 * primitive sums (count, sum, sum of squares); a bucket is cleared when time comes round to it again.
 *
 * <p>Not thread-safe: one thread (the engine's) records and reads. Recording allocates nothing and costs
 * a division and a few array writes; reading walks the buckets.
 */
public final class SlidingWindow {

    public static final long DEFAULT_BUCKET_NANOS = 1_000_000_000L;
    public static final int DEFAULT_BUCKETS = 30;
    private static final double NANOS_PER_SECOND = 1e9;

    private final long bucketNanos;
    private final int buckets;
    /** The bucket number (time / bucketNanos) each slot holds; stale when old, never live while MIN_VALUE. */
    private final long[] bucketNumbers;
    private final long[] arrivals;
    private final Moments gaps;
    private final Moments serviceTimes;
    private long firstRecordNanos;
    private long lastArrivalNanos;
    private boolean recorded;
    private boolean arrived;

    public SlidingWindow() {
        this(DEFAULT_BUCKET_NANOS, DEFAULT_BUCKETS);
    }

    public SlidingWindow(long bucketNanos, int buckets) {
        if (bucketNanos <= 0) throw new IllegalArgumentException("bucket length must be > 0 ns, got " + bucketNanos);
        if (buckets < 2) throw new IllegalArgumentException("a window needs at least 2 buckets, got " + buckets);
        this.bucketNanos = bucketNanos;
        this.buckets = buckets;
        this.bucketNumbers = new long[buckets];
        Arrays.fill(bucketNumbers, Long.MIN_VALUE);
        this.arrivals = new long[buckets];
        this.gaps = new Moments(buckets);
        this.serviceTimes = new Moments(buckets);
    }

    /** One arrival (a check became due) at {@code nowNanos}; times must not go backwards. */
    public void recordArrival(long nowNanos) {
        int slot = slot(nowNanos);
        arrivals[slot]++;
        if (arrived) gaps.add(slot, nowNanos - lastArrivalNanos);
        lastArrivalNanos = nowNanos;
        arrived = true;
    }

    /**
     * {@code count} arrivals noticed together at {@code nowNanos} (checks that fell due while their monitor
     * waited, the engine's missed slots): they count for λ, but their gaps were never seen, so not for ca.
     */
    public void recordArrivals(long nowNanos, long count) {
        if (count < 0) throw new IllegalArgumentException("count must be >= 0, got " + count);
        arrivals[slot(nowNanos)] += count;
    }

    /** One completed service (a check's result came back) that took {@code serviceNanos}. */
    public void recordCompletion(long nowNanos, long serviceNanos) {
        serviceTimes.add(slot(nowNanos), serviceNanos);
    }

    /** λ, arrivals per second over the window (or over the time since the first record, if shorter). */
    public double arrivalRate(long nowNanos) {
        long count = 0;
        for (int slot = 0; slot < buckets; slot++) {
            if (isLive(slot, nowNanos)) count += arrivals[slot];
        }
        return count == 0 ? 0 : count * NANOS_PER_SECOND / coveredNanos(nowNanos);
    }

    /** μ, services per second of one server: 1 / mean service time; 0 with no completion in the window. */
    public double serviceRate(long nowNanos) {
        double mean = serviceTimes.mean(this, nowNanos);
        return mean > 0 ? NANOS_PER_SECOND / mean : 0;
    }

    /** Mean service time in nanoseconds; 0 with no completion in the window. */
    public double meanServiceNanos(long nowNanos) {
        return serviceTimes.mean(this, nowNanos);
    }

    /** ca, the coefficient of variation of inter-arrival times; 1 (Poisson) until there are two gaps. */
    public double arrivalCv(long nowNanos) {
        return gaps.coefficientOfVariation(this, nowNanos);
    }

    /** cs, the coefficient of variation of service times; 1 (exponential) until there are two samples. */
    public double serviceCv(long nowNanos) {
        return serviceTimes.coefficientOfVariation(this, nowNanos);
    }

    /** Completions in the window. */
    public long completions(long nowNanos) {
        return serviceTimes.count(this, nowNanos);
    }

    private int slot(long nowNanos) {
        if (!recorded) {
            firstRecordNanos = nowNanos;
            recorded = true;
        }
        long number = Math.floorDiv(nowNanos, bucketNanos);
        int slot = (int) Math.floorMod(number, (long) buckets);
        if (bucketNumbers[slot] != number) {
            bucketNumbers[slot] = number;
            arrivals[slot] = 0;
            gaps.clear(slot);
            serviceTimes.clear(slot);
        }
        return slot;
    }

    private boolean isLive(int slot, long nowNanos) {
        long age = Math.floorDiv(nowNanos, bucketNanos) - bucketNumbers[slot];
        return age >= 0 && age < buckets;
    }

    /** The time the live buckets span, at least one bucket so a fresh window does not divide by ~0. */
    private long coveredNanos(long nowNanos) {
        long window = (buckets - 1) * bucketNanos + Math.floorMod(nowNanos, bucketNanos);
        return Math.max(bucketNanos, Math.min(window, nowNanos - firstRecordNanos));
    }

    /** Per-bucket count, sum and sum of squares of one measured quantity, in nanoseconds. */
    private static final class Moments {
        private final long[] counts;
        private final double[] sums;
        private final double[] squares;

        Moments(int buckets) {
            counts = new long[buckets];
            sums = new double[buckets];
            squares = new double[buckets];
        }

        void add(int slot, long nanos) {
            double value = nanos;
            counts[slot]++;
            sums[slot] += value;
            squares[slot] += value * value;
        }

        void clear(int slot) {
            counts[slot] = 0;
            sums[slot] = 0;
            squares[slot] = 0;
        }

        long count(SlidingWindow window, long nowNanos) {
            long n = 0;
            for (int slot = 0; slot < counts.length; slot++) {
                if (window.isLive(slot, nowNanos)) n += counts[slot];
            }
            return n;
        }

        double mean(SlidingWindow window, long nowNanos) {
            long n = 0;
            double sum = 0;
            for (int slot = 0; slot < counts.length; slot++) {
                if (!window.isLive(slot, nowNanos)) continue;
                n += counts[slot];
                sum += sums[slot];
            }
            return n == 0 ? 0 : sum / n;
        }

        double coefficientOfVariation(SlidingWindow window, long nowNanos) {
            long n = 0;
            double sum = 0;
            double sumOfSquares = 0;
            for (int slot = 0; slot < counts.length; slot++) {
                if (!window.isLive(slot, nowNanos)) continue;
                n += counts[slot];
                sum += sums[slot];
                sumOfSquares += squares[slot];
            }
            if (n < 2) return 1;
            double mean = sum / n;
            if (mean <= 0) return 0;
            double variance = Math.max(0, sumOfSquares / n - mean * mean);
            return Math.sqrt(variance) / mean;
        }
    }
}
