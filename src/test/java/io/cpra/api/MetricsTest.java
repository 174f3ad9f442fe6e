package io.cpra.api;

import io.cpra.engine.Engine;
import io.cpra.engine.MonitorState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code /metrics} is valid Prometheus text, and its series do not multiply with the monitors. */
class MetricsTest {

    @TempDir
    Path dir;

    @Test
    void seriesCountDoesNotGrowWithTheMonitorCount() throws Exception {
        Scrape small = scrape(dir.resolve("small"), 100);
        Scrape large = scrape(dir.resolve("large"), 10_000);

        assertThat(large.series(s -> s.startsWith("cpra_"))).isEqualTo(small.series(s -> s.startsWith("cpra_")));
        // the JVM's own series vary only with what the GC did (pause causes), never with the monitors
        assertThat(large.series(s -> !s.startsWith("jvm_gc"))).isEqualTo(small.series(s -> !s.startsWith("jvm_gc")));
        assertThat(small.series(s -> true)).isLessThan(400);

        assertThat(large.value("cpra_monitors", Map.of("state", "healthy"))).isEqualTo(7_000);
        assertThat(large.value("cpra_monitors", Map.of("state", "unhealthy"))).isEqualTo(3_000);
        assertThat(large.families).containsKeys("cpra_checks_total", "cpra_check_latency_seconds", "cpra_checks_late_total",
                "cpra_checks_missed_total", "cpra_checks_in_flight", "cpra_queue_ready", "cpra_interventions_total",
                "cpra_alerts_raised_total", "jvm_memory_used_bytes", "jvm_threads_live_threads",
                "cpra_checks_dispatch_limit", "cpra_capacity_planned_in_flight", "cpra_capacity_arrival_rate",
                "cpra_checks_lateness_p99_seconds", "cpra_watermark_pauses_total");
        assertThat(large.value("cpra_checks_dispatch_limit", Map.of())).isPositive();
        assertThat(large.families.get("cpra_check_latency_seconds")).isEqualTo("histogram");
        assertThat(large.families.get("cpra_checks_total")).isEqualTo("counter");
    }

    @Test
    void latencyHistogramAgreesWithTheCheckCounters() throws Exception {
        Scrape s = scrape(dir, 100);
        double ok = s.value("cpra_checks_total", Map.of("type", "tcp", "outcome", "success"));
        double failed = s.value("cpra_checks_total", Map.of("type", "tcp", "outcome", "failure"));
        assertThat(ok).isGreaterThanOrEqualTo(70);
        assertThat(failed).isGreaterThanOrEqualTo(30);
        assertThat(s.value("cpra_check_latency_seconds_count", Map.of("type", "tcp"))).isEqualTo(ok + failed);
        // up: 1.5 ms, down: 0.3 ms
        assertThat(s.value("cpra_check_latency_seconds_bucket", Map.of("type", "tcp", "le", "0.001"))).isEqualTo(failed);
        assertThat(s.value("cpra_check_latency_seconds_bucket", Map.of("type", "tcp", "le", "0.0025"))).isEqualTo(ok + failed);
        assertThat(s.value("cpra_check_latency_seconds_bucket", Map.of("type", "tcp", "le", "+Inf"))).isEqualTo(ok + failed);
        assertThat(s.value("cpra_check_latency_seconds_sum", Map.of("type", "tcp")))
                .isCloseTo(ok * 0.0015 + failed * 0.0003, org.assertj.core.data.Offset.offset(1e-6));
        double previous = 0;
        for (Sample sample : s.samples) {
            if (!sample.name.equals("cpra_check_latency_seconds_bucket") || !sample.labels.get("type").equals("http")) continue;
            assertThat(sample.value).isGreaterThanOrEqualTo(previous);
            previous = sample.value;
        }
    }

