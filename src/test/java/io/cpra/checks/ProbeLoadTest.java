package io.cpra.checks;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static io.cpra.checks.Checks.http;
import static org.assertj.core.api.Assertions.assertThat;

/** Many checks in flight cost connections, not threads. */
class ProbeLoadTest {

    private static final int CHECKS = 200;

    @Test
    void concurrentChecksAgainstASlowServerDoNotGrowThreads() throws Exception {
        try (TestServer server = TestServer.start(TestServer.respondAfter(100, 200, "slow ok"));
             NettyProbeFactory factory = new NettyProbeFactory(
                     ProbeSettings.defaults().withIoThreads(2).withMaxConnectionsPerHost(CHECKS))) {
            Probe probe = factory.prepare(http(server.url("/")).timeout(3000).spec());

            assertThat(runAll(probe)).isEqualTo(CHECKS); // warm up: loops, carriers, pools exist now
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            assertThat(runAll(probe)).isEqualTo(CHECKS);
            int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();

            assertThat(threadsAfter).isLessThanOrEqualTo(threadsBefore + 2);
            assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("cpra-check-")))
                    .hasSizeBetween(1, 2); // one host is served by one loop
            assertThat(server.connections.get()).isLessThanOrEqualTo(CHECKS);
        }
    }

    /** Starts all checks at once; returns how many succeeded. */
    private static int runAll(Probe probe) {
        int ok = 0;
        for (CheckJob job : Checks.runAll(probe, CHECKS)) if (job.success) ok++;
        return ok;
    }
}
