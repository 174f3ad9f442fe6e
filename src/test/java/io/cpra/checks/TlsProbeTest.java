package io.cpra.checks;

import io.cpra.testing.TestTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.cpra.checks.Checks.http;
import static io.cpra.checks.Checks.run;
import static io.cpra.checks.Checks.tls;
import static io.cpra.checks.Checks.when;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS checks, and [CERTIFICATE_EXPIRATION] on HTTPS, against local servers whose certificates keytool makes
 * for this run: valid for 60 days, expiring in 2 days, expired 3 days ago.
 */
class TlsProbeTest {

    private static final String SAN = "SAN=ip:127.0.0.1,dns:localhost";

    @TempDir
    static Path dir;
    private static TestServer valid;
    private static TestServer expiringSoon;
    private static TestServer expired;
    private static NettyProbeFactory systemTrust;
    private static NettyProbeFactory testTrust;

    @BeforeAll
    static void start() throws Exception {
        Path validPem = dir.resolve("valid.pem");
        Path soonPem = dir.resolve("soon.pem");
        Path expiredPem = dir.resolve("expired.pem");
        valid = TestServer.start(TestTls.server(dir, "valid", SAN, validPem, "-validity", "60"), TestServer.respond(200, "ok"));
        expiringSoon = TestServer.start(TestTls.server(dir, "soon", SAN, soonPem, "-validity", "2"), TestServer.respond(200, "ok"));
        expired = TestServer.start(TestTls.server(dir, "expired", SAN, expiredPem, "-startdate", "-10d", "-validity", "7"),
                TestServer.respond(200, "ok"));
        Path trusted = TestTls.bundle(dir.resolve("trusted.pem"), validPem, soonPem, expiredPem);
        systemTrust = new NettyProbeFactory(ProbeSettings.defaults().withIoThreads(1));
        testTrust = new NettyProbeFactory(ProbeSettings.defaults().withIoThreads(1).withTrustedCertificates(trusted));
    }

    @AfterAll
    static void stop() throws Exception {
        systemTrust.close();
        testTrust.close();
        valid.close();
        expiringSoon.close();
        expired.close();
    }

    @Test
    void validCertificatePassesAndItsExpiryMeetsTheCondition() {
        CheckJob job = run(testTrust.prepare(when(tls("127.0.0.1", valid.port(), null),
                "[CERTIFICATE_EXPIRATION] > 720h", "[CONNECTED] == true")));

        assertThat(job.error).isNull();
        assertThat(job.success).isTrue();
    }

    @Test
    void certificateExpiringSoonFailsTheCondition() {
        CheckJob plain = run(testTrust.prepare(tls("127.0.0.1", expiringSoon.port(), null)));
        CheckJob job = run(testTrust.prepare(when(tls("127.0.0.1", expiringSoon.port(), null), "[CERTIFICATE_EXPIRATION] > 720h")));

        assertThat(plain.error).isNull();
        assertThat(job.success).isFalse();
        assertThat(job.error).matches("condition \\[CERTIFICATE_EXPIRATION] > 720h failed: certificate expires in 1d 23h");
    }

    @Test
    void expiredCertificateFailsTheHandshakeClearly() {
        CheckJob job = run(testTrust.prepare(tls("127.0.0.1", expired.port(), null)));

        assertThat(job.success).isFalse();
        assertThat(job.error).isEqualTo("TLS handshake failed: certificate expired 3 days ago");
    }

    @Test
    void untrustedCertificateFails() {
        CheckJob job = run(systemTrust.prepare(tls("127.0.0.1", valid.port(), null)));

        assertThat(job.success).isFalse();
        assertThat(job.error).startsWith("TLS handshake failed: ");
    }

    @Test
    void serverNameIsWhatTheCertificateMustMatch() {
        CheckJob byName = run(testTrust.prepare(tls("127.0.0.1", valid.port(), "localhost")));
        CheckJob otherName = run(testTrust.prepare(tls("127.0.0.1", valid.port(), "other.example")));

        assertThat(byName.error).isNull();
        assertThat(otherName.success).isFalse();
        assertThat(otherName.error).startsWith("TLS handshake failed: ").contains("other.example");
    }

    @Test
    void plainTcpServerIsNotTls() throws Exception {
        try (TestServer server = TestServer.start(TestServer.greet("SSH-2.0-OpenSSH_9.6\r\n"))) {
            CheckJob job = run(testTrust.prepare(tls("127.0.0.1", server.port(), null)));

            assertThat(job.error).isEqualTo("TLS handshake failed: not a TLS server");
        }
    }

    @Test
    void httpsChecksSeeTheCertificateExpiryToo() throws Exception {
        CheckJob ok = run(testTrust.prepare(when(http("https://127.0.0.1:" + valid.port() + "/").timeout(2000).spec(),
                "[CERTIFICATE_EXPIRATION] > 720h")));
        CheckJob soon = run(testTrust.prepare(when(http("https://127.0.0.1:" + expiringSoon.port() + "/").timeout(2000).spec(),
                "[STATUS] == 200", "[CERTIFICATE_EXPIRATION] > 720h")));
        CheckJob again = run(testTrust.prepare(when(http("https://127.0.0.1:" + expiringSoon.port() + "/").timeout(2000).spec(),
                "[CERTIFICATE_EXPIRATION] > 24h")));
        CheckJob plainHttp;
        try (TestServer plain = TestServer.start(TestServer.respond(200, "ok"))) {
            plainHttp = run(testTrust.prepare(when(http(plain.url("/")).spec(), "[CERTIFICATE_EXPIRATION] > 24h")));
        }

        assertThat(ok.error).isNull();
        assertThat(soon.error).isEqualTo("condition [CERTIFICATE_EXPIRATION] > 720h failed: certificate expires in 1d 23h");
        assertThat(soon.status).isEqualTo(200);
        assertThat(again.error).as("a pooled connection keeps its certificate's expiry").isNull();
        assertThat(plainHttp.error).isEqualTo("condition [CERTIFICATE_EXPIRATION] > 24h failed: no certificate");
    }

    @Test
    void httpsToAnExpiredCertificateNamesTheExpiry() {
        CheckJob job = run(testTrust.prepare(http("https://127.0.0.1:" + expired.port() + "/").timeout(2000).spec()));

        assertThat(job.error).isEqualTo("TLS handshake failed: certificate expired 3 days ago");
    }
}
