package io.cpra.api;

import io.cpra.actions.Actions;
import io.cpra.checks.ProbeRouter;
import io.cpra.config.Capabilities;
import io.cpra.config.Colour;
import io.cpra.config.LoadResult;
import io.cpra.config.MonitorLoader;
import io.cpra.engine.Clock;
import io.cpra.engine.Engine;
import io.cpra.engine.EngineSettings;
import io.cpra.engine.MonitorState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in headless Chromium against a running engine with 3,000 monitors doing real TCP checks
 * against a local server: tiles and grid show the engine's counts, search and drill-down work, hovering
 * the grid names the monitor. Saves target/dashboard.png. Skipped when Chromium is not installed
 * ({@code .ci/install-chromium.sh} installs it).
 */
@Tag("slow")
class DashboardBrowserTest {

    private static final Path SCREENSHOT = Path.of("target", "dashboard.png");

    @TempDir
    Path dir;

    @Test
    void dashboardShowsTheFleet() throws Exception {
        assumeThat(Chromium.available())
                .as("chromium not found at " + Chromium.BINARY + ": run .ci/install-chromium.sh (or set CHROMIUM)")
                .isTrue();
        try (ServerSocket up = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
             ProbeRouter probes = ProbeRouter.open();
             Actions actions = new Actions()) {
            Thread.ofPlatform().daemon().name("test-acceptor").start(() -> acceptAndClose(up));
            int closed;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                closed = s.getLocalPort();
            }
            StringBuilder yaml = new StringBuilder("monitors:\n");
            monitors(yaml, "web", 2_000, up.getLocalPort());
            monitors(yaml, "db", 600, closed);
            monitors(yaml, "cache", 400, up.getLocalPort());
            Path file = dir.resolve("monitors.yaml");
            Files.writeString(file, yaml);
            Engine engine = new Engine(EngineSettings.DEFAULTS, Clock.SYSTEM, probes, actions, alert -> {});
            LoadResult loaded = MonitorLoader.load(List.of(file), Capabilities.ALL, engine::add);
            assertThat(loaded.errors()).isEmpty();
            for (int i = 1; i <= 50; i++) engine.pause(String.format("cache-%04d", i));
            try (ApiServer server = ApiServer.start(new ApiSettings(new InetSocketAddress("127.0.0.1", 0), null), engine,
                    () -> { throw new UnsupportedOperationException(); }, () -> true)) {
                engine.start();
                // the first round may fail while the probes warm up; the fleet settles after K = 2 successes
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(engine.stats().monitorsByState())
                        .containsEntry(MonitorState.HEALTHY, 2_350).containsEntry(MonitorState.UNHEALTHY, 600));

                Path profile = Files.createDirectories(dir.resolve("profile"));
                String url = "http://127.0.0.1:" + server.address().getPort() + "/";
                try (Chromium page = Chromium.open(url, profile, 1400, 1000)) {
                    try {
                        check(page, engine);
                    } finally {
                        page.screenshot(SCREENSHOT); // also when a check failed: it shows what the page showed
                    }
                }
                assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);
            } finally {
                engine.close();
            }
        }
    }

    private static void check(Chromium page, Engine engine) throws Exception {
        Duration wait = Duration.ofSeconds(15);
        String count = "document.getElementById('tile-%s')?.dataset.count ?? ''";
        page.awaitValue(count.formatted("state-healthy"), "2350", wait);
        page.awaitValue(count.formatted("state-unhealthy"), "600", wait);
        page.awaitValue(count.formatted("state-paused"), "50", wait);
        page.awaitValue(count.formatted("state-unknown"), "0", wait);
        page.awaitValue(count.formatted("colour-red"), "600", wait);
        page.awaitValue(count.formatted("colour-gray"), "50", wait);
        // a web monitor that failed while the probes warmed up went red, then green: ask the engine
        page.awaitValue(count.formatted("colour-green"), Integer.toString(engine.countByColour(Colour.GREEN)), wait);
        page.awaitValue(count.formatted("colour-none"), Integer.toString(engine.countByColour(null)), wait);
        page.awaitValue("document.getElementById('grid').dataset.cells", "3000", wait);
        assertThat(page.eval("document.getElementById('tile-state-healthy').querySelector('.n').textContent").asText())
                .isEqualTo("2,350");
        page.awaitValue("document.getElementById('rates').textContent.startsWith('3,000 monitors')", "true", wait);

        // hover the first cell: the first group is cache (sorted), its first monitor is paused
        double[] first = firstCell(page);
        page.mouse("mouseMoved", first[0], first[1]);
        page.awaitValue("document.getElementById('tooltip').textContent", "cache-0001 · paused", wait);

        // search, then drill down from the result
        page.eval("(() => { const s = document.getElementById('search'); s.value = 'db-000';"
                + " s.dispatchEvent(new Event('input')); return true; })()");
        page.awaitValue("document.querySelectorAll('#search-results li[data-name]').length", "9", wait);
        page.eval("document.querySelector('#search-results li[data-name]').click()");
        page.awaitValue("document.querySelector('#detail-body h2')?.textContent ?? ''", "db-0001", wait);
        page.awaitValue("document.querySelector('#detail-body .badge.state').textContent", "unhealthy", wait);
        page.awaitValue("document.querySelectorAll('#recent tbody td.fail').length > 0", "true", wait);
        assertThat(page.eval("document.querySelector('#recent tbody td:nth-child(4)').textContent").asText())
                .contains("refused");

        // a click on the grid opens that monitor
        // the open detail panel narrows the grid, which re-flows to its new width
        page.awaitValue("geometry.width === Math.floor(document.getElementById('grid').clientWidth)", "true", wait);
        first = firstCell(page);
        page.click(first[0] + cellSize(page) * 60, first[1]);
        page.awaitValue("document.querySelector('#detail-body h2').textContent", "cache-0061", wait);
        page.awaitValue("document.querySelector('#detail-body .badge.state').textContent", "healthy", wait);
    }

    /** Page coordinates of the middle of the grid's first cell. */
    private static double[] firstCell(Chromium page) throws Exception {
        var v = page.eval("(() => { const r = document.getElementById('grid').getBoundingClientRect();"
                + " return [r.left, r.top, geometry.label, geometry.cell]; })()");
        double cell = v.get(3).asDouble();
        return new double[] {v.get(0).asDouble() + cell / 2, v.get(1).asDouble() + v.get(2).asDouble() + cell / 2};
    }

    private static double cellSize(Chromium page) throws Exception {
        return page.eval("geometry.cell").asDouble();
    }

    private static void monitors(StringBuilder yaml, String prefix, int count, int port) {
        for (int i = 1; i <= count; i++) {
            yaml.append(String.format("  - {name: %s-%04d, pulse_check: {type: tcp, interval: 1s, timeout: 500ms, groups: [%s], "
                    + "config: {host: 127.0.0.1, port: %d}}}%n", prefix, i, prefix, port));
        }
    }

    private static void acceptAndClose(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.shutdownOutput();
            } catch (java.io.IOException e) {
                return;
            }
        }
    }
}
