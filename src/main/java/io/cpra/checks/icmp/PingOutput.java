package io.cpra.checks.icmp;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The summary of a {@code ping} run, read from its output. Understands iputils ({@code rtt min/avg/max/mdev})
 * and BusyBox ({@code round-trip min/avg/max}) wording.
 *
 * @param avgRttNanos average round-trip time, 0 when nothing came back
 */
record PingOutput(int transmitted, int received, long avgRttNanos) {

    private static final Pattern COUNTS =
            Pattern.compile("(\\d+) packets transmitted, (\\d+) (?:packets )?received");
    private static final Pattern RTT = Pattern.compile("min/avg/max(?:/m?dev)? = [\\d.]+/([\\d.]+)/");

    /** The summary, or null when the output has no packet counts (ping failed before sending). */
    static PingOutput parse(String output) {
        Matcher counts = COUNTS.matcher(output);
        if (!counts.find()) return null;
        int transmitted = Integer.parseInt(counts.group(1));
        int received = Integer.parseInt(counts.group(2));
        Matcher rtt = RTT.matcher(output);
        long avg = rtt.find() ? Math.max(1, Math.round(Double.parseDouble(rtt.group(1)) * 1_000_000)) : 0;
        return new PingOutput(transmitted, received, received > 0 ? Math.max(avg, 1) : 0);
    }

    String lossText() {
        int lossPercent = transmitted == 0 ? 100 : (transmitted - received) * 100 / transmitted;
        return lossPercent + "% packet loss (" + transmitted + " sent)";
    }
}
