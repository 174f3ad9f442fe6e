package io.cpra.engine.store;

import io.cpra.engine.MonitorState;

import java.util.Arrays;

/**
 * Every monitor's state as primitive columns indexed by slot: no object per monitor. Owned by the engine
 * thread; nothing else reads or writes it. The columns are public fields, as in an entity-component
 * store, so the systems read them without indirection; arrays grow while monitors are added.
 *
 * <p>A slot is reused after removal with its generation bumped, so a handle (slot, generation) taken
 * before the removal no longer matches.
 */
public final class MonitorStore {

    // flags
    public static final byte CHECK_IN_FLIGHT = 1;
    public static final byte RUN_IN_FLIGHT = 1 << 1;
    /** Queued in the engine's ready queue (due, waiting for a free job). */
    public static final byte IN_READY = 1 << 2;
    public static final byte INCIDENT_OPEN = 1 << 3;
    /** Pause reasons: the monitor is PAUSED while any is set. */
    public static final byte PAUSED_BY_API = 1 << 4;
    public static final byte DISABLED = 1 << 5;
    public static final byte IN_MAINTENANCE = 1 << 6;
    /** Queued in the engine's run queue (REMEDIATING, its next intervention run may start). */
    public static final byte IN_RUN_READY = (byte) (1 << 7);
    public static final byte PAUSE_REASONS = PAUSED_BY_API | DISABLED | IN_MAINTENANCE;

    public static final int NO_ACTION = -1;

    private static final int MAX_COUNTER = Short.MAX_VALUE;

    public int[] generation;
    public byte[] state;
    public byte[] flags;
    /** PF, RS, VR, IA of LIFECYCLE.md, saturating at Short.MAX_VALUE. */
    public short[] failures;
    public short[] successes;
    public short[] verifyLeft;
    public short[] failedRuns;
    /** U, K, M, A of LIFECYCLE.md. */
    public short[] unhealthyThreshold;
    public short[] recoveryThreshold;
    public short[] verifyThreshold;
    public short[] maxFailedRuns;
    /** Doublings of the intervention back-off so far in this incident. */
    public byte[] backoffLevel;
    public long[] intervalNanos;
    /** The check or intervention run in flight, or the last one (alerts name it). */
    public long[] jobId;
    /** Deadline of the check or run in flight. */
    public long[] deadlineNanos;
    /** REMEDIATING: when the next run may start; UNHEALTHY: when the red reminder is due. */
    public long[] timerNanos;
    public int[] alertSequence;
    /** Number of the last incident opened (the open one when INCIDENT_OPEN). */
    public int[] incidentNumber;
    /** Ids into the engine's interned tables. */
    public int[] probeId;
    public int[] codesId;
    public int[] actionId;
    /** Last failure reason of a check or run; probes use constant strings, so this is a reference. */
    public String[] lastError;
    /** {@code SpecFingerprint} of the spec the monitor runs: a reload leaves a monitor with an equal one alone. */
    public long[] fingerprint;
    /** Id of the monitor's {@code pulse_check.groups} list in the engine's interned table. */
    public int[] groupsId;
    /** Recent results, last colour, incident start: what the API shows. */
    public final History history;

    private final NameTable names;
    private final int[] countByState = new int[MonitorState.values().length];
    private int[] freeSlots = new int[16];
    private int freeCount;
    private int highWater;
    private int capacity;
    /** Changes whenever a monitor is added or removed, or its groups change: the grid's layout is stale. */
    private long layoutVersion;

    public MonitorStore(int initialCapacity) {
        capacity = Math.max(16, initialCapacity);
        names = new NameTable(capacity);
        generation = new int[capacity];
        state = new byte[capacity];
        flags = new byte[capacity];
        failures = new short[capacity];
        successes = new short[capacity];
        verifyLeft = new short[capacity];
        failedRuns = new short[capacity];
        unhealthyThreshold = new short[capacity];
        recoveryThreshold = new short[capacity];
        verifyThreshold = new short[capacity];
        maxFailedRuns = new short[capacity];
        backoffLevel = new byte[capacity];
        intervalNanos = new long[capacity];
        jobId = new long[capacity];
        deadlineNanos = new long[capacity];
        timerNanos = new long[capacity];
        alertSequence = new int[capacity];
        incidentNumber = new int[capacity];
        probeId = new int[capacity];
        codesId = new int[capacity];
        actionId = new int[capacity];
        lastError = new String[capacity];
        fingerprint = new long[capacity];
        groupsId = new int[capacity];
        history = new History(capacity);
    }

    /**
     * Takes a free slot for a new monitor in state {@code initial}, every counter zero.
     *
     * @throws IllegalArgumentException when the name is taken
     */
    public int allocate(String name, byte initial) {
        if (names.find(name) >= 0) throw new IllegalArgumentException("duplicate monitor name: " + name);
        int slot;
        if (freeCount > 0) {
            slot = freeSlots[--freeCount];
        } else {
            if (highWater == capacity) grow(capacity * 2);
            slot = highWater++;
        }
        clear(slot);
        names.put(slot, name);
        state[slot] = initial;
        countByState[initial]++;
        history.occupy(slot);
        layoutVersion++;
        return slot;
    }

