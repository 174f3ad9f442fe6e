package io.cpra.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.cpra.config.Capabilities;
import io.cpra.config.LoadResult;
import io.cpra.config.MonitorLoader;
import io.cpra.config.MonitorSpec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * Loads a generated N-monitor file (default 1,000,000) in JSON and YAML with a counting consumer and
 * prints monitors/s, heap after GC, and the ratio to a bare token scan of the same file (Jackson for
 * JSON, SnakeYAML events for YAML): what the loader costs on top of parsing. CPU times are printed too,
 * as wall time means little on a shared machine. Files of 1 MB and more are parsed on a second thread,
 * so the load's wall time can be below its CPU time. Not a test.
 * With both formats it ends with the YAML load as a multiple of the JSON one, the figure the goal is
 * checked by on a shared machine (YAML under 15 s when JSON is under 3 s: at most 5x).
 * Usage: {@code LoaderBenchmark [monitors] [dir] [json,yaml]}.
 */
public final class LoaderBenchmark {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("cpra-bench");
        Map<String, long[]> loads = new java.util.HashMap<>(); // format -> load wall, process CPU
        for (String format : (args.length > 2 ? args[2] : "json,yaml").split(",")) {
            Path file = dir.resolve("monitors." + format);
            generate(file, n, format.equals("json"));
            System.out.printf("%s: %,d monitors, %,d bytes%n", format, n, Files.size(file));
            long[] scan = scan(file, format.equals("json"));
            long[] count = {0};
            Consumer<MonitorSpec> counter = m -> count[0]++;
            gc();
            long heapBefore = heapUsed();
            long t0 = System.nanoTime();
            long c0 = THREADS.getCurrentThreadCpuTime();
            long p0 = PROCESS.getProcessCpuTime();
            LoadResult result = MonitorLoader.load(List.of(file), Capabilities.ALL, Map.of("PD_KEY", "k"), counter);
            long loadCpu = THREADS.getCurrentThreadCpuTime() - c0;
            long processCpu = PROCESS.getProcessCpuTime() - p0;
            long load = System.nanoTime() - t0;
            long heapAfterLoad = heapUsedAfterGc();
            if (!result.ok() || count[0] != n) throw new IllegalStateException("load failed: " + result.errors().subList(0, Math.min(3, result.errors().size())));
            System.out.printf("  load %.2f s wall (caller thread %.2f s CPU, whole process %.2f s CPU) = %,.0f monitors/s;"
                            + " token scan %.2f s wall (%.2f s CPU); load/scan = %.1fx wall, %.1fx CPU;"
                            + " heap after GC %d MB (before %d MB)%n",
                    load / 1e9, loadCpu / 1e9, processCpu / 1e9, n / (load / 1e9), scan[0] / 1e9, scan[1] / 1e9, (double) load / scan[0],
                    (double) processCpu / scan[1], heapAfterLoad >> 20, heapBefore >> 20);
            Files.delete(file);
            loads.put(format, new long[] {load, processCpu});
        }
        if (loads.containsKey("json") && loads.containsKey("yaml")) {
            System.out.printf("yaml/json load = %.1fx wall, %.1fx CPU%n", (double) loads.get("yaml")[0] / loads.get("json")[0],
                    (double) loads.get("yaml")[1] / loads.get("json")[1]);
        }
    }

    /** @return wall and process CPU nanoseconds of a bare parse (CPU time is the fairer figure on a shared machine) */
    private static long[] scan(Path file, boolean json) throws IOException {
        long t0 = System.nanoTime();
        long c0 = PROCESS.getProcessCpuTime();
        long tokens = 0;
        try (InputStream in = Files.newInputStream(file)) {
            if (json) {
                try (JsonParser p = new JsonFactory().createParser(in)) {
                    while (p.nextToken() != null) tokens++;
                }
            } else {
                LoaderOptions options = new LoaderOptions();
                options.setCodePointLimit(Integer.MAX_VALUE);
                ParserImpl p = new ParserImpl(new StreamReader(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8)), options);
                while (!p.getEvent().is(Event.ID.StreamEnd)) tokens++;
            }
        }
        if (tokens == 0) throw new IllegalStateException();
        return new long[] {System.nanoTime() - t0, PROCESS.getProcessCpuTime() - c0};
    }

    /** 80% http every 5s, 10% tcp every 10s, 10% icmp every 15s; red to pagerduty, yellow to a log file. */
    private static void generate(Path file, int n, boolean json) throws IOException {
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(file), 1 << 16)) {
            w.write(json ? "{\"monitors\": [\n" : "monitors:\n");
            for (int i = 0; i < n; i++) {
                int kind = i % 10;
                String type = kind < 8 ? "http" : kind == 8 ? "tcp" : "icmp";
                String interval = kind < 8 ? "5s" : kind == 8 ? "10s" : "15s";
                String host = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
                if (json) {
                    w.write(i == 0 ? "  {" : ",\n  {");
                    w.write("\"name\": \"m-" + i + "\", \"pulse_check\": {\"type\": \"" + type + "\", \"interval\": \"" + interval
                            + "\", \"timeout\": \"2s\", \"config\": {");
                    w.write(switch (type) {
                        case "http" -> "\"url\": \"http://" + host + ":8080/health\"";
                        case "tcp" -> "\"host\": \"" + host + "\", \"port\": 5432";
                        default -> "\"host\": \"" + host + "\"";
                    });
                    w.write("}}");
                    if (type.equals("icmp")) w.write(", \"metadata\": {\"port_hint\": \"" + (1000 + i % 5000) + "\"}");
                    w.write(", \"codes\": {\"red\": {\"notify\": \"pagerduty\", \"config\": {\"routing_key\": \"${PD_KEY}\"}},"
                            + " \"yellow\": {\"notify\": \"log\", \"config\": {\"file\": \"/var/log/cpra/warn.log\"}}}}");
                } else {
                    w.write("  - name: m-" + i + "\n    pulse_check:\n      type: " + type + "\n      interval: " + interval
                            + "\n      timeout: 2s\n      config:\n");
                    w.write(switch (type) {
                        case "http" -> "        url: http://" + host + ":8080/health\n";
                        case "tcp" -> "        host: " + host + "\n        port: 5432\n";
                        default -> "        host: " + host + "\n";
                    });
                    if (type.equals("icmp")) w.write("    metadata:\n      port_hint: \"" + (1000 + i % 5000) + "\"\n");
                    w.write("    codes:\n      red:\n        notify: pagerduty\n        config:\n          routing_key: ${PD_KEY}\n"
                            + "      yellow:\n        notify: log\n        config:\n          file: /var/log/cpra/warn.log\n");
                }
            }
            w.write(json ? "\n]}\n" : "");
        }
    }

    private static void gc() {
        for (int i = 0; i < 3; i++) System.gc();
    }

    private static long heapUsedAfterGc() {
        gc();
        return heapUsed();
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
