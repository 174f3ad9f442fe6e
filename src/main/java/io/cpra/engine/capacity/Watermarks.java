package io.cpra.engine.capacity;

/**
 * Hysteresis over a queue's length: it holds (stop feeding the queue) from when the length reaches the
 * high watermark until it falls to the low one, so the feeder does not flap on and off at one level.
 * Counts how often it started holding. One thread calls {@link #holds}.
 */
public final class Watermarks {

    private final int high;
    private final int low;
    private boolean holding;
    private long pauses;

    public Watermarks(int high, int low) {
        if (low < 0 || high <= low) throw new IllegalArgumentException("need 0 <= low < high, got low " + low + ", high " + high);
        this.high = high;
        this.low = low;
    }

    /** @return whether to hold back at this queue length */
    public boolean holds(int length) {
        if (holding) {
            if (length <= low) holding = false;
        } else if (length >= high) {
            holding = true;
            pauses++;
        }
        return holding;
    }

    /** The last answer of {@link #holds}. */
    public boolean holding() {
        return holding;
    }

    /** Times it went from flowing to holding. */
    public long pauses() {
        return pauses;
    }

    public int high() {
        return high;
    }

    public int low() {
        return low;
    }
}
