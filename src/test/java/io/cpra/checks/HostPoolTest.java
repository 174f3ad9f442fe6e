package io.cpra.checks;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.cpra.checks.Checks.http;
import static org.assertj.core.api.Assertions.assertThat;

/** The per-host connection bound: checks beyond it wait for a free connection, within their deadline. */
class HostPoolTest {

    private static NettyProbeFactory factory;

    @BeforeAll
    static void start() {
        factory = new NettyProbeFactory(ProbeSettings.defaults().withIoThreads(1).withMaxConnectionsPerHost(2));
    }

    @AfterAll
    static void stop() {
        factory.close();
    }

    @Test
    void checksBeyondTheBoundShareTheConnections() throws Exception {
        try (TestServer server = TestServer.start(TestServer.respondAfter(30, 200, "ok"))) {
            List<CheckJob> jobs = Checks.runAll(factory.prepare(http(server.url("/")).timeout(2000).spec()), 6);

            assertThat(jobs).allSatisfy(job -> assertThat(job.error).isNull());
            assertThat(server.requests.get()).isEqualTo(6);
            assertThat(server.connections.get()).isEqualTo(2);
        }
    }

    @Test
    void waitingForAFreeConnectionTimesOutClearly() throws Exception {
        TestServer.Behaviour silent = (socket, server) -> {
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // reads the request, never answers
            }
        };
        try (TestServer server = TestServer.start(silent)) {
            Probe holders = factory.prepare(http(server.url("/")).timeout(500).spec());
            Probe waiter = factory.prepare(http(server.url("/other")).timeout(150).spec()); // same host, same pool
            List<CompletableFuture<CheckJob>> holding = List.of(Checks.start(holders), Checks.start(holders));

            assertThat(Checks.run(waiter).error).isEqualTo("timeout after 150ms (waiting for a free connection)");
            for (CompletableFuture<CheckJob> f : holding) {
                assertThat(f.get(5, TimeUnit.SECONDS).error).isEqualTo("timeout after 500ms (response)");
            }
            assertThat(server.connections.get()).isEqualTo(2);
        }
    }
}
