package io.cpra.cli;

import io.cpra.config.PulseType;
import java.io.IOException;
import java.util.SplittableRandom;

/**
 * Writes a synthetic monitor file one monitor at a time, in the shape of v0.5's load-test generator:
 * per block of ten monitors, eight http (every 5s), one tcp (every 10s) and one icmp (every 15s), in an
 * order shuffled by the seed. Targets take the ports of the range round-robin. Red pages PagerDuty,
 * yellow goes to a log file. Output depends only on the arguments.
 */
final class MonitorGenerator {

    static final String ALERT_LOG = "cpra-alerts.log";
    static final String ROUTING_KEY = "bench-routing-key";
    private static final String[] HTTP_PATHS = {"/health", "/healthz", "/status", "/ready"};

    private enum Kind {
        HTTP(PulseType.HTTP, "5s", "2s"),
        TCP(PulseType.TCP, "10s", "3s"),
        ICMP(PulseType.ICMP, "15s", "5s");

        final PulseType type;
        final String interval;
        final String timeout;

        Kind(PulseType type, String interval, String timeout) {
            this.type = type;
            this.interval = interval;
            this.timeout = timeout;
        }
    }

    /** The 80/10/10 mix of one block; shuffled in place per block. */
    private final Kind[] block = {
            Kind.HTTP, Kind.HTTP, Kind.HTTP, Kind.HTTP, Kind.HTTP, Kind.HTTP, Kind.HTTP, Kind.HTTP, Kind.TCP, Kind.ICMP};

    private final TargetRange targets;
    private final String pagerDutyUrl;
    private final SplittableRandom random;
    private final long count;
    private final int nameDigits;

    MonitorGenerator(TargetRange targets, String pagerDutyUrl, long seed, long count) {
        this.count = count;
        this.targets = targets;
        this.pagerDutyUrl = pagerDutyUrl;
        this.random = new SplittableRandom(seed);
        this.nameDigits = Math.max(6, Long.toString(count).length());
    }

    /** Writes {@code {"monitors": [...]}} with {@code count} monitors. */
    void write(TreeWriter out) throws IOException {
        out.startObject();
        out.startArray("monitors");
        for (long i = 0; i < count; i++) {
            int slot = (int) (i % block.length);
            if (slot == 0) shuffleBlock();
            writeMonitor(out, i, block[slot]);
        }
        out.endArray();
        out.endObject();
    }

    private void shuffleBlock() {
        for (int i = block.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Kind k = block[i];
            block[i] = block[j];
            block[j] = k;
        }
    }

    private void writeMonitor(TreeWriter out, long index, Kind kind) throws IOException {
        int port = targets.portFor(index);
        out.startObject();
        out.field("name", nameOf(index + 1));
        out.field("enabled", true);

        out.startObject("pulse_check");
        out.field("type", kind.type.key());
        out.field("interval", kind.interval);
        out.field("timeout", kind.timeout);
        out.field("unhealthy_threshold", 2);
        out.startObject("config");
        switch (kind) {
            case HTTP -> {
                String path = HTTP_PATHS[(int) (index / targets.portCount() % HTTP_PATHS.length)];
                out.field("url", "http://" + targets.host() + ":" + port + path);
                out.field("method", "GET");
            }
            case TCP -> {
                out.field("host", targets.bareHost());
                out.field("port", port);
            }
            case ICMP -> {
                out.field("host", targets.bareHost());
                out.field("count", 1);
            }
        }
        out.endObject();
        out.endObject();

        if (kind == Kind.ICMP) {
            out.startObject("metadata");
            out.field("port_hint", Integer.toString(port));
            out.endObject();
        }

        out.startObject("codes");
        startCode(out, "red", "pagerduty");
        out.field("url", pagerDutyUrl);
        out.field("routing_key", ROUTING_KEY);
        endCode(out);
        startCode(out, "yellow", "log");
        out.field("file", ALERT_LOG);
        endCode(out);
        out.endObject();
        out.endObject();
    }

    /** Opens {@code colour: {notify: ..., config: {}} up to the config's fields. */
    private static void startCode(TreeWriter out, String colour, String notifier) throws IOException {
        out.startObject(colour);
        out.field("notify", notifier);
        out.startObject("config");
    }

    private static void endCode(TreeWriter out) throws IOException {
        out.endObject();
        out.endObject();
    }

    /** {@code mon-000042} for 42, zero-padded to the width of the largest number so names sort. */
    private String nameOf(long number) {
        String digits = Long.toString(number);
        return "mon-" + "0".repeat(nameDigits - digits.length()) + digits;
    }
}
