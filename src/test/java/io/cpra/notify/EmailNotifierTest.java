package io.cpra.notify;

import io.cpra.config.Colour;
import io.cpra.config.NotifierType;
import io.cpra.config.NotifyConfig;
import io.cpra.testing.TestTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.cpra.notify.Alerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class EmailNotifierTest {

    private static final String PASSWORD = "pa55-w0rd-s3cret";
    private static SSLContext serverTls;
    private static SSLContext clientTls;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private Notifiers notifiers;

    /** A self-signed certificate for 127.0.0.1, made with the JDK's keytool; the client trusts only it. */
    @BeforeAll
    static void certificate(@TempDir Path dir) throws Exception {
        KeyStore keys = TestTls.keyStore(dir, "smtp", "SAN=ip:127.0.0.1");
        serverTls = TestTls.serverContext(keys);
        clientTls = TestTls.trusting(keys.getCertificate("smtp"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (notifiers != null) notifiers.close();
        for (AutoCloseable c : closing) c.close();
    }

    private Notifier notifier(NotifyConfig.Email config) {
        if (notifiers == null) notifiers = new Notifiers(Duration.ofMillis(800), clientTls.getSocketFactory());
        return notifiers.get(config);
    }

    private SmtpServer server(SSLContext tls, String user, String mechanisms, boolean silent) throws IOException {
        SmtpServer server = new SmtpServer(tls, user, PASSWORD, mechanisms, silent);
        closing.add(server);
        return server;
    }

    private static NotifyConfig.Email email(SmtpServer server, String user, String password, boolean starttls) {
        return new NotifyConfig.Email(List.of("oncall@example.com", "team@example.com"), "cpra@example.com",
                "127.0.0.1", server.port(), user, password, starttls);
    }

    @Test
    void sendsAPlainTextMailWithTheAlertFields() throws Exception {
        SmtpServer server = server(null, null, null, false);
        NotifyConfig.Email config = email(server, null, null, false);
        notifier(config).send(alert("checkout-api", 2, Colour.RED, config, "inc-7", "status 503", "docker"));
        SmtpServer.Mail mail = server.received.getFirst();
        assertThat(mail.from()).isEqualTo("cpra@example.com");
        assertThat(mail.recipients()).containsExactly("oncall@example.com", "team@example.com");
        assertThat(mail.header("Subject")).isEqualTo("[CPRA] RED checkout-api FAILED");
        assertThat(mail.header("To")).isEqualTo("oncall@example.com, team@example.com");
        assertThat(mail.header("Content-Type")).startsWith("text/plain");
        assertThat(mail.bodyLines()).containsExactly(
                "timestamp: 2026-11-22T11:08:32.123Z",
                "monitor: checkout-api",
                "job_id: 42",
                "color: red",
                "status: FAILED",
                "severity: critical",
                "summary: checkout-api is FAILED",
                "action: docker",
                "next_steps: investigate: intervention exhausted",
                "message: checkout-api is down and intervention docker did not restore it: status 503",
                "incident_id: inc-7",
                "error: status 503");
        assertThat(mail.tls()).isFalse();
        assertThat(server.commands).last().isEqualTo("QUIT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PLAIN", "LOGIN"})
    void authenticatesWithTheOfferedMechanism(String mechanism) throws Exception {
        SmtpServer server = server(null, "alerts", mechanism, false);
        NotifyConfig.Email config = email(server, "alerts", PASSWORD, false);
        notifier(config).send(alert("checkout-api", 1, Colour.GREEN, config));
        assertThat(server.received).singleElement().extracting(SmtpServer.Mail::user).isEqualTo("alerts");
        assertThat(server.commands).contains("AUTH " + mechanism);
    }

    @Test
    void aWrongPasswordFailsWithoutShowingIt() throws Exception {
        SmtpServer server = server(null, "alerts", "PLAIN LOGIN", false);
        NotifyConfig.Email config = email(server, "alerts", "wr0ng-" + PASSWORD, false);
        assertThatThrownBy(() -> notifier(config).send(alert("m", 1, Colour.RED, config)))
                .isExactlyInstanceOf(IOException.class)
                .hasMessageStartingWith("email 127.0.0.1:" + server.port() + " failed: ")
                .hasMessageContaining("535 5.7.8 authentication failed for alerts with ****")
                .hasMessageNotContaining(PASSWORD).hasNoCause();
        assertThat(server.received).isEmpty();
    }

    @Test
    void starttlsUpgradesTheConnectionBeforeLoggingIn() throws Exception {
        SmtpServer server = server(serverTls, "alerts", "PLAIN", false);
        NotifyConfig.Email config = email(server, "alerts", PASSWORD, true);
        notifier(config).send(alert("checkout-api", 1, Colour.CYAN, config));
        assertThat(server.received).singleElement().satisfies(mail -> {
            assertThat(mail.tls()).isTrue();
            assertThat(mail.user()).isEqualTo("alerts");
            assertThat(mail.header("Subject")).isEqualTo("[CPRA] CYAN checkout-api RESTORED");
        });
        assertThat(server.commands).extracting(c -> c.split(" ")[0]).containsSubsequence("EHLO", "STARTTLS", "EHLO", "AUTH", "MAIL");
        assertThat(server.commands).contains("AUTH PLAIN");
    }

    @Test
    void starttlsRequiredButNotOfferedFailsBeforeSendingCredentials() throws Exception {
        SmtpServer server = server(null, "alerts", "PLAIN", false);
        NotifyConfig.Email config = email(server, "alerts", PASSWORD, true);
        assertThatThrownBy(() -> notifier(config).send(alert("m", 1, Colour.RED, config)))
                .isInstanceOf(IOException.class).hasMessageContaining("STARTTLS is required but host does not support STARTTLS");
        assertThat(server.commands).noneMatch(c -> c.startsWith("AUTH") || c.startsWith("MAIL"));
    }

    @Test
    void aRecipientRefusedForGoodRejectsTheAlertForNowFailsItAndABadAddressTheDestination() throws Exception {
        SmtpServer server = server(null, null, null, false);
        NotifyConfig.Email config = new NotifyConfig.Email(List.of("nobody@example.com"), "cpra@example.com",
                "127.0.0.1", server.port(), null, null, false);
        assertThatThrownBy(() -> notifier(config).send(alert("m", 1, Colour.RED, config)))
                .isInstanceOf(UndeliverableException.class).hasMessageContaining("550 5.1.1 no such mailbox");
        NotifyConfig.Email busy = new NotifyConfig.Email(List.of("later@example.com"), "cpra@example.com",
                "127.0.0.1", server.port(), null, null, false);
        assertThatThrownBy(() -> notifier(busy).send(alert("m", 1, Colour.RED, busy)))
                .isExactlyInstanceOf(IOException.class).hasMessageContaining("451 4.3.0 try again later");
        assertThat(server.received).isEmpty();

        NotifyConfig.Email bad = new NotifyConfig.Email(List.of("not an address"), "cpra@example.com",
                "127.0.0.1", server.port(), null, null, false);
        assertThatThrownBy(() -> notifier(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("email address not an address is not valid");
        AlertDispatcher dispatcher = new AlertDispatcher(notifiers::get, DeliveryPolicy.DEFAULT);
        closing.add(() -> dispatcher.close(Duration.ofSeconds(1)));
        dispatcher.submit(alert("m", 1, Colour.RED, bad));
        await().until(() -> dispatcher.counts(NotifierType.EMAIL).givenUp() == 1);
    }

    @Test
    void aSilentServerCostsOneBoundedFailure() throws Exception {
        SmtpServer server = server(null, null, null, true);
        NotifyConfig.Email config = email(server, null, null, false);
        long started = System.nanoTime();
        assertThatThrownBy(() -> notifier(config).send(alert("m", 1, Colour.RED, config)))
                .isInstanceOf(IOException.class).hasMessageStartingWith("email 127.0.0.1:" + server.port() + " failed: ");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aClosedPortFailsAndTheDispatcherRetriesUntilTheServerIsUp() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        NotifyConfig.Email config = new NotifyConfig.Email(List.of("oncall@example.com"), "cpra@example.com",
                "127.0.0.1", port, null, null, false);
        notifier(config);
        AlertDispatcher dispatcher = new AlertDispatcher(notifiers::get,
                new DeliveryPolicy(Duration.ofMillis(10), Duration.ofMillis(40), 10, 0.2, 4, 256));
        closing.add(() -> dispatcher.close(Duration.ofSeconds(1)));
        dispatcher.submit(alert("checkout-api", 1, Colour.RED, config));
        dispatcher.submit(alert("checkout-api", 2, Colour.GREEN, config));
        await().until(() -> dispatcher.counts(NotifierType.EMAIL).failed() >= 2);
        assertThat(dispatcher.counts(NotifierType.EMAIL).sent()).isZero();
        assertThatThrownBy(() -> notifiers.get(config).send(alert("m", 1, Colour.RED, config)))
                .isInstanceOf(IOException.class).hasMessageContaining("127.0.0.1");
        try (SmtpServer server = new SmtpServer(null, null, null, null, false, port)) {
            await().until(() -> dispatcher.counts(NotifierType.EMAIL).sent() == 2);
            assertThat(server.received).extracting(m -> m.header("Subject"))
                    .containsExactly("[CPRA] RED checkout-api FAILED", "[CPRA] GREEN checkout-api RECOVERED");
        }
        assertThat(dispatcher.counts(NotifierType.EMAIL).givenUp()).isZero();
    }
}
