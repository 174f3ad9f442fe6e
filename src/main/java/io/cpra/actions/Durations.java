package io.cpra.actions;

/** Durations in the monitor-file style ({@code 5s}, {@code 500ms}, {@code 1m30s}) for error texts. */
final class Durations {

    private Durations() {}

    static String format(long nanos) {
        long millis = nanos / 1_000_000;
        if (millis % 1000 != 0 || millis == 0) return millis + "ms";
        long seconds = millis / 1000;
        if (seconds < 60) return seconds + "s";
        long minutes = seconds / 60;
        return minutes + "m" + (seconds % 60 == 0 ? "" : seconds % 60 + "s");
    }
}
