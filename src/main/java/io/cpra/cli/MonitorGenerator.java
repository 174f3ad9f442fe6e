package io.cpra.cli;

import io.cpra.config.Durations;
import io.cpra.config.PulseType;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Writes a synthetic monitor file one monitor at a time, in the shape of v0.5's load-test generator:
 * per block of ten monitors, eight http (every 5s), one tcp (every 10s) and one icmp (every 15s), in an
 * order shuffled by the seed. Targets take the ports of the range round-robin. Red pages PagerDuty,
 * yellow goes to a log file. Output depends only on the arguments. A {@link Shape} narrows the mix to some
 * types, sets one interval for all, or one HTTP path (load tests against {@code cpra fleet} use
 * {@code /health}, which its flapping ports fail).
 */
public final class MonitorGenerator {

    /**
     * What to generate besides names and targets.
     *
     * @param types         pulse types kept from the 80/10/10 mix (http, tcp, icmp); at least one
     * @param intervalNanos every monitor's interval (timeouts are cut to it), or 0 for each type's own
     * @param httpPath      the path of every http monitor, or null to cycle /health, /healthz, /status, /ready
     */
    public record Shape(Set<PulseType> types, long intervalNanos, String httpPath) {
        public static final Shape V05 = new Shape(EnumSet.of(PulseType.HTTP, PulseType.TCP, PulseType.ICMP), 0, null);

        public Shape {
            types = Set.copyOf(types);
            if (types.isEmpty()) throw new IllegalArgumentException("at least one of http, tcp, icmp is needed");
            for (PulseType t : types) {
                if (Arrays.stream(Kind.values()).noneMatch(k -> k.type == t)) {
                    throw new IllegalArgumentException("cannot generate " + t.key() + " monitors (only http, tcp, icmp)");
                }
            }
            if (intervalNanos < 0) throw new IllegalArgumentException("interval must be positive");
            if (httpPath != null && !httpPath.startsWith("/")) throw new IllegalArgumentException("path must start with /");
        }
    }

    static final String ALERT_LOG = "cpra-alerts.log";
    static final String ROUTING_KEY = "bench-routing-key";
    private static final String[] HTTP_PATHS = {"/health", "/healthz", "/status", "/ready"};

    private enum Kind {
        HTTP(PulseType.HTTP, 5, 2),
        TCP(PulseType.TCP, 10, 3),
        ICMP(PulseType.ICMP, 15, 5);

        final PulseType type;
        final String interval;
        final String timeout;
        final long timeoutNanos;

        Kind(PulseType type, int intervalSeconds, int timeoutSeconds) {
            this.type = type;
            this.interval = intervalSeconds + "s";
            this.timeout = timeoutSeconds + "s";
            this.timeoutNanos = timeoutSeconds * 1_000_000_000L;
        }
    }

    /** The 80/10/10 mix of one block, less the types left out; shuffled in place per block. */
    private final Kind[] block;
    private final Shape shape;

    private final TargetRange targets;
    private final String pagerDutyUrl;
    private final SplittableRandom random;
    private final long count;
    private final int nameDigits;

    MonitorGenerator(TargetRange targets, String pagerDutyUrl, long seed, long count) {
        this(targets, pagerDutyUrl, seed, count, Shape.V05);
    }

    MonitorGenerator(TargetRange targets, String pagerDutyUrl, long seed, long count, Shape shape) {
        this.shape = shape;
        this.block = Arrays.stream(new Kind[] {Kind.HTTP, Kind.HTTP, Kind.HTTP, Kind.HTTP, Kind.HTTP, Kind.HTTP,
                Kind.HTTP, Kind.HTTP, Kind.TCP, Kind.ICMP}).filter(k -> shape.types().contains(k.type)).toArray(Kind[]::new);
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
        if (shape.intervalNanos() == 0) {
            out.field("interval", kind.interval);
            out.field("timeout", kind.timeout);
        } else {
            out.field("interval", Durations.format(shape.intervalNanos()));
            out.field("timeout", Durations.format(Math.min(shape.intervalNanos(), kind.timeoutNanos)));
        }
        out.field("unhealthy_threshold", 2);
        out.startObject("config");
        switch (kind) {
            case HTTP -> {
                String path = shape.httpPath() != null ? shape.httpPath()
                        : HTTP_PATHS[(int) (index / targets.portCount() % HTTP_PATHS.length)];
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
