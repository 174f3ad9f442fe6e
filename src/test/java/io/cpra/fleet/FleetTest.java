package io.cpra.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class FleetTest {

    private static final int PORTS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Each fleet gets ports no earlier fleet of this run had, so no client holds a stale connection to them. */
    private static final AtomicInteger NEXT_BASE = new AtomicInteger(21_000 + ThreadLocalRandom.current().nextInt(8_000));

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private Fleet fleet;
    private int first;

    /** A fleet on a free range below the ephemeral ports, with an admin port. */
    static Fleet startOnFreePorts(UnaryOperator<FleetSettings> tweak) {
        for (int attempt = 1; ; attempt++) {
            int base = NEXT_BASE.getAndAdd(PORTS);
            FleetSettings settings = FleetSettings.of(new PortRange(base, base + PORTS - 1)).withAdminPort(0);
            try {
                return new Fleet(tweak.apply(settings)).start();
            } catch (IllegalStateException busy) {
                if (attempt == 10) throw busy;
            }
        }
    }

    @BeforeEach
    void start() {
        fleet = startOnFreePorts(UnaryOperator.identity());
        first = fleet.ports().first();
    }

    @AfterEach
    void stop() {
        http.close();
        fleet.stop();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/health              | 200 | ok",
            "/ok                  | 200 | ok",
            "/status/418          | 418 | status",
            "/status/204          | 204 | ''",
            "/status/99           | 400 | /status/NNN takes a status within 200-599, got '99'",
            "/flaky?ratio=1       | 503 | flaky",
            "/flaky?ratio=0       | 200 | ok",
            "/flaky?ratio=2       | 400 | ratio must be within 0.0-1.0, got 2",
            "/slow?ms=30          | 200 | ok",
            "/slow?min=10&max=30  | 200 | ok",
            "/slow?ms=soon        | 400 | ms must be a whole number, got 'soon'",
            "/slow?min=30&max=10  | 400 | max must be within 30-600000, got 10",
            "/huge?mb=0           | 200 | ''",
            "/nowhere             | 404 | no such path: /nowhere",
    })
    void answersByPath(String path, int status, String body) throws Exception {
        HttpResponse<String> response = get(first, path);
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.body()).isEqualTo(body);
    }

    @Test
    void slowWaitsAtLeastTheDelay() throws Exception {
        long start = System.nanoTime();
        assertThat(get(first, "/slow?ms=200").statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void keepsConnectionsAliveAndAnswersPipelinedRequestsInOrder() throws Exception {
        try (RawHttp connection = new RawHttp(first + 1)) {
            connection.get("/slow?ms=100", "/status/201", "/ok");
            assertThat(connection.read()).isEqualTo(new RawHttp.Response(200, "ok"));
            assertThat(connection.read()).isEqualTo(new RawHttp.Response(201, "status"));
            assertThat(connection.read()).isEqualTo(new RawHttp.Response(200, "ok"));
            connection.get("/health");
            assertThat(connection.read().status()).isEqualTo(200);
            assertThat(fleet.stats().acceptedConnections()).isEqualTo(1);
        }
    }

    @Test
    void streamsHugeBodies() throws Exception {
        HttpResponse<InputStream> response = http.send(request(first, "/huge?mb=20"), HttpResponse.BodyHandlers.ofInputStream());
        long bytes;
        try (InputStream body = response.body()) {
            bytes = body.transferTo(java.io.OutputStream.nullOutputStream());
        }
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("content-length")).hasValue(20L << 20);
        assertThat(bytes).isEqualTo(20L << 20);
    }

    @Test
    void hangNeverAnswers() {
        HttpRequest request = HttpRequest.newBuilder(uri(first, "/hang")).timeout(Duration.ofMillis(300)).build();
        assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(fleet.stats().count(Outcome.HANG)).isEqualTo(1);
    }

    @Test
    void resetClosesWithRst() throws Exception {
        try (RawHttp connection = new RawHttp(first)) {
            connection.get("/reset");
            assertThatThrownBy(connection::readByte).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        }
        assertThat(fleet.stats().count(Outcome.RESET)).isEqualTo(1);
    }

    @Test
    void tcpChecksOnlyNeedThePortOpen() throws Exception {
        for (int port = first; port < first + PORTS; port++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                assertThat(socket.isConnected()).isTrue();
            }
        }
    }

    @Test
    void failAndHealThroughTheAdminEndpoint() throws Exception {
        JsonNode failed = admin("POST", "/ports/" + (first + 2) + "/fail", 200);
        assertThat(failed.get("failing").asBoolean()).isTrue();
        assertThat(get(first + 2, "/health").statusCode()).isEqualTo(503);
        assertThat(get(first + 2, "/ok").statusCode()).isEqualTo(503);
        assertThat(get(first + 1, "/health").statusCode()).isEqualTo(200);

        admin("POST", "/ports/" + (first + 2) + "/heal", 200);
        assertThat(get(first + 2, "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void killAndReviveThroughTheAdminEndpoint() throws Exception {
        int port = first + 3;
        try (RawHttp open = new RawHttp(port)) {
            JsonNode killed = admin("POST", "/ports/" + port + "/kill", 200);
            assertThat(killed.get("listening").asBoolean()).isFalse();
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
            assertThat(open.readByte()).as("open connections of a killed port are closed").isEqualTo(-1);
        }
        assertThat(get(first, "/health").statusCode()).isEqualTo(200);

        assertThat(admin("POST", "/ports/" + port + "/revive", 200).get("listening").asBoolean()).isTrue();
        assertThat(get(port, "/health").statusCode()).isEqualTo(200);
        assertThat(admin("POST", "/ports/" + port + "/revive", 200).get("listening").asBoolean()).isTrue();
    }

    @Test
    void programmaticControlMatchesTheAdminEndpoint() throws Exception {
        fleet.fail(first);
        assertThat(admin("GET", "/ports/" + first, 200).get("failing").asBoolean()).isTrue();
        assertThat(get(first, "/health").statusCode()).isEqualTo(503);
        fleet.heal(first);
        assertThat(get(first, "/health").statusCode()).isEqualTo(200);

        fleet.kill(first);
        assertThat(fleet.status(first)).isEqualTo(new PortStatus(first, false, false, false));
        assertThatThrownBy(() -> get(first, "/health")).isInstanceOf(ConnectException.class);
        fleet.revive(first);
        assertThat(get(first, "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void flapAlternatesAFractionOfPortsFailingFirst() throws Exception {
        JsonNode flap = admin("POST", "/flap?fraction=0.5&period=1s", 200);
        assertThat(flap.get("flapping").asInt()).isEqualTo(2);
        assertThat(flap.get("period_ms").asLong()).isEqualTo(1000);
        assertThat(healthStatuses()).containsOnly(200, 503).filteredOn(s -> s == 503).hasSize(2);
        assertThat(fleet.stats().flapping()).isEqualTo(2);

        await().atMost(Duration.ofSeconds(5)).until(() -> healthStatuses().stream().allMatch(s -> s == 200));
        await().atMost(Duration.ofSeconds(5)).until(() -> healthStatuses().contains(503));

        admin("POST", "/flap/stop", 200);
        assertThat(healthStatuses()).containsOnly(200);
        assertThat(fleet.flap(0, Duration.ofSeconds(1))).isZero();
    }

    @Test
    void statsCountRequestsByOutcomeAndOpenConnections() throws Exception {
        get(first, "/health");
        get(first, "/status/302");
        get(first, "/status/404");
        get(first, "/flaky?ratio=1");
        try (RawHttp open = new RawHttp(first + 1)) {
            open.get("/ok").read();
            JsonNode stats = admin("GET", "/stats", 200);
            assertThat(stats.get("requests").asLong()).isEqualTo(5);
            JsonNode outcomes = stats.get("outcomes");
            assertThat(outcomes.get("2xx").asLong()).isEqualTo(2);
            assertThat(outcomes.get("3xx").asLong()).isEqualTo(1);
            assertThat(outcomes.get("4xx").asLong()).isEqualTo(1);
            assertThat(outcomes.get("5xx").asLong()).isEqualTo(1);
            assertThat(outcomes.get("hang").asLong()).isZero();
            assertThat(stats.get("connections").get("open").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(stats.get("ports").get("total").asInt()).isEqualTo(PORTS);
            assertThat(stats.get("ports").get("listening").asInt()).isEqualTo(PORTS);
        }
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "POST, /ports/1/fail,              404",
            "GET,  /ports/{first}/fail,        405",
            "POST, /stats,                     405",
            "POST, /flap?fraction=1.5,         400",
            "POST, /flap?period=forever,       400",
            "GET,  /nothing,                   404",
    })
    void adminRefusesBadRequests(String method, String path, int status) throws Exception {
        admin(method, path.replace("{first}", Integer.toString(first)), status);
    }

    @Test
    void boundsRequestSizeAndConnections() throws Exception {
        HttpRequest big = HttpRequest.newBuilder(uri(first, "/ok"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[FleetSettings.DEFAULT_MAX_REQUEST_BYTES + 1])).build();
        assertThat(http.send(big, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(413);

        try (Fleet small = startOnFreePorts(s -> s.withMaxConnections(1));
             RawHttp admitted = new RawHttp(small.ports().first())) {
            assertThat(admitted.get("/ok").read().status()).isEqualTo(200);
            try (RawHttp refused = new RawHttp(small.ports().first())) {
                assertThat(refused.readByte()).isEqualTo(-1);
            }
            assertThat(small.stats().refusedConnections()).isEqualTo(1);
            assertThat(admitted.get("/ok").read().status()).isEqualTo(200);
        }
    }

    @Test
    void aBusyPortFailsTheStartNamingIt() {
        FleetSettings same = FleetSettings.of(fleet.ports());
        assertThatThrownBy(() -> new Fleet(same).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot listen on 127.0.0.1:" + first + ": ")
                .hasMessageEndingWith("(and " + (PORTS - 1) + " more ports)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "0.0.0.0", "192.168.1.20", "::1", "example.com", "128.0.0.1"})
    void refusesToListenBeyondLoopback(String host) {
        assertThatThrownBy(() -> FleetSettings.loopback(host))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("127.0.0.0/8");
    }

    @Test
    void loopbackAddressesAreAccepted() throws Exception {
        assertThat(FleetSettings.loopback("127.0.0.2")).isEqualTo(InetAddress.getByName("127.0.0.2"));
        assertThat(FleetSettings.loopback("localhost")).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThatThrownBy(() -> FleetSettings.of(new PortRange(1, 2)).withHost(InetAddress.getByName("10.1.2.3")))
                .hasMessage("refusing to listen on 10.1.2.3: the fleet listens only on loopback addresses 127.0.0.0/8");
    }

    @Test
    void theCommandRefusesANonLoopbackHostAsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new FleetCommand());
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("--ports", "20000-20003", "--host", "10.0.0.1");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("10.0.0.1").contains("127.0.0.0/8");
    }

    @Test
    void describesItselfInOneLine() {
        assertThat(FleetCommand.describe(fleet)).matches(
                "fleet: 4 ports on 127\\.0\\.0\\.1:\\d+-\\d+ \\((epoll|nio), [12] threads\\), admin 127\\.0\\.0\\.1:\\d+");
    }

    private java.util.List<Integer> healthStatuses() throws Exception {
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        for (int port = first; port < first + PORTS; port++) statuses.add(get(port, "/health").statusCode());
        return statuses;
    }

    private JsonNode admin(String method, String path, int expectedStatus) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(fleet.adminPort(), path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return expectedStatus == 200 ? JSON.readTree(response.body()) : null;
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(request(port, path), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(int port, String path) {
        return HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(5)).build();
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
