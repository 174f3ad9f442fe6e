package io.cpra.api;

import io.cpra.config.MonitorSpec;
import io.cpra.config.PulseSpec;
import io.cpra.config.PulseTarget;
import io.cpra.config.PulseType;
import io.cpra.config.SourcePosition;
import io.cpra.engine.Clock;
import io.cpra.engine.Engine;
import io.cpra.engine.EngineSettings;
import io.cpra.engine.MonitorState;
import io.cpra.engine.OperatorViews.Query;
import io.cpra.engine.store.History;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The API at a million monitors: heap per monitor, and what the dashboard's poll and a filtered page cost
 * over real HTTP. Each figure is also given as a ratio to {@code GET /healthz} measured in the same run.
 * Run: {@code mvn test -Dtest=ApiScaleBench -DexcludedGroups=none} (about 30 s, 2 GB heap).
 */
@Tag("bench")
class ApiScaleBench {

    private static final int MONITORS = 1_000_000;

    @Test
    void aMillionMonitors() throws Exception {
        long before = usedHeap();
        Engine engine = new Engine(EngineSettings.DEFAULTS.withExpectedMonitors(MONITORS), Clock.SYSTEM,
                new Fleet.Verdicts(), null, alert -> {});
        PulseTarget up = new PulseTarget.Tcp("up.test", 1);
        PulseTarget down = new PulseTarget.Tcp("down.test", 1);
        for (int i = 0; i < MONITORS; i++) {
            String group = "group-" + (i % 50);
            PulseSpec pulse = new PulseSpec(PulseType.TCP, Duration.ofSeconds(30).toNanos(), Duration.ofSeconds(1).toNanos(),
                    1, 0, 0, List.of(group), List.of(), i % 10 == 0 ? down : up);
            engine.add(new MonitorSpec("mon-" + i, true, pulse, null, Map.of(), Map.of(), List.of(),
                    new SourcePosition("bench", i, 1)));
        }
        long after = usedHeap();
        System.out.printf("heap: %.0f bytes/monitor in all (engine store, names, schedule), of which %d for the API's views%n",
                (after - before) / (double) MONITORS, History.BYTES_PER_MONITOR + 4);

        try (ApiServer server = ApiServer.start(new ApiSettings(new InetSocketAddress("127.0.0.1", 0), null), engine,
                () -> { throw new UnsupportedOperationException(); }, () -> true)) {
            engine.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> engine.stats().monitorsByState().get(MonitorState.UNKNOWN) == 0);
            Http http = new Http(server.address(), null);
            double healthz = time(() -> http.get("/healthz"));
            double grid = time(() -> http.send(http.request("/api/v1/grid").header("Accept-Encoding", "gzip")));
            Http.Answer a = http.send(http.request("/api/v1/grid").header("Accept-Encoding", "gzip"));
            byte[] cells = new GZIPInputStream(new ByteArrayInputStream(a.body())).readAllBytes();
            assertThat(cells).hasSize(MONITORS);
            double summary = time(() -> http.get("/api/v1/summary"));
            double page = time(() -> http.get("/api/v1/monitors?limit=100&state=unhealthy"));
            double search = time(() -> http.get("/api/v1/monitors?limit=20&name=mon-99999"));
            double metrics = time(() -> http.get("/metrics"));
            double direct = time(() -> engine.monitors(new Query(MonitorState.UNHEALTHY, null, null, null, false, 0, 0, 100)));
            double stats = time(engine::stats);
            System.out.printf("engine.monitors direct %.1f ms, engine.stats %.1f ms%n", direct, stats);
            System.out.printf("GET /healthz %.2f ms (reference)%n", healthz);
            System.out.printf("GET /api/v1/grid (gzip) %.1f ms = %.0fx healthz, %d KB for %d monitors%n",
                    grid, grid / healthz, a.body().length / 1024, MONITORS);
            System.out.printf("GET /api/v1/summary %.1f ms = %.0fx; page of unhealthy %.1f ms = %.0fx; "
                    + "name search (250k-slot scan) %.1f ms = %.0fx; /metrics %.1f ms = %.0fx%n",
                    summary, summary / healthz, page, page / healthz, search, search / healthz, metrics, metrics / healthz);
            if (Chromium.available()) dashboard(server, healthz);
        } finally {
            engine.close();
        }
    }

    /** Loads the dashboard on the million and times its first full render and one re-render. */
    private static void dashboard(ApiServer server, double healthz) throws Exception {
        java.nio.file.Path profile = java.nio.file.Files.createTempDirectory("cpra-bench-chromium");
        long start = System.nanoTime();
        try (Chromium page = Chromium.open("http://127.0.0.1:" + server.address().getPort() + "/",
                profile.resolve("profile"), 1400, 1000)) {
            page.awaitValue("document.getElementById('grid')?.dataset.cells ?? ''", Integer.toString(MONITORS), Duration.ofSeconds(60));
            double firstMs = (System.nanoTime() - start) / 1e6;
            double renderMs = page.eval("(() => { const t = performance.now(); renderTiles(); renderGrid();"
                    + " return performance.now() - t; })()").asDouble();
            System.out.printf("dashboard: first grid of %d cells %.0f ms after starting Chromium; tiles + grid re-render %.0f ms (= %.0fx healthz)%n",
                    MONITORS, firstMs, renderMs, renderMs / healthz);
            page.screenshot(java.nio.file.Path.of("target", "dashboard-1m.png"));
        }
    }

    /** Median of 9 runs after 3 warm-ups, in ms. */
    private static double time(Runnable call) {
        for (int i = 0; i < 3; i++) call.run();
        double[] ms = new double[9];
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            call.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        java.util.Arrays.sort(ms);
        return ms[ms.length / 2];
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