    @Test
    void largeGridIsGzipped() throws Exception {
        Engine engine = new Fleet(null).add("web", 10_000, "web", true).load(dir, a -> {});
        try (ApiServer server = ApiServer.start(new ApiSettings(new InetSocketAddress("127.0.0.1", 0), null), engine,
                () -> { throw new UnsupportedOperationException(); }, () -> true)) {
            Http http = new Http(server.address(), null);
            assertThat(http.get("/api/v1/grid").status()).as("engine not started yet").isEqualTo(503);
            engine.start();
            Http.Answer a = http.send(http.request("/api/v1/grid").header("Accept-Encoding", "gzip"));
            assertThat(a.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(a.body().length).isLessThan(3_000);
            byte[] cells = new GZIPInputStream(new ByteArrayInputStream(a.body())).readAllBytes();
            assertThat(cells).hasSize(10_000).containsOnly(MonitorState.UNKNOWN.code(), MonitorState.HEALTHY.code());
        } finally {
            engine.close();
        }
    }

    private record Sample(String name, Map<String, String> labels, double value) {}

    private static final class Scrape {
        final Map<String, String> families = new HashMap<>();
        final List<Sample> samples = new ArrayList<>();

        int series(java.util.function.Predicate<String> name) {
            Set<String> keys = new TreeSet<>();
            for (Sample s : samples) if (name.test(s.name)) keys.add(s.name + s.labels);
            return keys.size();
        }

        double value(String name, Map<String, String> labels) {
            for (Sample s : samples) if (s.name.equals(name) && s.labels.entrySet().containsAll(labels.entrySet())) return s.value;
            throw new AssertionError("no sample " + name + labels);
        }
    }

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)(?: -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"(,|$)");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped", "info", "stateset", "gaugehistogram", "unknown");

    /** Starts an engine with {@code n} monitors (70% up), waits for results, scrapes and parses the text format. */
    private static Scrape scrape(Path dir, int n) throws IOException {
        java.nio.file.Files.createDirectories(dir);
        int down = n * 3 / 10;
        Engine engine = new Fleet(null).add("up", n - down, "up", true).add("down", down, "down", false).load(dir, a -> {});
        try (ApiServer server = ApiServer.start(new ApiSettings(new InetSocketAddress("127.0.0.1", 0), null), engine,
                () -> { throw new UnsupportedOperationException(); }, () -> true)) {
            engine.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.stats().monitorsByState().get(MonitorState.UNKNOWN) == 0);
            Http.Answer a = new Http(server.address(), null).get("/metrics");
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.header("Content-Type")).startsWith("text/plain");
            return parse(a.text());
        } finally {
            engine.close();
        }
    }

    /** A strict reading of the Prometheus text format: every sample belongs to a family declared by # TYPE. */
    private static Scrape parse(String text) {
        Scrape scrape = new Scrape();
        Map<String, String> typeOf = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) continue;
            if (line.startsWith("# HELP ")) continue;
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                assertThat(parts).as(line).hasSize(4);
                assertThat(TYPES).as(line).contains(parts[3]);
                assertThat(typeOf.put(parts[2], parts[3])).as("family declared twice: " + line).isNull();
                continue;
            }
            assertThat(line).as("comment").doesNotStartWith("#");
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("sample line: " + line).isTrue();
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null && !m.group(2).isEmpty()) {
                Matcher l = LABEL.matcher(m.group(2));
                int end = 0;
                while (l.find() && l.start() == end) {
                    labels.put(l.group(1), l.group(2));
                    end = l.end();
                }
                assertThat(end).as("labels of " + line).isEqualTo(m.group(2).length());
            }
            double value = switch (m.group(3)) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(m.group(3));
            };
            String name = m.group(1);
            String family = familyOf(name, typeOf);
            assertThat(family).as("no # TYPE for " + line).isNotNull();
            scrape.samples.add(new Sample(name, labels, value));
        }
        typeOf.forEach((family, type) -> scrape.families.put(family, type));
        assertThat(scrape.samples).isNotEmpty();
        return scrape;
    }

    private static String familyOf(String name, Map<String, String> typeOf) {
        if (typeOf.containsKey(name)) return name;
        for (String suffix : List.of("_total", "_bucket", "_sum", "_count", "_created", "_info")) {
            if (name.endsWith(suffix) && typeOf.containsKey(name.substring(0, name.length() - suffix.length()))) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return null;
    }
}
