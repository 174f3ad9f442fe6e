package io.cpra.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cpra.testing.CpraProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A real {@code cpra run} process serves the API: ready, paged reads, token-guarded changes, metrics; and its refusals. */
class RunWithApiProcessTest {

    private static final Pattern ADDRESS = Pattern.compile("API, metrics and dashboard on http://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    private Process cpra;

    @AfterEach
    void stop() {
        if (cpra != null && cpra.isAlive()) cpra.destroyForcibly();
    }

    @Test
    void servesTheApiWhileRunning() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path monitors = dir.resolve("monitors.yaml");
        Files.writeString(monitors, """
                monitors:
                  - {name: down-1, pulse_check: {type: tcp, interval: 1s, timeout: 400ms, groups: [db], config: {host: 127.0.0.1, port: %1$d}}}
                  - {name: down-2, pulse_check: {type: tcp, interval: 1s, timeout: 400ms, groups: [db], config: {host: 127.0.0.1, port: %1$d}}}
                """.formatted(closed));
        cpra = start(List.of("--api", "127.0.0.1:0", monitors.toString()), "t0ken");
        Http http = new Http(new InetSocketAddress("127.0.0.1", awaitPort()), "t0ken");

        await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/readyz").status() == 200);
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/v1/incidents").json().get("monitors").size() == 2);
        JsonNode paused = http.post("/api/v1/monitors/down-1/pause", "").json();
        assertThat(paused.get("state").asText()).isEqualTo("paused");
        assertThat(new Http(new InetSocketAddress("127.0.0.1", http.port()), "wrong").post("/api/v1/monitors/down-2/pause", "").status())
                .isEqualTo(401);
        // the file gains a monitor: POST /-/reload applies it and reports the difference
        Files.writeString(monitors, Files.readString(monitors)
                + "  - {name: down-3, pulse_check: {type: tcp, interval: 1s, timeout: 400ms, config: {host: 127.0.0.1, port: %d}}}\n"
                        .formatted(closed));
        JsonNode reloaded = http.post("/-/reload", "").json();
        assertThat(reloaded.get("added").asInt()).isEqualTo(1);
        assertThat(reloaded.get("unchanged").asInt()).isEqualTo(2);
        assertThat(http.get("/api/v1/monitors/down-3").status()).isEqualTo(200);
        assertThat(http.get("/metrics").text()).contains("cpra_monitors{state=\"paused\"} 1");
        assertThat(http.get("/").text()).contains("<canvas");

        cpra.destroy(); // SIGTERM
        assertThat(cpra.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(cpra.exitValue()).isZero();
    }

    @Test
    void refusesANonLoopbackAddressWithoutAToken() throws Exception {
        Path monitors = dir.resolve("m.yaml");
        Files.writeString(monitors, "monitors:\n  - {name: a, pulse_check: {type: tcp, interval: 1s, timeout: 400ms, config: {host: 127.0.0.1, port: 9}}}\n");
        cpra = start(List.of("--api", "0.0.0.0:0", monitors.toString()), null);
        assertThat(cpra.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(cpra.exitValue()).isEqualTo(64);
        assertThat(Files.readString(dir.resolve("cpra.err"))).contains("without a token: set CPRA_API_TOKEN");
    }

    @Test
    void aBusyPortIsAClearError() throws Exception {
        Path monitors = dir.resolve("m.yaml");
        Files.writeString(monitors, "monitors:\n  - {name: a, pulse_check: {type: tcp, interval: 1s, timeout: 400ms, config: {host: 127.0.0.1, port: 9}}}\n");
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            cpra = start(List.of("--api", "127.0.0.1:" + busy.getLocalPort(), monitors.toString()), null);
            assertThat(cpra.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(cpra.exitValue()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("cpra.err"))).contains("cannot serve the API on").contains("--no-api");
    }

    private Process start(List<String> args, String token) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put(ApiSettings.TOKEN_VARIABLE, token); // null: removed, the run has no token
        List<String> command = new ArrayList<>(List.of("run"));
        command.addAll(args);
        return CpraProcess.start(dir, env, false, command.toArray(String[]::new));
    }

    private int awaitPort() {
        return await().atMost(Duration.ofSeconds(20)).until(() -> {
            Matcher m = ADDRESS.matcher(Files.readString(dir.resolve("cpra.err")));
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        }, port -> port > 0);
    }
}
