package io.cpra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.cpra.testing.CpraProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code cpra run} process reloaded by SIGHUP: a monitor added to the file starts alerting into the
 * log file, a removed one stops checking; an invalid file is refused and logged while the running monitors
 * go on. With {@code --watch}, saving the file is enough.
 */
class ReloadProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private HttpServer http;
    /** Requests per path: what each monitor's checks reached. */
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private Process cpra;

    @BeforeEach
    void startServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            byte[] body = path.getBytes();
            ex.sendResponseHeaders(path.startsWith("/fail") ? 500 : 200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
    }

    @AfterEach
    void stop() {
        if (cpra != null && cpra.isAlive()) cpra.destroyForcibly();
        http.stop(0);
    }

    @Test
    void sighupAppliesAValidFileAndRefusesAnInvalidOne() throws Exception {
        Path alerts = dir.resolve("alerts.log");
        Path monitors = dir.resolve("monitors.yaml");
        Files.writeString(monitors, file(alerts, monitor("old-svc", "/fail-old"), monitor("keep-svc", "/keep")));
        Path err = dir.resolve("cpra.err");
        cpra = startCpra(monitors);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> redMonitors(alerts).contains("old-svc"));

        // old-svc goes, new-svc comes, keep-svc stays
        Files.writeString(monitors, file(alerts, monitor("keep-svc", "/keep"), monitor("new-svc", "/fail-new")));
        hangUp();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> redMonitors(alerts).contains("new-svc"));
        assertThat(Files.readString(err)).contains("1 added, 0 changed, 1 removed").contains("1 unchanged");
        Thread.sleep(500); // a check of old-svc in flight at the reload may still arrive
        int oldHits = hits("/fail-old");
        Thread.sleep(1_500);
        assertThat(hits("/fail-old")).as("the removed monitor is no longer checked").isEqualTo(oldHits);

        // an invalid file (timeout over interval on line 3) that would also remove keep-svc: refused
        Files.writeString(monitors, file(alerts, monitor("new-svc", "/fail-new"),
                "  - {name: broken, pulse_check: {type: http, interval: 1s, timeout: 2s, config: {url: \"http://127.0.0.1:1/\"}}}\n"));
        hangUp();
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(err).contains("monitor broken"));
        assertThat(Files.readString(err)).contains("refused, still running the previous config").contains(monitors + ":3:")
                .contains("pulse_check.timeout").doesNotContain("Exception");
        int keepHits = hits("/keep");
        int newHits = hits("/fail-new");
        Thread.sleep(1_500);
        assertThat(hits("/keep")).as("keep-svc still checked").isGreaterThan(keepHits);
        assertThat(hits("/fail-new")).as("new-svc still checked").isGreaterThan(newHits);

        cpra.destroy();
        assertThat(cpra.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(cpra.exitValue()).isZero();
        assertThat(redMonitors(alerts)).as("red once per incident, none after removal").containsOnlyOnce("old-svc", "new-svc");
    }

    @Test
    void withWatchAChangedFileIsReloadedWithoutASignal() throws Exception {
        Path alerts = dir.resolve("alerts.log");
        Path monitors = dir.resolve("monitors.yaml");
        Files.writeString(monitors, file(alerts, monitor("keep-svc", "/keep")));
        Path err = dir.resolve("cpra.err");
        cpra = startCpra(monitors, "--watch");
        await().atMost(Duration.ofSeconds(20)).until(() -> hits("/keep") > 0);

        Files.writeString(monitors, file(alerts, monitor("keep-svc", "/keep"), monitor("new-svc", "/fail-new")));

        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> redMonitors(alerts).contains("new-svc"));
        assertThat(Files.readString(err)).contains("1 added, 0 changed, 0 removed");
        cpra.destroy();
        assertThat(cpra.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(cpra.exitValue()).isZero();
    }

    /** {@code cpra run} with stderr (the log) in {@code dir/cpra.err}. */
    private Process startCpra(Path monitors, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(List.of(options));
        args.add(monitors.toString());
        return CpraProcess.start(dir, Map.of(), false, args.toArray(String[]::new));
    }

    private String file(Path alerts, String... monitors) {
        return "monitors:\n" + String.join("", monitors).replace("ALERTS", alerts.toString());
    }

    private String monitor(String name, String path) {
        return ("  - {name: %s, pulse_check: {type: http, interval: 500ms, timeout: 450ms, config: {url: \"http://127.0.0.1:%d%s\"}},"
                + " codes: {red: {notify: log, config: {file: \"ALERTS\"}}, green: {notify: log, config: {file: \"ALERTS\"}}}}\n")
                .formatted(name, http.getAddress().getPort(), path);
    }

    private void hangUp() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(cpra.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    private static List<String> redMonitors(Path log) throws IOException {
        List<String> red = new ArrayList<>();
        if (!Files.exists(log)) return red;
        for (String line : Files.readAllLines(log)) {
            if (line.isBlank()) continue;
            JsonNode node = JSON.readTree(line);
            if (node.get("color").asText().equals("red")) red.add(node.get("monitor").asText());
        }
        return red;
    }
}