    /** Frees the slot; its generation changes so stale handles no longer match. */
    public void free(int slot) {
        names.remove(slot);
        countByState[state[slot]]--;
        history.release(slot);
        layoutVersion++;
        generation[slot]++;
        clear(slot);
        if (freeCount == freeSlots.length) freeSlots = Arrays.copyOf(freeSlots, freeCount * 2);
        freeSlots[freeCount++] = slot;
    }

    /** @return the slot of a live monitor, or -1 */
    public int find(String name) {
        return names.find(name);
    }

    public String name(int slot) {
        return names.name(slot);
    }

    /** Whether a slot below {@link #highWater()} holds a monitor (it is not on the free list). */
    public boolean isLive(int slot) {
        return names.isLive(slot);
    }

    /** Reclaims the name bytes of removed monitors once they outweigh the live ones. */
    public void compactNames() {
        names.compactIfWasteful(highWater);
    }

    /** Bytes held for names, garbage of removed ones included. */
    public int nameBytes() {
        return names.arenaBytes();
    }

    public long nameHash(int slot) {
        return names.hash64(slot);
    }

    public void setState(int slot, byte to) {
        countByState[state[slot]]--;
        countByState[to]++;
        state[slot] = to;
    }

    public void setGroups(int slot, int id) {
        if (groupsId[slot] != id) layoutVersion++;
        groupsId[slot] = id;
    }

    public long layoutVersion() {
        return layoutVersion;
    }

    /** Whether the slot's name contains {@code needle} (UTF-8), without decoding it. */
    public boolean nameContains(int slot, byte[] needle) {
        return names.contains(slot, needle);
    }

    public boolean has(int slot, byte flag) {
        return (flags[slot] & flag) != 0;
    }

    public void set(int slot, byte flag) {
        flags[slot] |= flag;
    }

    public void clear(int slot, byte flag) {
        flags[slot] &= (byte) ~flag;
    }

    /** Adds one to a counter column without overflowing. */
    public static void increment(short[] column, int slot) {
        if (column[slot] < MAX_COUNTER) column[slot]++;
    }

    public int count(byte stateCode) {
        return countByState[stateCode];
    }

    /** Live monitors. */
    public int size() {
        return highWater - freeCount;
    }

    /** One past the highest slot ever used: live slots are below it. */
    public int highWater() {
        return highWater;
    }

    private void clear(int slot) {
        flags[slot] = 0;
        failures[slot] = 0;
        successes[slot] = 0;
        verifyLeft[slot] = 0;
        failedRuns[slot] = 0;
        backoffLevel[slot] = 0;
        jobId[slot] = 0;
        deadlineNanos[slot] = 0;
        timerNanos[slot] = 0;
        alertSequence[slot] = 0;
        incidentNumber[slot] = 0;
        lastError[slot] = null;
        actionId[slot] = NO_ACTION;
    }

    private void grow(int newCapacity) {
        capacity = newCapacity;
        names.growSlots(newCapacity);
        generation = Arrays.copyOf(generation, newCapacity);
        state = Arrays.copyOf(state, newCapacity);
        flags = Arrays.copyOf(flags, newCapacity);
        failures = Arrays.copyOf(failures, newCapacity);
        successes = Arrays.copyOf(successes, newCapacity);
        verifyLeft = Arrays.copyOf(verifyLeft, newCapacity);
        failedRuns = Arrays.copyOf(failedRuns, newCapacity);
        unhealthyThreshold = Arrays.copyOf(unhealthyThreshold, newCapacity);
        recoveryThreshold = Arrays.copyOf(recoveryThreshold, newCapacity);
        verifyThreshold = Arrays.copyOf(verifyThreshold, newCapacity);
        maxFailedRuns = Arrays.copyOf(maxFailedRuns, newCapacity);
        backoffLevel = Arrays.copyOf(backoffLevel, newCapacity);
        intervalNanos = Arrays.copyOf(intervalNanos, newCapacity);
        jobId = Arrays.copyOf(jobId, newCapacity);
        deadlineNanos = Arrays.copyOf(deadlineNanos, newCapacity);
        timerNanos = Arrays.copyOf(timerNanos, newCapacity);
        alertSequence = Arrays.copyOf(alertSequence, newCapacity);
        incidentNumber = Arrays.copyOf(incidentNumber, newCapacity);
        probeId = Arrays.copyOf(probeId, newCapacity);
        codesId = Arrays.copyOf(codesId, newCapacity);
        actionId = Arrays.copyOf(actionId, newCapacity);
        lastError = Arrays.copyOf(lastError, newCapacity);
        fingerprint = Arrays.copyOf(fingerprint, newCapacity);
        groupsId = Arrays.copyOf(groupsId, newCapacity);
        history.grow(newCapacity);
    }
}
