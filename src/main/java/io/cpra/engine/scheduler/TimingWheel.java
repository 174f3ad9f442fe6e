package io.cpra.engine.scheduler;

import java.util.Arrays;

/**
 * A two-level timing wheel over dense int ids (monitor slots or job indexes). Each id is in at most one
 * bucket, linked through primitive next/prev arrays, so scheduling and cancelling are O(1) and allocate
 * nothing.
 *
 * <p>Level 0 has one bucket per resolution step and holds only ids due in the current level-1 slot (one
 * level-0 rotation wide); level 1 holds everything later, one bucket per rotation of level 0. When time
 * enters a level-1 slot, its ids move down to level 0 (each id moves at most once per due time). So a
 * {@link #poll} costs what is due plus, once per rotation, moving the next slot's ids: it does not grow
 * with the ids due later. Times beyond level 1's span (buckets^2 x resolution) stay in their level-1
 * bucket until the rotation they belong to.
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
    private final int levelBits;
    private final int levelMask;
    /** Level-0 buckets first, then level-1 buckets. */
    private final int[] heads;
    private int[] next;
    private int[] prev;
    private int[] bucketOf;
    private long[] due;
    /** The level-0 step the next poll starts at (during a poll: where it ends); past due times are filed there. */
    private long cursor;
    /** The step a poll is at; outside a poll, the cursor. Steps before it have been passed. */
    private long scanStep;
    /** True while handing out the ids of the bucket at scanStep. */
    private boolean visiting;
    /** The latest level-1 slot moved down to level 0. */
    private long cascaded;
    private int size;
    private int levelZeroSize;

    /**
     * @param bucketsPerLevel rounded up to a power of two; one level-0 rotation is buckets x resolution
     * @param resolutionNanos width of one level-0 bucket
     */
    public TimingWheel(int capacity, int bucketsPerLevel, long resolutionNanos, long nowNanos) {
        if (resolutionNanos <= 0) throw new IllegalArgumentException("resolution must be positive");
        int n = Integer.highestOneBit(Math.max(2, bucketsPerLevel - 1)) << 1;
        this.resolutionNanos = resolutionNanos;
        this.levelBits = Integer.numberOfTrailingZeros(n);
        this.levelMask = n - 1;
        this.heads = new int[2 * n];
        Arrays.fill(heads, NONE);
        this.next = new int[capacity];
        this.prev = new int[capacity];
        this.bucketOf = new int[capacity];
        this.due = new long[capacity];
        Arrays.fill(prev, UNLINKED);
        this.cursor = Math.floorDiv(nowNanos, resolutionNanos);
        this.cascaded = cursor >> levelBits;
        this.scanStep = cursor;
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
        link(id);
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
        poll(nowNanos, handler, Integer.MAX_VALUE);
    }

    /**
     * Like {@link #poll(long, DueHandler)} but hands out at most {@code limit} ids: the rest stay scheduled,
     * unchanged, and the next poll starts with the bucket this one stopped in, so they keep their time order.
     *
     * @return the ids handed out
     */
    public int poll(long nowNanos, DueHandler handler, int limit) {
        long last = Math.floorDiv(nowNanos, resolutionNanos);
        long step = cursor;
        // the last bucket may still hold ids due later within it: the next poll visits it again; ids
        // scheduled meanwhile for a time already passed are filed there too
        if (last > cursor) cursor = last;
        int handed = 0;
        while (step <= last && handed < limit) {
            if (size == 0) {
                cascaded = Math.max(cascaded, last >> levelBits);
                break;
            }
            scanStep = step;
            long slot = step >> levelBits;
            if (slot > cascaded) cascadeTo(slot);
            visiting = true;
            handed += visit((int) (step & levelMask), nowNanos, handler, limit - handed);
            visiting = false;
            if (handed >= limit) {
                cursor = step; // this bucket may hold more due ids: the next poll starts here
                break;
            }
            // an empty level 0 has nothing before the next slot's start
            step = levelZeroSize == 0 ? Math.max(step + 1, (slot + 1) << levelBits) : step + 1;
        }
        scanStep = cursor;
        return handed;
    }

    /** Moves the ids of the level-1 slots up to {@code slot} that are due in them down to level 0. */
    private void cascadeTo(long slot) {
        for (long s = Math.max(cascaded + 1, slot - levelMask); s <= slot; s++) {
            cascaded = s;
            int id = heads[levelMask + 1 + (int) (s & levelMask)];
            while (id != NONE) {
                int following = next[id];
                if (Math.floorDiv(due[id], resolutionNanos) >> levelBits <= s) {
                    unlink(id);
                    link(id);
                }
                id = following;
            }
        }
        cascaded = slot;
    }

    /** @return the ids handed out, at most {@code budget} */
    private int visit(int bucket, long nowNanos, DueHandler handler, int budget) {
        int handed = 0;
        int id = heads[bucket];
        while (id != NONE && handed < budget) {
            int following = next[id];
            long when = due[id];
            if (when <= nowNanos) {
                unlink(id);
                handler.due(id, when);
                handed++;
            }
            id = following;
        }
        return handed;
    }

    private void link(int id) {
        long step = Math.floorDiv(due[id], resolutionNanos);
        int bucket;
        if (step >> levelBits <= cascaded) {
            // a step the scan has passed (or is handing out) goes where this poll ends and the next starts
            bucket = (int) ((step < scanStep || (visiting && step == scanStep) ? cursor : step) & levelMask);
            levelZeroSize++;
        } else {
            bucket = levelMask + 1 + (int) ((step >> levelBits) & levelMask);
        }
        bucketOf[id] = bucket;
        int head = heads[bucket];
        next[id] = head;
        prev[id] = NONE;
        if (head != NONE) prev[head] = id;
        heads[bucket] = id;
        size++;
    }

    private void unlink(int id) {
        int p = prev[id];
        int n = next[id];
        int bucket = bucketOf[id];
        if (p == NONE) {
            heads[bucket] = n;
        } else {
            next[p] = n;
        }
        if (n != NONE) prev[n] = p;
        prev[id] = UNLINKED;
        size--;
        if (bucket <= levelMask) levelZeroSize--;
    }
}
