package io.cpra.checks.icmp;

import io.cpra.config.Durations;

/** Error texts shared by the transports, in the monitor-file style ({@code 2s}, {@code 500ms}). */
final class IcmpTexts {

    static final String TOO_MANY = "too many ICMP requests in flight";
    static final String CLOSED = "ICMP checks closed";

    private IcmpTexts() {}

    static String ipv4(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }

    static String timeout(long timeoutNanos, int sent) {
        return "timeout after " + Durations.format(timeoutNanos) + " (no echo reply): 100% packet loss (" + sent + " sent)";
    }
}
