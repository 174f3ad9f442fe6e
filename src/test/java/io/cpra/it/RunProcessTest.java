package io.cpra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cpra.testing.CpraProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code cpra run} process against real local servers: healthy, failing, slow, hanging,
 * resetting, huge body, closed port, one that recovers, and one repaired by a real script. Asserts the
 * exact JSON lines of the log notifier, the script's side effects, and a clean exit on SIGTERM.
 */
class RunProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> LOG_FIELDS = List.of("timestamp", "type", "monitor", "job_id", "color",
            "status", "severity", "summary", "action", "next_steps", "message", "incident_id", "error");

    @TempDir
    Path dir;

    private HttpServer http;
    private final AtomicBoolean flipHealthy = new AtomicBoolean();
    private final List<ServerSocket> rawServers = new ArrayList<>();
    private final List<Socket> heldOpen = new ArrayList<>();
    private Process cpra;

    @BeforeEach
    void startServers() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/ok", ex -> answer(ex, 200, "ok"));
        http.createContext("/fail", ex -> answer(ex, 500, "boom"));
        http.createContext("/slow", ex -> {
            sleep(3_000);
            answer(ex, 200, "late");
        });
        http.createContext("/huge", ex -> {
            ex.sendResponseHeaders(200, 0); // chunked, 32 MB of filler and never the needle
            byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 512; i++) out.write(chunk);
            } catch (IOException clientWentAway) {
                // expected: the check stops reading after 64 KiB
            }
        });
        http.createContext("/flip", ex -> answer(ex, flipHealthy.get() ? 200 : 503, "flip"));
        http.start();
    }

    @AfterEach
    void stopAll() throws IOException {
        if (cpra != null && cpra.isAlive()) cpra.destroyForcibly();
        http.stop(0);
        for (Socket s : heldOpen) s.close();
        for (ServerSocket s : rawServers) s.close();
    }

    @Test
    void runsEveryMonitorThroughItsLifecycleAndExitsCleanlyOnSigterm() throws Exception {
        Path alerts = dir.resolve("alerts.log");
        Path marker = dir.resolve("script-ran.txt");
        Path script = dir.resolve("repair.sh");
        Files.writeString(script, """
                #!/bin/sh
                echo "monitor=$CPRA_MONITOR state=$CPRA_STATE attempt=$CPRA_ATTEMPT arg=$1 error=$CPRA_ERROR" >> "%s"
                echo repaired
                """.formatted(marker));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

        int resetPort = resettingServer();
        int hangPort = silentServer();
        int closedPort = closedPort();
        String base = "http://127.0.0.1:" + http.getAddress().getPort();
        Path monitors = dir.resolve("monitors.yaml");
        Files.writeString(monitors, """
                monitors:
                  - {name: ok-svc,     pulse_check: {type: http, interval: 1s, timeout: 900ms, config: {url: "%1$s/ok"}},    codes: &codes {yellow: &log {notify: log, config: {file: "%2$s"}}, red: *log, cyan: *log, green: *log, gray: *log}}
                  - {name: fail-svc,   pulse_check: {type: http, interval: 1s, timeout: 900ms, config: {url: "%1$s/fail"}},  codes: *codes}
                  - {name: slow-svc,   pulse_check: {type: http, interval: 1s, timeout: 900ms, config: {url: "%1$s/slow"}},  codes: *codes}
                  - {name: hang-svc,   pulse_check: {type: http, interval: 1s, timeout: 900ms, config: {url: "http://127.0.0.1:%3$d/"}}, codes: *codes}
                  - {name: reset-svc,  pulse_check: {type: http, interval: 1s, timeout: 900ms, config: {url: "http://127.0.0.1:%4$d/"}}, codes: *codes}
                  - {name: huge-svc,   pulse_check: {type: http, interval: 1s, timeout: 900ms, config: {url: "%1$s/huge", body_contains: needle}}, codes: *codes}
                  - {name: closed-tcp, pulse_check: {type: tcp,  interval: 1s, timeout: 900ms, config: {host: 127.0.0.1, port: %5$d}}, codes: *codes}
                  - name: flip-svc
                    pulse_check: {type: http, interval: 1s, timeout: 900ms, unhealthy_threshold: 2, healthy_threshold: 2, config: {url: "%1$s/flip"}}
                    codes: *codes
                  - name: script-svc
                    pulse_check: {type: http, interval: 1s, timeout: 900ms, config: {url: "%1$s/fail"}}
                    intervention: {action: script, max_failures: 1, target: {path: "%6$s", args: [restart-me], timeout: 5s}}
                    codes: *codes
                """.formatted(base, alerts, hangPort, resetPort, closedPort, script));

        cpra = startCpra(monitors);

        // flip-svc: F -> yellow, F -> red; then the server recovers: S, S -> green
        await().atMost(Duration.ofSeconds(20)).until(() -> colours(alerts).getOrDefault("flip-svc", List.of()).contains("red"));
        flipHealthy.set(true);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Map<String, List<String>> c = colours(alerts);
            return c.getOrDefault("flip-svc", List.of()).contains("green")
                    && c.getOrDefault("script-svc", List.of()).contains("red")
                    && c.keySet().containsAll(List.of("fail-svc", "slow-svc", "hang-svc", "reset-svc", "huge-svc", "closed-tcp"));
        });
        Thread.sleep(2_500); // several more failing checks each: still no second red

        cpra.destroy(); // SIGTERM
        assertThat(cpra.waitFor(30, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
        assertThat(cpra.exitValue()).isZero();

        Map<String, List<JsonNode>> lines = lines(alerts);
        assertThat(lines).doesNotContainKey("ok-svc");
        assertRed(lines, "fail-svc", "status 500 not 2xx");
        assertRed(lines, "slow-svc", "timeout after 900ms (response)");
        assertRed(lines, "hang-svc", "timeout after 900ms (response)");
        assertRed(lines, "reset-svc", "connection reset");
        assertRed(lines, "huge-svc", "body does not contain \"needle\" in its first 64 KiB");
        assertRed(lines, "closed-tcp", "connection refused");

        List<JsonNode> flip = lines.get("flip-svc");
        assertThat(flip).extracting(n -> n.get("color").asText()).containsExactly("yellow", "red", "green");
        assertLine(flip.get(0), "flip-svc", "yellow", "DEGRADED", "warning", null, "status 503 not 2xx");
        assertLine(flip.get(1), "flip-svc", "red", "FAILED", "critical", null, "status 503 not 2xx");
        assertThat(flip.get(1).get("incident_id").asText()).isNotBlank();
        assertThat(flip.get(2).get("incident_id").asText()).isEqualTo(flip.get(1).get("incident_id").asText());
        assertThat(flip.get(2).get("severity").asText()).isEqualTo("info");

        // script-svc (U=1, A=1): F -> yellow and a run; run OK -> cyan; F while verifying -> red
        List<JsonNode> repaired = lines.get("script-svc");
        assertThat(repaired).extracting(n -> n.get("color").asText()).containsExactly("yellow", "cyan", "red");
        assertLine(repaired.get(0), "script-svc", "yellow", "DEGRADED", "warning", "script", "status 500 not 2xx");
        assertThat(repaired.get(1).get("status").asText()).isEqualTo("RESTORED");
        assertThat(repaired.get(2).get("action").asText()).isEqualTo("script");
        assertThat(Files.readAllLines(marker)).containsExactly(
                "monitor=script-svc state=REMEDIATING attempt=1 arg=restart-me error=status 500 not 2xx");

        for (List<JsonNode> monitorLines : lines.values()) {
            for (JsonNode line : monitorLines) {
                List<String> fields = new ArrayList<>();
                line.fieldNames().forEachRemaining(fields::add);
                assertThat(fields).isEqualTo(LOG_FIELDS);
                assertThat(line.get("type").asText()).isEqualTo("code");
                assertThat(line.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            }
        }
    }

    @Test
    void refusesAnInvalidFileWithExitTwoAndTheErrorLine() throws Exception {
        Path monitors = dir.resolve("bad.yaml");
        Files.writeString(monitors, """
                monitors:
                  - name: typo
                    pulse_check: {type: http, interval: 1s, timeout: 2s, config: {url: "http://127.0.0.1:1/"}}
                """);
        Process p = startCpra(monitors);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(err).contains(monitors + ":3:").contains("monitor typo").contains("pulse_check.timeout")
                .doesNotContain("Exception");
    }

    private static void assertRed(Map<String, List<JsonNode>> lines, String monitor, String error) {
        List<JsonNode> got = lines.get(monitor);
        assertThat(got).as(monitor).hasSize(1);
        assertLine(got.get(0), monitor, "red", "FAILED", "critical", null, error);
        assertThat(got.get(0).get("incident_id").asText()).isNotBlank();
    }

    private static void assertLine(JsonNode line, String monitor, String colour, String status, String severity,
                                   String action, String error) {
        assertThat(line.get("monitor").asText()).isEqualTo(monitor);
        assertThat(line.get("color").asText()).isEqualTo(colour);
        assertThat(line.get("status").asText()).isEqualTo(status);
        assertThat(line.get("severity").asText()).isEqualTo(severity);
        assertThat(line.get("action").isNull() ? null : line.get("action").asText()).isEqualTo(action);
        assertThat(line.get("error").asText()).isEqualTo(error);
        assertThat(line.get("summary").asText()).isEqualTo(monitor + " is " + status);
    }

    private Process startCpra(Path monitors) throws IOException {
        boolean keepStderr = monitors.getFileName().toString().startsWith("bad");
        return CpraProcess.start(dir, Map.of(), keepStderr, "run", "--api", "127.0.0.1:0", monitors.toString());
    }

    private static Map<String, List<JsonNode>> lines(Path log) throws IOException {
        Map<String, List<JsonNode>> byMonitor = new LinkedHashMap<>();
        if (!Files.exists(log)) return byMonitor;
        for (String line : Files.readAllLines(log)) {
            if (line.isBlank()) continue;
            JsonNode node = JSON.readTree(line);
            byMonitor.computeIfAbsent(node.get("monitor").asText(), k -> new ArrayList<>()).add(node);
        }
        return byMonitor;
    }

    private static Map<String, List<String>> colours(Path log) throws IOException {
        Map<String, List<String>> byMonitor = new LinkedHashMap<>();
        lines(log).forEach((m, l) -> byMonitor.put(m, l.stream().map(n -> n.get("color").asText()).toList()));
        return byMonitor;
    }

    private int resettingServer() throws IOException {
        ServerSocket server = loopbackServer();
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.getInputStream().read(new byte[1024]);
                    s.setSoLinger(true, 0); // close with RST
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return server.getLocalPort();
    }

    private int silentServer() throws IOException {
        ServerSocket server = loopbackServer();
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    synchronized (heldOpen) { heldOpen.add(s); } // accepted, never answered
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return server.getLocalPort();
    }

    private ServerSocket loopbackServer() throws IOException {
        ServerSocket server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        rawServers.add(server);
        return server;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
