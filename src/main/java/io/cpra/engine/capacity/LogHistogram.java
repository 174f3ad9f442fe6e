package io.cpra.engine.capacity;

import java.util.Arrays;

/**
 * Counts of non-negative longs (nanoseconds) in log-linear buckets, as HdrHistogram does: 32 linear
 * sub-buckets per power of two, so a reported percentile is at most about 3% above the true value.
 * Recording is an array increment: nothing is allocated. One thread records; {@link #copy} snapshots.
 */
public final class LogHistogram {

    private static final int SUB_BITS = 5;
    private static final int SUB_COUNT = 1 << SUB_BITS;
    private static final int SUB_MASK = SUB_COUNT - 1;
    /** Enough buckets for Long.MAX_VALUE. */
    private static final int BUCKETS = (63 - SUB_BITS + 1) * SUB_COUNT;

    private final long[] counts;
    private long total;
    private long max;

    public LogHistogram() {
        this(new long[BUCKETS], 0, 0);
    }

    private LogHistogram(long[] counts, long total, long max) {
        this.counts = counts;
        this.total = total;
        this.max = max;
    }

    /** Records one value; negative values count as 0. */
    public void record(long value) {
        long v = Math.max(0, value);
        counts[index(v)]++;
        total++;
        if (v > max) max = v;
    }

    public long count() {
        return total;
    }

    /** The largest value recorded (exact for a recording histogram, a bucket's upper edge for a difference). */
    public long max() {
        return max;
    }

    /**
     * The value at or below which {@code fraction} of the recorded values lie, as the upper edge of its
     * bucket (never more than {@link #max}); 0 when empty.
     */
    public long percentile(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) throw new IllegalArgumentException("fraction must be within 0-1, got " + fraction);
        if (total == 0) return 0;
        long rank = Math.max(1, (long) Math.ceil(fraction * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) return Math.min(max, upperEdge(i));
        }
        return max;
    }

    public LogHistogram copy() {
        return new LogHistogram(counts.clone(), total, max);
    }

    /** What was recorded after {@code earlier} (a copy of this histogram taken before). */
    public LogHistogram since(LogHistogram earlier) {
        long[] diff = new long[BUCKETS];
        long n = 0;
        int highest = -1;
        for (int i = 0; i < BUCKETS; i++) {
            diff[i] = counts[i] - earlier.counts[i];
            if (diff[i] < 0) throw new IllegalArgumentException("not an earlier copy of this histogram");
            n += diff[i];
            if (diff[i] > 0) highest = i;
        }
        return new LogHistogram(diff, n, highest < 0 ? 0 : Math.min(max, upperEdge(highest)));
    }

    public void reset() {
        Arrays.fill(counts, 0);
        total = 0;
        max = 0;
    }

    static int index(long v) {
        if (v < SUB_COUNT) return (int) v;
        int shift = 63 - Long.numberOfLeadingZeros(v) - SUB_BITS;
        return (shift + 1) << SUB_BITS | (int) ((v >>> shift) & SUB_MASK);
    }

    static long upperEdge(int index) {
        if (index < SUB_COUNT) return index;
        int shift = (index >> SUB_BITS) - 1;
        long lower = (long) ((index & SUB_MASK) | SUB_COUNT) << shift;
        return lower + (1L << shift) - 1;
    }
}
