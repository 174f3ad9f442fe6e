package io.cpra.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cpra.config.ConfigError;
import io.cpra.engine.Engine;
import io.cpra.engine.MonitorState;
import io.cpra.engine.ReloadReport;
import io.cpra.notify.AlertDispatcher;
import io.cpra.notify.DeliveryPolicy;
import io.cpra.notify.Notifiers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Every endpoint over real HTTP against a running engine with 345 monitors. */
class ApiServerTest {

    private static final String TOKEN = "s3cret-token";

    @TempDir
    static Path dir;

    static Notifiers notifiers;
    static AlertDispatcher alerts;
    static Engine engine;
    static ApiServer server;
    static Http http;
    static final AtomicBoolean loaded = new AtomicBoolean(true);
    static final AtomicReference<Supplier<ReloadReport>> reload = new AtomicReference<>();

    @BeforeAll
    static void start() throws Exception {
        notifiers = new Notifiers();
        alerts = new AlertDispatcher(notifiers::get, DeliveryPolicy.DEFAULT);
        engine = new Fleet(dir.resolve("alerts.log"))
                .add("web", 200, "web", true)
                .add("db", 100, "db", false)
                .add("ops", 20, "ops", true)
                .add("batch", 20, "batch", true)
                .add("solo", 5, "solo", true)
                .load(dir, alerts);
        server = ApiServer.start(new ApiSettings(new InetSocketAddress("127.0.0.1", 0), TOKEN), engine,
                () -> reload.get().get(), loaded::get);
        server.watch(alerts);
        engine.start();
        http = new Http(server.address(), TOKEN);
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.stats().monitorsByState().get(MonitorState.UNKNOWN) == 0);
    }

    @AfterAll
    static void stop() {
        server.close();
        engine.close();
        alerts.close(Duration.ofSeconds(1));
        notifiers.close();
    }

    @Test
    void healthAndReadiness() {
        assertThat(http.get("/healthz").status()).isEqualTo(200);
        assertThat(http.get("/readyz").status()).isEqualTo(200);
        loaded.set(false);
        try {
            Http.Answer notReady = http.get("/readyz");
            assertThat(notReady.status()).isEqualTo(503);
            assertThat(notReady.json().get("error").asText()).contains("loading");
        } finally {
            loaded.set(true);
        }
    }

    @Test
    void cursorPagingVisitsEveryMonitorOnce() {
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int pages = 0;
        while (cursor != null) {
            JsonNode page = http.get("/api/v1/monitors?limit=50&cursor=" + cursor).json();
            page.get("monitors").forEach(m -> assertThat(seen.add(m.get("name").asText())).isTrue());
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            pages++;
        }
        assertThat(seen).hasSize(345);
        assertThat(pages).isEqualTo(7);
    }

    @Test
    void offsetPaging() {
        JsonNode page = http.get("/api/v1/monitors?offset=300&limit=100").json();
        assertThat(page.get("monitors")).hasSize(45);
        assertThat(page.get("monitors").get(0).get("name").asText()).isEqualTo("ops-0001");
        assertThat(page.get("next_cursor").isNull()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "state=unhealthy, 100",
            "state=healthy&group=web, 200",
            "group=db, 100",
            "name=db-000, 9",
            "name=web-01&group=web, 100",
            "colour=red, 100",
            "color=red&name=db-0100, 1",
            "group=nothing, 0",
    })
    void filters(String query, int expected) {
        List<String> names = new ArrayList<>();
        JsonNode page = http.get("/api/v1/monitors?limit=1000&" + query).json();
        page.get("monitors").forEach(m -> names.add(m.get("name").asText()));
        assertThat(names).hasSize(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/api/v1/monitors?state=sleepy | 400 | unknown state",
            "/api/v1/monitors?colour=blue  | 400 | unknown colour",
            "/api/v1/monitors?limit=0      | 400 | limit must be between 1 and 1000",
            "/api/v1/monitors?limit=ten    | 400 | limit must be a whole number",
            "/api/v1/monitors?cursor=5&offset=5 | 400 | either cursor or offset",
            "/api/v1/monitors/nope-1       | 404 | no monitor named 'nope-1'",
            "/api/v1/nothing-here          | 404 | no such path",
            "/api/v1/grid/names?version=x  | 400 | version must be a whole number",
    })
    void badInputIsAJsonError(String path, int status, String message) {
        Http.Answer a = http.get(path);
        assertThat(a.status()).isEqualTo(status);
        assertThat(a.header("Content-Type")).startsWith("application/json");
        assertThat(a.json().get("error").asText()).contains(message);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "DELETE, /api/v1/monitors, GET",
            "PUT, /api/v1/summary, GET",
            "GET, /api/v1/monitors/web-0001/pause, POST",
            "POST, /metrics, GET",
            "PATCH, /api/v1/maintenance, 'GET, POST'",
    })
    void wrongMethodIs405(String method, String path, String allow) {
        Http.Answer a = http.method(method, path);
        assertThat(a.status()).isEqualTo(405);
        assertThat(a.header("Allow")).isEqualTo(allow);
        assertThat(a.json().get("error").asText()).contains("not allowed");
    }

    @Test
    void detailShowsConfigStateAndRecentResults() {
        await().atMost(Duration.ofSeconds(5)).until(() -> http.get("/api/v1/monitors/db-0001").json().get("recent").size() >= 2);
        JsonNode down = http.get("/api/v1/monitors/db-0001").json();
        assertThat(down.get("state").asText()).isEqualTo("unhealthy");
        assertThat(down.get("colour").asText()).isEqualTo("red");
        assertThat(down.get("type").asText()).isEqualTo("tcp");
        assertThat(down.get("target").asText()).isEqualTo("down.test:1");
        assertThat(down.get("interval").asText()).isEqualTo("1s");
        assertThat(down.get("groups").get(0).asText()).isEqualTo("db");
        assertThat(down.get("incident").get("id").asText()).isEqualTo("db-0001-1");
        assertThat(Instant.parse(down.get("incident").get("since").asText())).isBefore(Instant.now().plusSeconds(1));
        JsonNode last = down.get("recent").get(0);
        assertThat(last.get("ok").asBoolean()).isFalse();
        assertThat(last.get("error").asText()).isEqualTo("connection refused");
        assertThat(last.get("latency_ms").asDouble()).isBetween(0.29, 0.31);

        JsonNode up = http.get("/api/v1/monitors/web-0001").json();
        assertThat(up.get("state").asText()).isEqualTo("healthy");
        assertThat(up.get("incident").isNull()).isTrue();
        assertThat(up.get("recent").get(0).get("ok").asBoolean()).isTrue();
        assertThat(up.get("recent").get(0).get("latency_ms").asDouble()).isBetween(1.49, 1.51);
        assertThat(up.get("recent").size()).isLessThanOrEqualTo(8);
    }

    @Test
    void mutatingCallsNeedTheToken() {
        Http anonymous = new Http(server.address(), null);
        Http wrong = new Http(server.address(), "guess");
        for (Http client : List.of(anonymous, wrong)) {
            Http.Answer a = client.post("/api/v1/monitors/ops-0001/pause", "");
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.header("WWW-Authenticate")).isEqualTo("Bearer");
            assertThat(client.delete("/api/v1/maintenance/1").status()).isEqualTo(401);
            assertThat(client.post("/-/reload", "").status()).isEqualTo(401);
        }
        assertThat(engine.lookup("ops-0001").state()).isNotEqualTo(MonitorState.PAUSED);
    }

    @Test
    void withoutAConfiguredTokenChangesAreRefused() throws Exception {
        try (ApiServer open = ApiServer.start(new ApiSettings(new InetSocketAddress("127.0.0.1", 0), null), engine,
                () -> { throw new UnsupportedOperationException(); }, () -> true)) {
            Http client = new Http(open.address(), "anything");
            Http.Answer a = client.post("/api/v1/monitors/ops-0002/pause", "");
            assertThat(a.status()).isEqualTo(403);
            assertThat(a.json().get("error").asText()).contains("set CPRA_API_TOKEN");
            assertThat(client.get("/api/v1/summary").status()).isEqualTo(200);
        }
    }

    @Test
    void aNonLoopbackAddressWithoutATokenIsRefusedAtStart() {
        assertThatThrownBy(() -> ApiSettings.parse("0.0.0.0:0", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CPRA_API_TOKEN");
        assertThat(ApiSettings.parse("0.0.0.0:0", "t").token()).isEqualTo("t");
        assertThatThrownBy(() -> ApiSettings.parse("localhost", null)).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> ApiSettings.parse("127.0.0.1:99999", null)).hasMessageContaining("0..65535");
    }

    @Test
    void pauseGraysAndResumeReturnsToUnknownThenChecks() {
        Http.Answer paused = http.post("/api/v1/monitors/ops-0003/pause", "");
        assertThat(paused.status()).isEqualTo(200);
        assertThat(paused.json().get("state").asText()).isEqualTo("paused");
        assertThat(paused.json().get("changed").asBoolean()).isTrue();
        assertThat(http.post("/api/v1/monitors/ops-0003/pause", "").json().get("changed").asBoolean()).isFalse();
        assertThat(http.get("/api/v1/monitors/ops-0003").json().get("colour").asText()).isEqualTo("gray");
        assertThat(http.post("/api/v1/monitors/ops-0003/check-now", "").status()).isEqualTo(409);

        Http.Answer resumed = http.post("/api/v1/monitors/ops-0003/resume", "");
        assertThat(resumed.json().get("state").asText()).isEqualTo("unknown");
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.lookup("ops-0003").state() == MonitorState.HEALTHY);
        assertThat(http.post("/api/v1/monitors/nope/pause", "").status()).isEqualTo(404);
        assertThat(http.post("/api/v1/monitors/nope/resume", "").status()).isEqualTo(404);
    }

    @Test
    void checkNowRunsACheckAtOnce() {
        String path = "/api/v1/monitors/ops-0004";
        int before = http.get(path).json().get("recent").size();
        await().atMost(Duration.ofSeconds(5)).until(() -> http.post(path + "/check-now", "").status() == 202);
        await().atMost(Duration.ofMillis(900)).until(() -> http.get(path).json().get("recent").size() > before);
        assertThat(http.post("/api/v1/monitors/nope/check-now", "").status()).isEqualTo(404);
    }

    @Test
    void maintenanceByGroupPausesWithGrayAndDeletingEndsIt() {
        String now = Instant.now().minusSeconds(1).toString();
        String end = Instant.now().plusSeconds(3_600).toString();
        Http.Answer created = http.post("/api/v1/maintenance",
                "{\"groups\":[\"batch\"],\"start\":\"" + now + "\",\"end\":\"" + end + "\"}");
        assertThat(created.status()).isEqualTo(201);
        JsonNode window = created.json();
        assertThat(window.get("active").asBoolean()).isTrue();
        await().atMost(Duration.ofSeconds(2)).until(() -> count("state=paused&group=batch") == 20);
        assertThat(http.get("/api/v1/monitors/batch-0007").json().get("colour").asText()).isEqualTo("gray");
        assertThat(http.get("/api/v1/maintenance").json().get("windows").findValuesAsText("id"))
                .contains(window.get("id").asText());

        assertThat(http.delete("/api/v1/maintenance/" + window.get("id").asText()).status()).isEqualTo(200);
        assertThat(count("state=paused&group=batch")).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> count("state=healthy&group=batch") == 20);
        assertThat(http.delete("/api/v1/maintenance/" + window.get("id").asText()).status()).isEqualTo(404);
    }

    @Test
    void maintenanceByNameStartsAndEndsByTheEngineClock() {
        Instant start = Instant.now().plusMillis(700);
        Instant end = start.plusMillis(1_200);
        Http.Answer created = http.post("/api/v1/maintenance",
                "{\"monitors\":[\"solo-0001\",\"solo-0002\"],\"start\":\"" + start + "\",\"end\":\"" + end + "\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("active").asBoolean()).isFalse();
        await().atMost(Duration.ofSeconds(3)).until(() -> engine.lookup("solo-0002").state() == MonitorState.PAUSED);
        assertThat(engine.lookup("solo-0003").state()).isEqualTo(MonitorState.HEALTHY);
        await().atMost(Duration.ofSeconds(3)).until(() -> engine.lookup("solo-0002").state() != MonitorState.PAUSED);
        await().atMost(Duration.ofSeconds(3)).until(() -> engine.lookup("solo-0001").state() == MonitorState.HEALTHY);
        assertThat(http.get("/api/v1/maintenance").json().get("windows").findValuesAsText("id"))
                .doesNotContain(created.json().get("id").asText());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"monitors\": [\"solo-0004\"                                                    | bad JSON",
            "[]                                                                               | bad JSON",
            "{\"monitors\":[\"solo-0004\"],\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2099-01-01T00:00:00Z\",\"x\":1} | bad JSON",
            "{\"monitors\":[\"nope-9\"],\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2099-01-01T00:00:00Z\"} | unknown monitors: nope-9",
            "{\"groups\":[\"nothing\"],\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2099-01-01T00:00:00Z\"}  | no monitor in groups: nothing",
            "{\"monitors\":[\"solo-0004\"],\"start\":\"tomorrow\",\"end\":\"2099-01-01T00:00:00Z\"}          | start must be an RFC 3339 time",
            "{\"monitors\":[\"solo-0004\"],\"start\":\"2099-01-01T00:00:00Z\",\"end\":\"2098-01-01T00:00:00Z\"} | end must be after start",
            "{\"monitors\":[\"solo-0004\"],\"start\":\"2020-01-01T00:00:00Z\",\"end\":\"2020-01-02T00:00:00Z\"} | end is in the past",
            "{\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2099-01-01T00:00:00Z\"}                            | at least one monitor or group",
            "{\"monitors\":[\"solo-0004\"]}                                                                   | start and end are required",
    })
    void badMaintenanceIs400(String body, String message) {
        Http.Answer a = http.post("/api/v1/maintenance", body);
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().get("error").asText()).contains(message);
        assertThat(engine.lookup("solo-0004").state()).isNotEqualTo(MonitorState.PAUSED);
    }

    @Test
    void incidentsListTheOpenOnes() {
        JsonNode page = http.get("/api/v1/incidents?limit=1000").json();
        assertThat(page.get("monitors")).hasSize(100);
        page.get("monitors").forEach(m -> {
            assertThat(m.get("name").asText()).startsWith("db-");
            assertThat(m.get("incident_id").asText()).isEqualTo(m.get("name").asText() + "-1");
        });
        assertThat(http.get("/api/v1/incidents?limit=10").json().get("monitors")).hasSize(10);
    }

    @Test
    void alertsShowRecentDeliveries() {
        await().atMost(Duration.ofSeconds(5)).until(() -> http.get("/api/v1/alerts?limit=512").json().get("alerts").size() >= 100);
        JsonNode alerts = http.get("/api/v1/alerts?limit=512").json().get("alerts");
        JsonNode red = null;
        for (JsonNode a : alerts) if (a.get("colour").asText().equals("red")) red = a;
        assertThat(red).isNotNull();
        assertThat(red.get("notifier").asText()).isEqualTo("log");
        assertThat(red.get("outcome").asText()).isEqualTo("sent");
        assertThat(red.get("monitor").asText()).startsWith("db-");
        assertThat(red.get("incident_id").asText()).endsWith("-1");
        assertThat(http.get("/api/v1/alerts?limit=5").json().get("alerts")).hasSize(5);
        assertThat(http.get("/metrics").text()).containsPattern(
                "cpra_alerts_total\\{colour=\"red\",notifier=\"log\",outcome=\"sent\"} [1-9]");
    }

    @Test
    void summaryCountsByStateAndColour() {
        JsonNode s = http.get("/api/v1/summary").json();
        assertThat(s.get("monitors").asInt()).isEqualTo(345);
        assertThat(s.get("by_state").get("unhealthy").asInt()).isEqualTo(100);
        assertThat(s.get("by_colour").get("red").asInt()).isEqualTo(100);
        int total = 0;
        for (JsonNode n : s.get("by_state")) total += n.asInt();
        assertThat(total).isEqualTo(345);
        assertThat(s.get("checks_completed").asLong()).isPositive();
        assertThat(s.has("checks_per_second")).isTrue();
        assertThat(s.has("in_flight")).isTrue();
        assertThat(s.has("late")).isTrue();
    }

    @Test
    void gridIsOneBytePerMonitorInGroupOrder() {
        JsonNode layout = http.get("/api/v1/grid/layout").json();
        assertThat(layout.get("total").asInt()).isEqualTo(345);
        assertThat(layout.get("groups").findValuesAsText("name")).containsExactly("batch", "db", "ops", "solo", "web");
        assertThat(layout.get("groups").findValuesAsText("count")).containsExactly("20", "100", "20", "5", "200");
        Http.Answer grid = http.get("/api/v1/grid");
        assertThat(grid.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(grid.header("X-Grid-Version")).isEqualTo(layout.get("version").asText());
        byte[] cells = grid.body();
        assertThat(cells).hasSize(345);
        // db is the second group: cells 20..119 are unhealthy (5) with colour red (2)
        for (int i = 20; i < 120; i++) assertThat(cells[i]).isEqualTo((byte) (5 | 2 << 3));

        JsonNode names = http.get("/api/v1/grid/names?version=" + layout.get("version").asText() + "&from=18&count=4").json();
        assertThat(names.get("names").findValuesAsText("")).isEmpty();
        List<String> got = new ArrayList<>();
        names.get("names").forEach(n -> got.add(n.asText()));
        assertThat(got).containsExactly("batch-0019", "batch-0020", "db-0001", "db-0002");
        assertThat(http.get("/api/v1/grid/names?version=-5&from=0").status()).isEqualTo(409);
    }

    @Test
    void reloadAnswersWithTheReport() {
        reload.set(() -> new ReloadReport(true, List.of(), 3, 2, 1, 339, 12_500_000));
        Http.Answer ok = http.post("/-/reload", "");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("added").asInt()).isEqualTo(3);
        assertThat(ok.json().get("removed").asInt()).isEqualTo(1);
        assertThat(ok.json().get("duration_ms").asDouble()).isEqualTo(12.5);

        reload.set(() -> ReloadReport.failed(List.of(new ConfigError("m.yaml", 4, 7, "web-0001", "pulse_check.interval",
                "interval must be positive")), 1_000_000));
        Http.Answer refused = http.post("/-/reload", "");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("error").asText()).contains("previous config keeps running");
        JsonNode error = refused.json().get("errors").get(0);
        assertThat(error.get("file").asText()).isEqualTo("m.yaml");
        assertThat(error.get("line").asInt()).isEqualTo(4);
        assertThat(error.get("field").asText()).isEqualTo("pulse_check.interval");

        reload.set(() -> { throw new UnsupportedOperationException("reload not available in this build"); });
        Http.Answer none = http.post("/-/reload", "");
        assertThat(none.status()).isEqualTo(501);
        assertThat(none.json().get("error").asText()).isEqualTo("reload not available in this build");
    }

    @Test
    void dashboardIsServedFromTheJar() {
        Http.Answer index = http.get("/");
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.header("Content-Type")).startsWith("text/html");
        assertThat(index.text()).contains("<canvas id=\"grid\"").doesNotContain("http://", "https://");
        assertThat(http.get("/app.js").header("Content-Type")).startsWith("text/javascript");
        assertThat(http.get("/style.css").status()).isEqualTo(200);
        assertThat(http.get("/secret.txt").status()).isEqualTo(404);
    }

    private static int count(String query) {
        return http.get("/api/v1/monitors?limit=1000&" + query).json().get("monitors").size();
    }
}
