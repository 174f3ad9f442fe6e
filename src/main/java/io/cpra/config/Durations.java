package io.cpra.config;

/**
 * Durations in the monitor-file style: Go's {@code time.ParseDuration} grammar, as v0.5 files use it
 * ({@code 500ms}, {@code 1m30s}, {@code 1h2m3.5s}), and the same style for messages.
 */
public final class Durations {

    private Durations() {}

    /** Thrown with a message fit for the user; never carries the value itself. */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** @return nanoseconds, possibly zero or negative (callers decide what they accept) */
    public static long parse(String s) throws Invalid {
        int i = 0;
        int n = s.length();
        boolean negative = false;
        if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) negative = s.charAt(i++) == '-';
        if (i == n) throw new Invalid("empty duration; write for example 10s, 500ms or 1m30s");
        if (n - i == 1 && s.charAt(i) == '0') return 0;
        long total = 0;
        while (i < n) {
            long whole = 0;
            long fraction = 0;
            long scale = 1;
            int start = i;
            boolean overflow = false;
            while (i < n && isDigit(s.charAt(i))) {
                if (whole > (Long.MAX_VALUE - 9) / 10) overflow = true;
                else whole = whole * 10 + (s.charAt(i) - '0');
                i++;
            }
            boolean hadWhole = i > start;
            boolean hadFraction = false;
            if (i < n && s.charAt(i) == '.') {
                i++;
                int fracStart = i;
                while (i < n && isDigit(s.charAt(i))) {
                    if (scale <= Long.MAX_VALUE / 10 / 10) { // keep precision without overflowing
                        fraction = fraction * 10 + (s.charAt(i) - '0');
                        scale *= 10;
                    }
                    i++;
                }
                hadFraction = i > fracStart;
            }
            if (!hadWhole && !hadFraction) throw new Invalid("not a duration; write for example 10s, 500ms or 1m30s");
            int unitStart = i;
            while (i < n && !isDigit(s.charAt(i)) && s.charAt(i) != '.') i++;
            if (unitStart == i) {
                throw new Invalid("missing unit in duration; write for example 10s, 500ms or 1m30s"
                        + " (units: ns, us, ms, s, m, h)");
            }
            long unit = unit(s, unitStart, i);
            if (overflow || whole > Long.MAX_VALUE / unit) throw new Invalid("duration is too long");
            long value = whole * unit;
            if (fraction > 0) value += (long) ((double) fraction * ((double) unit / scale));
            total += value;
            if (total < 0) throw new Invalid("duration is too long");
        }
        return negative ? -total : total;
    }

    private static long unit(String s, int from, int to) throws Invalid {
        int len = to - from;
        char c0 = s.charAt(from);
        if (len == 1) {
            switch (c0) {
                case 's': return 1_000_000_000L;
                case 'm': return 60_000_000_000L;
                case 'h': return 3_600_000_000_000L;
                default: break;
            }
        } else if (len == 2 && s.charAt(from + 1) == 's') {
            switch (c0) {
                case 'n': return 1L;
                case 'u', '\u00b5', '\u03bc': return 1_000L;
                case 'm': return 1_000_000L;
                default: break;
            }
        }
        throw new Invalid("unknown unit \"" + s.substring(from, to) + "\" in duration (units: ns, us, ms, s, m, h)");
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** {@code 5s}, {@code 500ms}, {@code 1m30s}: how durations read in errors and alerts. */
    public static String format(long nanos) {
        long millis = nanos / 1_000_000;
        if (millis == 0 && nanos > 0) return nanos / 1000 + "us";
        if (millis % 1000 != 0 || millis == 0) return millis + "ms";
        long seconds = millis / 1000;
        if (seconds < 60) return seconds + "s";
        return seconds / 60 + "m" + (seconds % 60 == 0 ? "" : seconds % 60 + "s");
    }
}
