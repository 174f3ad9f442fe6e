package io.cpra.engine;

/**
 * The one clock of CPRA. Monotonic nanoseconds drive schedules and deadlines; wall milliseconds only
 * stamp alerts. Tests drive a virtual clock; nothing else calls System.nanoTime for engine decisions.
 */
public interface Clock {

    long nanoTime();

    long wallMillis();

    Clock SYSTEM = new Clock() {
        @Override public long nanoTime() { return System.nanoTime(); }

        @Override public long wallMillis() { return System.currentTimeMillis(); }
    };
}
