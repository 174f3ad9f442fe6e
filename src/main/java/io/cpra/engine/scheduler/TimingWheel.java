package io.cpra.engine.scheduler;

import java.util.Arrays;

/**
 * A hashed timing wheel over dense int ids (monitor slots or job indexes): each id is in at most one
 * bucket, linked through primitive next/prev arrays, so scheduling and cancelling are O(1) and allocate
 * nothing. {@link #poll} visits only the buckets whose time has come: its cost follows the number of
 * due entries (plus entries parked there for a later rotation), not the number of ids.
 */
public final class TimingWheel {

    /** Called for each due id, already unlinked; it may schedule ids again. */
    @FunctionalInterface
    public interface DueHandler {
        void due(int id, long dueNanos);
    }

    private static final int NONE = -1;
    /** prev[] value of an id that is in no bucket. */
    private static final int UNLINKED = -2;

    private final long resolutionNanos;
    private final int mask;
    private final int[] heads;
    private int[] next;
    private int[] prev;
    private int[] bucketOf;
    private long[] due;
    /** First bucket time index not fully passed: the next poll starts here. */
    private long cursor;
    private int size;

    /**
     * @param buckets         rounded up to a power of two; buckets x resolution is one rotation
     * @param resolutionNanos width of one bucket
     */
    public TimingWheel(int capacity, int buckets, long resolutionNanos, long nowNanos) {
        if (resolutionNanos <= 0) throw new IllegalArgumentException("resolution must be positive");
        int n = Integer.highestOneBit(Math.max(2, buckets - 1)) << 1;
        this.resolutionNanos = resolutionNanos;
        this.mask = n - 1;
        this.heads = new int[n];
        Arrays.fill(heads, NONE);
        this.next = new int[capacity];
        this.prev = new int[capacity];
        this.bucketOf = new int[capacity];
        this.due = new long[capacity];
        Arrays.fill(prev, UNLINKED);
        this.cursor = Math.floorDiv(nowNanos, resolutionNanos);
    }

    public void ensureCapacity(int capacity) {
        if (capacity <= next.length) return;
        int old = next.length;
        int n = Math.max(capacity, old * 2);
        next = Arrays.copyOf(next, n);
        prev = Arrays.copyOf(prev, n);
        bucketOf = Arrays.copyOf(bucketOf, n);
        due = Arrays.copyOf(due, n);
        Arrays.fill(prev, old, n, UNLINKED);
    }

    /** Schedules the id at {@code dueNanos}, replacing any earlier schedule of it. */
    public void schedule(int id, long dueNanos) {
        if (prev[id] != UNLINKED) unlink(id);
        due[id] = dueNanos;
        // a time already passed goes to the bucket the next poll visits first
        int bucket = (int) (Math.max(Math.floorDiv(dueNanos, resolutionNanos), cursor) & mask);
        bucketOf[id] = bucket;
        int head = heads[bucket];
        next[id] = head;
        prev[id] = NONE;
        if (head != NONE) prev[head] = id;
        heads[bucket] = id;
        size++;
    }

    public void cancel(int id) {
        if (id < prev.length && prev[id] != UNLINKED) unlink(id);
    }

    public boolean isScheduled(int id) {
        return prev[id] != UNLINKED;
    }

    /** The due time of a scheduled id (or the last one it had). */
    public long dueNanos(int id) {
        return due[id];
    }

    public int size() {
        return size;
    }

    /** Hands every id due at or before {@code nowNanos} to the handler, in bucket (time) order. */
    public void poll(long nowNanos, DueHandler handler) {
        long last = Math.floorDiv(nowNanos, resolutionNanos);
        long first = Math.max(cursor, last - mask); // after a long gap one pass over all buckets finds everything
        for (long t = first; t <= last && size > 0; t++) {
            int id = heads[(int) (t & mask)];
            while (id != NONE) {
                int following = next[id];
                long when = due[id];
                if (when <= nowNanos) {
                    unlink(id);
                    handler.due(id, when);
                }
                id = following;
            }
        }
        // the current bucket may still hold entries due later in it: visit it again next time
        if (last > cursor) cursor = last;
    }

    private void unlink(int id) {
        int p = prev[id];
        int n = next[id];
        if (p == NONE) {
            heads[bucketOf[id]] = n;
        } else {
            next[p] = n;
        }
        if (n != NONE) prev[n] = p;
        prev[id] = UNLINKED;
        size--;
    }
}
