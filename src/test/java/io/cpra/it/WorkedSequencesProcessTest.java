package io.cpra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.cpra.testing.FakeDockerEngine;
import io.cpra.testing.CpraProcess;
import io.cpra.testing.HttpReceiver;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worked sequences of LIFECYCLE.md (U = 3, K = 2, M = 3, A = 2) end to end: a real {@code cpra run}
 * process checks scripted local endpoints, restarts containers through a fake Docker Engine on a unix
 * socket, and alerts to real Slack and PagerDuty receivers. Each monitor's alerts, merged across both
 * receivers in arrival order, must be exactly the sequence's colours.
 *
 * <p>A check that times out still takes its scripted outcome from the endpoint and fails, so the timeout
 * is kept far above what a loaded 2-core machine can cost a local answer.
 */
class WorkedSequencesProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> SLACK_COLOURS = Map.of(
            "#f2c744", "yellow", "#d50200", "red", "#1fb2c4", "cyan", "#2eb886", "green", "#9e9e9e", "gray");

    /** Per monitor: the check outcomes its endpoint answers, in order (F = 503, S = 200); then S for ever. */
    private static final Map<String, String> OUTCOMES = Map.of(
            "seq1-no-intervention", "FFFFSS",
            "seq2-fixed", "FFFSSS",
            "seq3-repair-fails", "FFFSS",
            "seq4-stays-down", "FFFFFSS",
            "seq5-blips", "FSSFSFSS",
            "seq6-u1", "FSS");

    @TempDir
    Path dir;

    private final Map<String, ConcurrentLinkedDeque<Character>> scripts = new ConcurrentHashMap<>();
    private HttpServer endpoints;
    private Process cpra;

    @AfterEach
    void stop() {
        if (cpra != null && cpra.isAlive()) cpra.destroyForcibly();
        if (endpoints != null) endpoints.stop(0);
    }

    @Test
    void everyWorkedSequenceRaisesExactlyItsAlerts() throws Exception {
        startEndpoints();
        try (FakeDockerEngine docker = new FakeDockerEngine(dir.resolve("docker.sock"));
             HttpReceiver slack = new HttpReceiver();
             HttpReceiver pagerduty = new HttpReceiver()) {
            docker.answerFor = target -> target.contains("/containers/seq3-repair-fails/")
                    ? FakeDockerEngine.json(500, "Internal Server Error", "{\"message\":\"cannot restart\"}")
                    : FakeDockerEngine.NO_CONTENT;
            List<String> arrivals = new ArrayList<>(); // "monitor colour", in arrival order over both receivers
            Path monitors = writeMonitors(slack, pagerduty);

            cpra = CpraProcess.start(dir, Map.of("DOCKER_HOST", docker.dockerHost()), false, "run",
                    "--intervention-backoff", "300ms", "--intervention-backoff-max", "1s", monitors.toString());

            Map<String, List<String>> expected = new LinkedHashMap<>();
            expected.put("seq1-no-intervention", List.of("yellow", "red", "green"));
            expected.put("seq2-fixed", List.of("yellow", "cyan", "green"));
            expected.put("seq3-repair-fails", List.of("yellow", "red", "green"));
            expected.put("seq4-stays-down", List.of("yellow", "cyan", "cyan", "red", "green"));
            expected.put("seq5-blips", List.of("yellow", "green", "yellow", "green"));
            expected.put("seq6-u1", List.of("red", "green"));

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(byMonitor(merge(slack, pagerduty, arrivals)))
                            .as("alerts so far; cpra stderr:%n%s", Files.readString(dir.resolve("cpra.err")))
                            .isEqualTo(expected));
            Thread.sleep(1_500); // healthy checks go on: nothing more may arrive
            Map<String, List<String>> got = byMonitor(merge(slack, pagerduty, arrivals));
            assertThat(got).isEqualTo(expected);

            // the red and the green of one incident share PagerDuty's dedup_key
            for (String monitor : List.of("seq1-no-intervention", "seq3-repair-fails", "seq4-stays-down", "seq6-u1")) {
                List<JsonNode> events = pagerduty.requests.stream().map(r -> read(r.body()))
                        .filter(e -> e.path("dedup_key").asText().startsWith(monitor)).toList();
                assertThat(events).extracting(e -> e.get("event_action").asText()).containsExactly("trigger", "resolve");
                assertThat(events.get(0).get("dedup_key").asText()).isEqualTo(monitor + "-1")
                        .isEqualTo(events.get(1).get("dedup_key").asText());
                assertThat(events.get(0).at("/payload/severity").asText()).isEqualTo("critical");
                assertThat(events.get(0).get("routing_key").asText()).isEqualTo("pd-routing-key");
            }

            // restarts: one run each for seq2, two failing runs for seq3, two runs for seq4
            assertThat(restarts(docker, "seq2-fixed")).isEqualTo(1);
            assertThat(restarts(docker, "seq3-repair-fails")).isEqualTo(2);
            assertThat(restarts(docker, "seq4-stays-down")).isEqualTo(2);
            assertThat(docker.calls).filteredOn(c -> c.startsWith("POST"))
                    .allMatch(c -> c.matches("POST /v1\\.47/containers/seq[234][a-z-]+/restart\\?t=5"));

            cpra.destroy();
            assertThat(cpra.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(cpra.exitValue()).isZero();
        }
    }

    private static long restarts(FakeDockerEngine docker, String container) {
        return docker.calls.stream().filter(c -> c.startsWith("POST") && c.contains("/containers/" + container + "/")).count();
    }

    /** Each receiver keeps its own arrival order; the merge orders the two streams by arrival time. */
    private static List<String> merge(HttpReceiver slack, HttpReceiver pagerduty, List<String> into) {
        record Arrival(long ts, int seq, String monitorColour) {}
        List<Arrival> all = new ArrayList<>();
        int i = 0;
        for (HttpReceiver.Request r : slack.requests) {
            JsonNode a = read(r.body()).at("/attachments/0");
            String monitor = a.at("/fields/0/value").asText();
            all.add(new Arrival(r.arrivedNanos(), i++, monitor + " " + SLACK_COLOURS.get(a.get("color").asText())));
        }
        for (HttpReceiver.Request r : pagerduty.requests) {
            JsonNode e = read(r.body());
            String key = e.get("dedup_key").asText();
            String monitor = key.replaceFirst("-\\d+$", "");
            String colour = e.get("event_action").asText().equals("trigger") ? "red" : "green";
            all.add(new Arrival(r.arrivedNanos(), i++, (OUTCOMES.containsKey(key) ? key : monitor) + " " + colour));
        }
        all.sort((x, y) -> x.ts != y.ts ? Long.compare(x.ts, y.ts) : Integer.compare(x.seq, y.seq));
        into.clear();
        for (Arrival a : all) into.add(a.monitorColour);
        return into;
    }

    private static Map<String, List<String>> byMonitor(List<String> arrivals) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String key : OUTCOMES.keySet().stream().sorted().toList()) out.put(key, new ArrayList<>());
        for (String a : arrivals) {
            int space = a.indexOf(' ');
            out.computeIfAbsent(a.substring(0, space), k -> new ArrayList<>()).add(a.substring(space + 1));
        }
        return out;
    }

    private Path writeMonitors(HttpReceiver slack, HttpReceiver pagerduty) throws IOException {
        String base = "http://127.0.0.1:" + endpoints.getAddress().getPort();
        StringBuilder yaml = new StringBuilder("""
                x-codes: &codes
                  yellow: {notify: slack, config: {hook: "%1$s"}}
                  cyan:   {notify: slack, config: {hook: "%1$s"}}
                  red:    {notify: pagerduty, config: {url: "%2$s", routing_key: pd-routing-key}}
                  green:  {notify: pagerduty, config: {url: "%2$s", routing_key: pd-routing-key}}
                monitors:
                """.formatted(slack.url("/services/T0/B0/secret"), pagerduty.url("/v2/enqueue")));
        for (String name : OUTCOMES.keySet().stream().sorted().toList()) {
            int u = name.equals("seq6-u1") ? 1 : 3;
            yaml.append("""
                      - name: %1$s
                        pulse_check: {type: http, interval: 1s, timeout: 900ms, unhealthy_threshold: %2$d, config: {url: "%3$s/%1$s"}}
                        codes: *codes
                    """.formatted(name, u, base));
            if (name.startsWith("seq2") || name.startsWith("seq3") || name.startsWith("seq4")) {
                yaml.append("""
                            intervention: {action: docker, max_failures: 2, target: {container: %s, timeout: 5s}}
                        """.formatted(name));
            }
        }
        Path file = dir.resolve("monitors.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private void startEndpoints() throws IOException {
        endpoints = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        endpoints.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        OUTCOMES.forEach((monitor, outcomes) -> {
            ConcurrentLinkedDeque<Character> script = new ConcurrentLinkedDeque<>();
            for (char c : outcomes.toCharArray()) script.add(c);
            scripts.put(monitor, script);
            endpoints.createContext("/" + monitor, ex -> {
                Character next = script.poll();
                int status = next == null || next == 'S' ? 200 : 503;
                ex.sendResponseHeaders(status, 2);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write("ok".getBytes());
                }
            });
        });
        endpoints.start();
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
