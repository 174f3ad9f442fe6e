package io.cpra.checks.conditions;

/** How much certificate time is left, in words: "expires in 29d 23h", "expired 3 days ago". */
public final class Expiry {

    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;

    private Expiry() {}

    public static String describe(long remainingMillis) {
        if (remainingMillis >= 0) return "certificate expires in " + span(remainingMillis);
        long ago = -remainingMillis;
        if (ago >= DAY) {
            long days = ago / DAY;
            return "certificate expired " + days + (days == 1 ? " day ago" : " days ago");
        }
        return "certificate expired " + span(ago) + " ago";
    }

    /** "29d 23h", "5h 10m", "12m 3s", "850ms": the two largest units. */
    static String span(long ms) {
        if (ms >= DAY) return ms / DAY + "d " + ms % DAY / HOUR + "h";
        if (ms >= HOUR) return ms / HOUR + "h " + ms % HOUR / 60_000 + "m";
        if (ms >= 60_000) return ms / 60_000 + "m " + ms % 60_000 / 1000 + "s";
        if (ms >= 1000) return ms / 1000 + "s";
        return ms + "ms";
    }
}
