package io.cpra.checks;

import io.cpra.config.PulseSpec;
import io.cpra.config.PulseTarget;
import io.cpra.config.PulseType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.cpra.checks.Checks.http;
import static io.cpra.checks.Checks.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** HTTP checks against real local servers: one scripted server per case. */
class HttpProbeTest {

    private static NettyProbeFactory factory;

    @BeforeAll
    static void startFactory() throws Exception {
        factory = new NettyProbeFactory(ProbeSettings.defaults().withIoThreads(2));
        try (TestServer server = TestServer.start(TestServer.respond(200, "warm"))) {
            run(factory.prepare(http(server.url("/")).timeout(5000).spec())); // class loading is not a check's cost
        }
    }

    @AfterAll
    static void stopFactory() {
        factory.close();
        assertThat(Checks.duplicates).as("jobs completed more than once").isEmpty();
    }

    /** Answers each request on a connection with whatever {@code responder} makes of its head. */
    static TestServer.Behaviour serve(Function<String, String> responder) {
        return (socket, server) -> {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String request;
            while ((request = server.readRequest(in)) != null) {
                out.write(responder.apply(request).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        };
    }

    /** Answers every request 200 with {@code body}, keeping each request head in {@code seen}. */
    static TestServer.Behaviour recording(List<String> seen, String body) {
        return serve(request -> {
            seen.add(request);
            return response(200, "", body);
        });
    }

    static String response(int status, String extraHeaders, String body) {
        return "HTTP/1.1 " + status + " X\r\nContent-Length: " + body.length() + "\r\n" + extraHeaders + "\r\n" + body;
    }

    static final TestServer.Behaviour HUGE_BODY = (socket, server) -> {
        server.readRequest(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        int size = 10 * 1024 * 1024;
        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + size + "\r\n\r\nMAGIC").getBytes(StandardCharsets.ISO_8859_1));
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        for (int sent = 5; sent < size; sent += chunk.length) out.write(chunk, 0, Math.min(chunk.length, size - sent));
        out.flush();
    };

    static final TestServer.Behaviour SLOW_DRIP = (socket, server) -> {
        server.readRequest(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 100; i++) {
            out.write('x');
            out.flush();
            Thread.sleep(50);
        }
    };

    static final TestServer.Behaviour SILENT = (socket, server) -> {
        InputStream in = socket.getInputStream();
        while (in.read() >= 0) {
            // accepted and read, never answered
        }
    };

    static final TestServer.Behaviour GARBAGE = (socket, server) -> {
        server.readRequest(socket.getInputStream());
        socket.getOutputStream().write("SSH-2.0-OpenSSH_9.6\r\n\u0000\u0001\u00ff\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        socket.getInputStream().read();
    };

    static final TestServer.Behaviour RESET = (socket, server) -> {
        server.readRequest(socket.getInputStream());
        socket.setSoLinger(true, 0);
        socket.close();
    };

    static final TestServer.Behaviour CLOSE_AFTER_REQUEST = (socket, server) -> server.readRequest(socket.getInputStream());

    /** First request fails with 500, every later one passes. */
    static final TestServer.Behaviour FLAKY = (socket, server) -> {
        InputStream in = socket.getInputStream();
        while (server.readRequest(in) != null) {
            TestServer.writeResponse(socket.getOutputStream(), server.requests.get() == 1 ? 500 : 200, "", "ok");
        }
    };

    static final TestServer.Behaviour REDIRECTS = serve(request -> {
        if (request.startsWith("GET /old ")) return response(302, "Location: /new\r\n", "moved");
        if (request.startsWith("GET /loop ")) return response(302, "Location: /loop\r\n", "again");
        if (request.startsWith("GET /new ")) return response(200, "", "new place");
        return response(404, "", "no");
    });

    static final TestServer.Behaviour HUGE_HEADER = serve(request ->
            "HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(20_000) + "\r\nContent-Length: 0\r\n\r\n");

    /** The needle arrives split over two chunks, in two writes. */
    static final TestServer.Behaviour CHUNKED_SPLIT = (socket, server) -> {
        server.readRequest(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n{\"stat\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        Thread.sleep(20);
        out.write("9\r\nus\":\"UP\"}\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        socket.getInputStream().read();
    };

    static final TestServer.Behaviour TRUNCATED = (socket, server) -> {
        server.readRequest(socket.getInputStream());
        socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten..".getBytes(StandardCharsets.ISO_8859_1));
    };

    record Case(String name, TestServer.Behaviour server, String path, UnaryOperator<Checks.Http> spec,
                int status, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        UnaryOperator<Checks.Http> plain = s -> s;
        return Stream.of(
                new Case("healthy 200", TestServer.respond(200, "ok"), "/", plain, 200, null),
                new Case("503 fails by default", TestServer.respond(503, "down"), "/", plain, 503, "status 503 not 2xx"),
                new Case("503 passes when expected", TestServer.respond(503, "down"), "/", s -> s.expect(503), 503, null),
                new Case("503 against [200]", TestServer.respond(503, "down"), "/", s -> s.expect(200), 503,
                        "status 503 not in [200]"),
                new Case("204 expected", TestServer.respond(204, ""), "/", s -> s.expect(204), 204, null),
                new Case("200 when 204 expected", TestServer.respond(200, "ok"), "/", s -> s.expect(204), 200,
                        "status 200 not in [204]"),
                new Case("body contains", TestServer.respond(200, "{\"status\":\"UP\"}"), "/",
                        s -> s.body("\"status\":\"UP\""), 200, null),
                new Case("body misses", TestServer.respond(200, "{\"status\":\"DOWN\"}"), "/",
                        s -> s.body("\"status\":\"UP\""), 200, "body does not contain \"\"status\":\"UP\"\""),
                new Case("huge body, match at start", HUGE_BODY, "/", s -> s.body("MAGIC"), 200, null),
                new Case("huge body, no match in bounded read", HUGE_BODY, "/", s -> s.body("NOWHERE"), 200,
                        "body does not contain \"NOWHERE\" in its first 64 KiB"),
                new Case("slow drip", SLOW_DRIP, "/", s -> s.timeout(300), 0, "timeout after 300ms (response)"),
                new Case("silent after accept", SILENT, "/", s -> s.timeout(300), 0, "timeout after 300ms (response)"),
                new Case("garbage", GARBAGE, "/", plain, 0, "malformed response: "),
                new Case("oversized header", HUGE_HEADER, "/", plain, 0, "malformed response: HTTP header is larger than"),
                new Case("chunked, match split over chunks", CHUNKED_SPLIT, "/", s -> s.body("\"status\":\"UP\""), 200, null),
                new Case("body cut short", TRUNCATED, "/", plain, 200, "connection closed during response"),
                new Case("reset", RESET, "/", plain, 0, "connection reset"),
                new Case("closed after request", CLOSE_AFTER_REQUEST, "/", plain, 0, "connection closed before response"),
                new Case("retry after a failure", FLAKY, "/", s -> s.retries(1), 200, null),
                new Case("no retry", FLAKY, "/", plain, 500, "status 500 not 2xx"),
                new Case("redirect not followed", REDIRECTS, "/old", plain, 302, "status 302 not 2xx"),
                new Case("redirect expected", REDIRECTS, "/old", s -> s.expect(302), 302, null),
                new Case("redirect followed", REDIRECTS, "/old", s -> s.follow().body("new place"), 200, null),
                new Case("redirect loop", REDIRECTS, "/loop", Checks.Http::follow, 302,
                        "too many redirects (more than 5)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void judgesTheResponse(Case c) throws Exception {
        try (TestServer server = TestServer.start(c.server())) {
            CheckJob job = run(factory.prepare(c.spec().apply(http(server.url(c.path()))).spec()));

            assertThat(job.status).as("status").isEqualTo(c.status());
            if (c.reason() == null) {
                assertThat(job.error).isNull();
                assertThat(job.success).isTrue();
            } else {
                assertThat(job.success).isFalse();
                assertThat(job.error).startsWith(c.reason());
            }
            assertThat(job.latencyNanos).isPositive();
            if (c.reason() == null) {
                assertThat(server.open.get()).as("kept for reuse").isLessThanOrEqualTo(1);
            } else {
                await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                        assertThat(server.open.get()).as("connections left open after a failure").isZero());
            }
        }
    }

    @Test
    void redirectToAnotherHostDropsSecrets() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (TestServer target = TestServer.start(recording(seen, "arrived"));
             TestServer origin = TestServer.start(serve(request ->
                     response(307, "Location: http://localhost:" + target.port() + "/there\r\n", "")))) {
            CheckJob job = run(factory.prepare(http(origin.url("/here")).follow()
                    .header("Authorization", "Bearer secret").header("X-Trace", "1").body("arrived").spec()));

            assertThat(job.error).isNull();
            assertThat(seen).singleElement().satisfies(request -> assertThat(request)
                    .startsWith("GET /there HTTP/1.1\r\n")
                    .contains("Host: localhost:" + target.port(), "X-Trace: 1")
                    .doesNotContain("Authorization"));
        }
    }

    @Test
    void retriesCountAsAttemptsOnTheServer() throws Exception {
        try (TestServer server = TestServer.start(FLAKY)) {
            CheckJob job = run(factory.prepare(http(server.url("/")).retries(2).spec()));

            assertThat(job.success).isTrue();
            assertThat(server.requests.get()).isEqualTo(2);
        }
    }

    @Test
    void retriesStayWithinTheBudget() throws Exception {
        try (TestServer server = TestServer.start(SILENT)) {
            Probe probe = factory.prepare(http(server.url("/")).timeout(150).retries(2).spec());
            long start = System.nanoTime();
            CheckJob job = run(probe);
            long took = System.nanoTime() - start;

            assertThat(job.error).isEqualTo("timeout after 150ms (response)");
            assertThat(server.connections.get()).isEqualTo(3);
            assertThat(took).isGreaterThanOrEqualTo(probe.budgetNanos()).isLessThan(probe.budgetNanos() + 1000 * Checks.MS);
        }
    }

    @Test
    void sequentialChecksReuseOneConnection() throws Exception {
        try (TestServer server = TestServer.start(TestServer.respond(200, "ok"))) {
            Probe probe = factory.prepare(http(server.url("/health")).spec());
            for (int i = 0; i < 20; i++) assertThat(run(probe).success).isTrue();

            assertThat(server.requests.get()).isEqualTo(20);
            assertThat(server.connections.get()).isEqualTo(1);
        }
    }

    @Test
    void headResponsesHaveNoBodyAndKeepTheConnection() throws Exception {
        TestServer.Behaviour headOnly = serve(request -> "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n");
        try (TestServer server = TestServer.start(headOnly)) {
            Probe probe = factory.prepare(http(server.url("/")).method("HEAD").spec());
            for (int i = 0; i < 3; i++) assertThat(run(probe).error).isNull();

            assertThat(server.connections.get()).isEqualTo(1);
        }
    }

    @Test
    void failedExchangesCloseTheirConnection() throws Exception {
        try (TestServer server = TestServer.start(TestServer.respond(503, "down"))) {
            Probe probe = factory.prepare(http(server.url("/")).spec());
            for (int i = 0; i < 3; i++) assertThat(run(probe).error).isEqualTo("status 503 not 2xx");

            assertThat(server.connections.get()).isEqualTo(3);
        }
    }

    @Test
    void idleConnectionsTheServerClosedAreNotUsed() throws Exception {
        TestServer.Behaviour answerOnceThenHangUp = (socket, server) -> {
            server.readRequest(socket.getInputStream());
            TestServer.writeResponse(socket.getOutputStream(), 200, "", "ok");
            Thread.sleep(30);
        };
        try (TestServer server = TestServer.start(answerOnceThenHangUp)) {
            Probe probe = factory.prepare(http(server.url("/")).spec());
            for (int i = 0; i < 5; i++) {
                assertThat(run(probe).error).isNull();
                Thread.sleep(i % 2 == 0 ? 80 : 0); // odd rounds race the hang-up: a stale connection is replaced
            }
            assertThat(server.connections.get()).isEqualTo(5);
        }
    }

    @Test
    void sendsTheConfiguredRequest() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (TestServer server = TestServer.start(recording(seen, "ok"))) {
            run(factory.prepare(http(server.url("/p?q=1")).method("POST").header("X-Token", "abc").spec()));

            assertThat(seen).singleElement().satisfies(request -> assertThat(request)
                    .startsWith("POST /p?q=1 HTTP/1.1\r\n")
                    .contains("Host: 127.0.0.1:" + server.port() + "\r\n", "User-Agent: cpra/",
                            "Connection: keep-alive\r\n", "Content-Length: 0\r\n", "X-Token: abc\r\n"));
        }
    }

    @Test
    void closedPortIsRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CheckJob job = run(factory.prepare(http("http://127.0.0.1:" + port + "/").spec()));

        assertThat(job.success).isFalse();
        assertThat(job.error).isEqualTo("connection refused");
    }

    @Test
    void aLateResponseDoesNotCompleteTheCheckTwice() throws Exception {
        try (TestServer server = TestServer.start(TestServer.respondAfter(100, 200, "ok"))) {
            Probe probe = factory.prepare(http(server.url("/")).timeout(100).spec());
            for (int i = 0; i < 10; i++) run(probe);
            Thread.sleep(200); // let any late response arrive

            assertThat(Checks.duplicates).isEmpty();
        }
    }

    @Test
    void unsupportedTypesAreRejectedClearly() {
        PulseSpec icmp = new PulseSpec(PulseType.ICMP, 1_000_000_000L, 100_000_000L, 1, 0, 0, List.of(), List.of(),
                new PulseTarget.Icmp("127.0.0.1", 1, false));

        assertThatThrownBy(() -> factory.prepare(icmp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pulse type 'icmp' is not supported yet (supported: http, tcp, dns, tls)");
        assertThatThrownBy(() -> factory.prepare(http("ftp://127.0.0.1/").spec()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("url must be http or https");
    }
}
