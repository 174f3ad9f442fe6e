package io.cpra.checks.icmp;

/** Error texts shared by the transports, in the monitor-file style ({@code 2s}, {@code 500ms}). */
final class IcmpTexts {

    static final String TOO_MANY = "too many ICMP requests in flight";
    static final String CLOSED = "ICMP checks closed";

    private IcmpTexts() {}

    static String duration(long nanos) {
        long millis = nanos / 1_000_000;
        if (millis % 1000 != 0 || millis == 0) return millis + "ms";
        long seconds = millis / 1000;
        if (seconds < 60) return seconds + "s";
        return seconds / 60 + "m" + (seconds % 60 == 0 ? "" : seconds % 60 + "s");
    }

    static String ipv4(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }

    static String timeout(long timeoutNanos, int sent) {
        return "timeout after " + duration(timeoutNanos) + " (no echo reply): 100% packet loss (" + sent + " sent)";
    }
}
