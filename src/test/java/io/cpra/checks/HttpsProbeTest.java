package io.cpra.checks;

import io.cpra.testing.TestTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.cpra.checks.Checks.http;
import static io.cpra.checks.Checks.run;
import static org.assertj.core.api.Assertions.assertThat;

/** HTTPS against a local server whose self-signed certificate keytool makes for this run. */
class HttpsProbeTest {

    @TempDir
    static Path dir;
    private static Path certificatePem;
    private static TestServer server;
    private static TestServer otherName;
    private static NettyProbeFactory systemTrust;
    private static NettyProbeFactory testTrust;

    @BeforeAll
    static void start() throws Exception {
        certificatePem = dir.resolve("server.pem");
        server = TestServer.start(serverTls("server", "SAN=ip:127.0.0.1,dns:localhost", certificatePem),
                TestServer.respond(200, "secure ok"));
        Path otherPem = dir.resolve("other.pem");
        otherName = TestServer.start(serverTls("other", "SAN=dns:other.example", otherPem),
                TestServer.respond(200, "secure ok"));
        Path bothPem = TestTls.bundle(dir.resolve("both.pem"), certificatePem, otherPem);

        systemTrust = new NettyProbeFactory(ProbeSettings.defaults().withIoThreads(1));
        testTrust = new NettyProbeFactory(ProbeSettings.defaults().withIoThreads(1).withTrustedCertificates(bothPem));
    }

    private static javax.net.ServerSocketFactory serverTls(String alias, String san, Path pem) throws Exception {
        return TestTls.server(dir, alias, san, pem);
    }

    @AfterAll
    static void stop() throws Exception {
        systemTrust.close();
        testTrust.close();
        server.close();
        otherName.close();
    }

    private static String url() {
        return "https://127.0.0.1:" + server.port() + "/health";
    }

    @Test
    void untrustedCertificateFailsTheHandshake() {
        CheckJob job = run(systemTrust.prepare(http(url()).timeout(2000).spec()));

        assertThat(job.success).isFalse();
        assertThat(job.error).startsWith("TLS handshake failed: ");
    }

    @Test
    void trustedCertificatePassesAndTheConnectionIsReused() {
        int before = server.connections.get();
        for (int i = 0; i < 5; i++) {
            CheckJob job = run(testTrust.prepare(http(url()).timeout(2000).body("secure").spec()));
            assertThat(job.error).isNull();
            assertThat(job.status).isEqualTo(200);
        }
        assertThat(server.connections.get() - before).isEqualTo(1);
    }

    @Test
    void hostNamesResolveThroughTheHostsFile() {
        CheckJob job = run(testTrust.prepare(http("https://localhost:" + server.port() + "/").timeout(2000).spec()));

        assertThat(job.error).isNull();
    }

    @Test
    void hostNameIsVerified() {
        // trusted, but issued for other.example, not 127.0.0.1
        CheckJob job = run(testTrust.prepare(http("https://127.0.0.1:" + otherName.port() + "/").timeout(2000).spec()));

        assertThat(job.success).isFalse();
        assertThat(job.error).startsWith("TLS handshake failed: ").contains("127.0.0.1");
    }

    @Test
    void plainHttpServerIsNotTls() throws Exception {
        try (TestServer plain = TestServer.start(TestServer.greet("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"))) {
            CheckJob job = run(testTrust.prepare(http("https://127.0.0.1:" + plain.port() + "/").spec()));

            assertThat(job.error).isEqualTo("TLS handshake failed: not a TLS server");
        }
    }
}
