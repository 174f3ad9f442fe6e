package io.cpra.bench;

import io.cpra.checks.NullProbe;
import io.cpra.config.Capabilities;
import io.cpra.engine.Clock;
import io.cpra.engine.Engine;
import io.cpra.engine.EngineSettings;
import io.cpra.engine.EngineStats;
import io.cpra.engine.ReloadReport;
import io.cpra.engine.Reloader;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Hot reload at a million monitors on the real engine thread, with a probe that succeeds at once, every
 * monitor due every 5 s (200,000 checks/s, well inside one engine thread's capacity even on a busy
 * machine). The file (JSON) is reloaded with 1% of the monitors changed (half a new target port, half a
 * new interval). Reports the reload's wall time and the check rate while it
 * runs as a ratio to the rate in the seconds before: the mean over the reload (and one second after) and
 * the worst 100 ms window. Checks keep flowing only if the reload never holds the engine thread long.
 * Run: {@code java -Xmx2g -cp target/classes:target/test-classes:<deps> io.cpra.bench.ReloadBenchmark}; stops by
 * itself in about a minute.
 */
public final class ReloadBenchmark {

    private static final int MONITORS = 1_000_000;
    private static final long SAMPLE_MILLIS = 100;


    private record Sample(long nanos, long checks, long late, long gcMillis) {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("cpra-reload-bench");
        Path file = dir.resolve("monitors.json");
        Path next = dir.resolve("next.json.tmp");
        try {
            write(file, false);
            write(next, true);
            System.out.printf("machine: %d cores, load average %.1f (other load shows as late checks before the reload too)%n",
                    Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.printf("file: %,d monitors, %,d bytes%n", MONITORS, Files.size(file));

            Engine engine = new Engine(EngineSettings.DEFAULTS.withExpectedMonitors(MONITORS), Clock.SYSTEM,
                    NullProbe.FACTORY, EngineBenchmark.NO_ACTIONS, alert -> { });
            Reloader reloader = new Reloader(engine, List.of(file), Capabilities.ALL);
            long t0 = System.nanoTime();
            ReloadReport initial = reloader.reload(); // the engine is not started: every step runs inline
            System.out.printf("initial load through the reloader (engine not running): %,d added in %.2f s%n",
                    initial.added(), (System.nanoTime() - t0) / 1e9);

            engine.start();
            List<Sample> samples = new ArrayList<>();
            Thread sampler = Thread.ofPlatform().daemon().name("sampler").start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    EngineStats stats = engine.stats();
                    synchronized (samples) {
                        samples.add(new Sample(System.nanoTime(), stats.checksCompleted(), stats.late(), gcMillis()));
                    }
                    try {
                        Thread.sleep(SAMPLE_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            Thread.sleep(8_000); // warm-up, then the reference window
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING);
            long reloadStart = System.nanoTime();
            ReloadReport report = reloader.reload();
            long reloadEnd = System.nanoTime();
            Thread.sleep(3_000);
            sampler.interrupt();
            sampler.join();
            engine.close();

            if (!report.ok()) throw new IllegalStateException("reload failed: " + report.errors());
            System.out.printf("reload: %,d changed, %,d unchanged, %,d added, %,d removed in %.2f s%n",
                    report.changed(), report.unchanged(), report.added(), report.removed(), (reloadEnd - reloadStart) / 1e9);
            List<Sample> all;
            synchronized (samples) {
                all = List.copyOf(samples);
            }
            double before = rate(all, reloadStart - 3_000_000_000L, reloadStart);
            double during = rate(all, reloadStart, reloadEnd + 1_000_000_000L);
            double after = rate(all, reloadEnd + 1_000_000_000L, reloadEnd + 3_000_000_000L);
            double worst = worstWindow(all, reloadStart, reloadEnd + 1_000_000_000L);
            long window = reloadEnd - reloadStart + 1_000_000_000L;
            double worstBefore = worstWindow(all, reloadStart - window, reloadStart);
            long lateBefore = late(all, reloadStart - window, reloadStart);
            long lateDuring = late(all, reloadStart, reloadStart + window);
            System.out.printf("check rate: before %,.0f/s; during the reload (+1 s) %,.0f/s = %.2f of before; "
                            + "after %,.0f/s = %.2f of before%n", before, during, during / before, after, after / before);
            System.out.printf("worst %d ms window: %.2f of the rate before during the reload, %.2f in as long a time before it%n",
                    SAMPLE_MILLIS, worst / before, worstBefore / before);
            System.out.printf("in the %.1f s before the reload / from its start: checks dispatched over %d ms late %,d / %,d;"
                            + " garbage collection %,d ms / %,d ms%n", window / 1e9, EngineSettings.DEFAULTS.lateToleranceNanos() / 1_000_000,
                    lateBefore, lateDuring, gcMillis(all, reloadStart - window, reloadStart), gcMillis(all, reloadStart, reloadStart + window));
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(next);
            Files.deleteIfExists(dir);
        }
    }

    /** Checks per second between the first sample at or after {@code from} and the last at or before {@code to}. */
    private static double rate(List<Sample> samples, long from, long to) {
        Sample[] span = span(samples, from, to);
        return span == null ? Double.NaN
                : (span[1].checks() - span[0].checks()) * 1e9 / (span[1].nanos() - span[0].nanos());
    }

    private static long late(List<Sample> samples, long from, long to) {
        Sample[] span = span(samples, from, to);
        return span == null ? -1 : span[1].late() - span[0].late();
    }

    private static long gcMillis(List<Sample> samples, long from, long to) {
        Sample[] span = span(samples, from, to);
        return span == null ? -1 : span[1].gcMillis() - span[0].gcMillis();
    }

    /** Time all collectors spent so far; with G1 that is mostly pauses, which stop the engine thread too. */
    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) total += Math.max(0, gc.getCollectionTime());
        return total;
    }

    private static Sample[] span(List<Sample> samples, long from, long to) {
        Sample first = null;
        Sample last = null;
        for (Sample s : samples) {
            if (first == null && s.nanos() >= from) first = s;
            if (s.nanos() <= to) last = s;
        }
        return first == null || last == null || last.nanos() <= first.nanos() ? null : new Sample[] {first, last};
    }

    private static double worstWindow(List<Sample> samples, long from, long to) {
        double worst = Double.MAX_VALUE;
        for (int i = 1; i < samples.size(); i++) {
            Sample a = samples.get(i - 1);
            Sample b = samples.get(i);
            if (a.nanos() < from || b.nanos() > to) continue;
            worst = Math.min(worst, (b.checks() - a.checks()) * 1e9 / (b.nanos() - a.nanos()));
        }
        return worst;
    }

    /** One monitor per line; with {@code changed}, every 100th differs (alternately port and interval). */
    private static void write(Path path, boolean changed) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(path)) {
            out.write("{\"monitors\": [\n");
            for (int i = 0; i < MONITORS; i++) {
                boolean differs = changed && i % 100 == 0;
                int port = differs && i % 200 == 0 ? 81 : 80;
                String interval = differs && i % 200 != 0 ? "4s" : "5s";
                out.write("{\"name\":\"svc-" + i + "\",\"pulse_check\":{\"type\":\"tcp\",\"interval\":\"" + interval
                        + "\",\"timeout\":\"500ms\",\"config\":{\"host\":\"10.0.0." + (i & 3) + "\",\"port\":" + port + "}}}");
                out.write(i == MONITORS - 1 ? "\n" : ",\n");
            }
            out.write("]}\n");
        }
    }
}
