package io.cpra.checks;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

import static io.cpra.checks.Checks.http;
import static io.cpra.checks.Checks.run;
import static io.cpra.checks.Checks.tcp;
import static org.assertj.core.api.Assertions.assertThat;

/** TCP connect checks, and name resolution against a local DNS server that knows no names. */
class TcpAndDnsTest {

    private static DatagramSocket dns;
    private static NettyProbeFactory factory;

    @BeforeAll
    static void start() throws Exception {
        dns = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("test-dns").start(TcpAndDnsTest::answerNxDomain);
        factory = new NettyProbeFactory(ProbeSettings.defaults().withIoThreads(1)
                .withNameServers(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), dns.getLocalPort()))));
    }

    @AfterAll
    static void stop() {
        factory.close();
        dns.close();
    }

    /** Echoes each query back as a response with RCODE 3 (NXDOMAIN). */
    private static void answerNxDomain() {
        byte[] buf = new byte[1500];
        while (!dns.isClosed()) {
            try {
                DatagramPacket query = new DatagramPacket(buf, buf.length);
                dns.receive(query);
                buf[2] = (byte) (buf[2] | 0x80); // QR: response
                buf[3] = (byte) 0x83;            // RA, RCODE = NXDOMAIN
                dns.send(new DatagramPacket(buf, query.getLength(), query.getSocketAddress()));
            } catch (Exception closed) {
                return;
            }
        }
    }

    @Test
    void openPortPasses() throws Exception {
        try (TestServer server = TestServer.start((socket, s) -> socket.getInputStream().read())) {
            CheckJob job = run(factory.prepare(tcp("127.0.0.1", server.port(), 1000)));

            assertThat(job.success).isTrue();
            assertThat(job.error).isNull();
            assertThat(job.latencyNanos).isPositive();
        }
    }

    @Test
    void closedPortIsRefused() throws Exception {
        CheckJob job = run(factory.prepare(tcp("127.0.0.1", freePort(), 1000)));

        assertThat(job.success).isFalse();
        assertThat(job.error).isEqualTo("connection refused");
    }

    @Test
    void localhostResolvesWithoutDns() throws Exception {
        try (TestServer server = TestServer.start(TestServer.respond(200, "ok"))) {
            assertThat(run(factory.prepare(tcp("localhost", server.port(), 1000))).error).isNull();
            assertThat(run(factory.prepare(http("http://localhost:" + server.port() + "/").spec())).error).isNull();
        }
    }

    @Test
    void unknownHostIsNamed() {
        CheckJob tcpJob = run(factory.prepare(tcp("nosuch.example", 80, 1000)));
        CheckJob httpJob = run(factory.prepare(http("http://nosuch.example/").timeout(1000).spec()));

        assertThat(tcpJob.error).isEqualTo("unknown host nosuch.example");
        assertThat(httpJob.error).isEqualTo("unknown host nosuch.example");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
