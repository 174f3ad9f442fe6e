package io.cpra.engine;

import java.time.Duration;

/** A clock that only moves when the test says so. */
final class VirtualClock implements Clock {

    private static final long WALL_BASE_MILLIS = 1_800_000_000_000L;
    private long nanos = 1_000_000_000L; // not zero, so nothing relies on time starting at 0

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public long wallMillis() {
        return WALL_BASE_MILLIS + nanos / 1_000_000;
    }

    void set(long nanos) {
        if (nanos < this.nanos) throw new IllegalArgumentException("time runs forward only");
        this.nanos = nanos;
    }

    void advance(Duration d) {
        nanos += d.toNanos();
    }
}
