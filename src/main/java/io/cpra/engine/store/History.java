package io.cpra.engine.store;

import io.cpra.config.Colour;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the operator sees of a monitor's recent past, as primitive columns per slot: a ring of the last
 * {@link #DEPTH} check results (time, latency, error), the last colour raised and when the open incident
 * began. {@link #BYTES_PER_MONITOR} bytes per monitor, so a million monitors cost about 38 MB. Owned by the
 * engine thread, like the rest of the store.
 *
 * <p>Times are tenths of a second since the engine's origin, plus one (0 marks an empty entry); latencies
 * are milliseconds as IEEE half floats (three significant digits up to 65 s; NaN when unknown); errors are
 * ids into a small table of distinct texts (probes use constant strings), 0 for a success.
 */
public final class History {

    public static final int DEPTH = 4;
    public static final int BYTES_PER_MONITOR = DEPTH * (4 + 2 + 2) + 1 + 1 + 4;
    /** Error id of a success. */
    public static final short OK = 0;
    /** Distinct error texts kept; later ones share one id. */
    static final int MAX_ERROR_TEXTS = 4_096;
    static final String TEXT_NOT_KEPT = "check failed (error text not kept: too many distinct errors)";
    private static final short NOT_KEPT = 1;
    private static final byte NO_COLOUR = 0;
    private static final byte FREE = -1;

    private int[] at;
    private short[] latency;
    private short[] error;
    private byte[] next;
    /** Last colour raised, as ordinal + 1; 0 = none yet; {@link #FREE} when no monitor holds the slot. */
    private byte[] colour;
    /** When the open incident began (same unit as {@link #at}); 0 when none is open. */
    private int[] incidentSince;
    private final int[] countByColour = new int[Colour.values().length + 1];
    private final Map<String, Short> errorIds = new HashMap<>();
    private final List<String> errorTexts = new ArrayList<>(List.of("", TEXT_NOT_KEPT));

    History(int capacity) {
        at = new int[capacity * DEPTH];
        latency = new short[capacity * DEPTH];
        error = new short[capacity * DEPTH];
        next = new byte[capacity];
        colour = new byte[capacity];
        incidentSince = new int[capacity];
    }

    void grow(int capacity) {
        at = Arrays.copyOf(at, capacity * DEPTH);
        latency = Arrays.copyOf(latency, capacity * DEPTH);
        error = Arrays.copyOf(error, capacity * DEPTH);
        next = Arrays.copyOf(next, capacity);
        colour = Arrays.copyOf(colour, capacity);
        incidentSince = Arrays.copyOf(incidentSince, capacity);
    }

    /** A new monitor takes a free slot: no past, no colour yet. */
    void occupy(int slot) {
        Arrays.fill(at, slot * DEPTH, slot * DEPTH + DEPTH, 0);
        next[slot] = 0;
        colour[slot] = NO_COLOUR;
        incidentSince[slot] = 0;
        countByColour[NO_COLOUR]++;
    }

    void release(int slot) {
        countByColour[colour[slot]]--;
        colour[slot] = FREE;
    }

    /** Whether a monitor holds the slot (slots below the store's high water may be free). */
    public boolean isLive(int slot) {
        return colour[slot] != FREE;
    }

    /**
     * Records one check result. Allocates nothing (a new distinct error text costs one map entry, once).
     *
     * @param latencyNanos negative when unknown (a deadline expired)
     */
    public void record(int slot, long tenths, long latencyNanos, String errorText) {
        int i = slot * DEPTH + next[slot];
        at[i] = stamp(tenths);
        latency[i] = latencyNanos < 0 ? Float.floatToFloat16(Float.NaN) : Float.floatToFloat16(latencyNanos / 1e6f);
        error[i] = errorText == null ? OK : errorId(errorText);
        next[slot] = (byte) ((next[slot] + 1) % DEPTH);
    }

    public void raised(int slot, Colour c) {
        countByColour[colour[slot]]--;
        colour[slot] = (byte) (c.ordinal() + 1);
        countByColour[colour[slot]]++;
    }

    public void incidentOpened(int slot, long tenths) {
        incidentSince[slot] = stamp(tenths);
    }

    /** @return the last colour raised, or null */
    public Colour colour(int slot) {
        return colour[slot] == NO_COLOUR ? null : Colour.ofOrdinal(colour[slot] - 1);
    }

    /** @return the last colour as ordinal + 1, 0 for none: the grid's compact form */
    public byte colourCode(int slot) {
        return colour[slot];
    }

    /** Live monitors whose last colour is {@code c} (null: none raised yet). */
    public int countByColour(Colour c) {
        return countByColour[c == null ? NO_COLOUR : c.ordinal() + 1];
    }

    /** @return tenths since origin when the open incident began, or -1 */
    public long incidentSince(int slot) {
        return incidentSince[slot] - 1L;
    }

    /** The slot's results, newest first. */
    public List<Result> results(int slot) {
        List<Result> out = new ArrayList<>(DEPTH);
        for (int k = 1; k <= DEPTH; k++) {
            int i = slot * DEPTH + Math.floorMod(next[slot] - k, DEPTH);
            if (at[i] == 0) break;
            float ms = Float.float16ToFloat(latency[i]);
            out.add(new Result(at[i] - 1L, Float.isNaN(ms) ? -1 : ms, error[i] == OK ? null : errorTexts.get(error[i])));
        }
        return out;
    }

    private short errorId(String text) {
        Short id = errorIds.get(text);
        if (id != null) return id;
        if (errorTexts.size() >= MAX_ERROR_TEXTS) return NOT_KEPT;
        short fresh = (short) errorTexts.size();
        errorTexts.add(text);
        errorIds.put(text, fresh);
        return fresh;
    }

    private static int stamp(long tenths) {
        return (int) Math.min(Integer.MAX_VALUE, tenths + 1);
    }

    /**
     * One remembered check result.
     *
     * @param tenths    tenths of a second since the engine's origin
     * @param latencyMs -1 when unknown
     * @param error     null on success
     */
    public record Result(long tenths, float latencyMs, String error) {}
}
