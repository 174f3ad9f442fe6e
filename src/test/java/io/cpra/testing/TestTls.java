package io.cpra.testing;

import javax.net.ServerSocketFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Self-signed certificates made by keytool for one test run, and TLS contexts that present or trust them. */
public final class TestTls {

    private static final char[] PASSWORD = "changeit".toCharArray();

    private TestTls() {}

    /**
     * A key store holding a fresh self-signed EC certificate and its key under {@code alias}.
     *
     * @param san      keytool's subject alternative names, such as {@code SAN=ip:127.0.0.1,dns:localhost}
     * @param validity keytool options such as {@code -validity 2} or {@code -startdate -10d -validity 7}
     */
    public static KeyStore keyStore(Path dir, String alias, String san, String... validity) throws Exception {
        Path keyStore = dir.resolve(alias + ".p12");
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
                "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                "-dname", "CN=" + alias, "-ext", san));
        args.addAll(validity.length == 0 ? List.of("-validity", "2") : List.of(validity));
        keytool(args);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    /**
     * A server socket factory with a fresh self-signed certificate ({@link #keyStore}); its PEM goes to {@code pem}.
     */
    public static ServerSocketFactory server(Path dir, String alias, String san, Path pem, String... validity) throws Exception {
        KeyStore ks = keyStore(dir, alias, san, validity);
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(ks.getCertificate(alias).getEncoded());
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n");
        return serverContext(ks).getServerSocketFactory();
    }

    /** TLS for a server that presents the key store's certificate. */
    public static SSLContext serverContext(KeyStore keyStore) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        return tls;
    }

    /** TLS for a client that trusts {@code certificate} and nothing else. */
    public static SSLContext trusting(Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("trusted", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls;
    }

    /** One PEM file holding all of {@code pems}. */
    public static Path bundle(Path target, Path... pems) throws Exception {
        List<String> all = new ArrayList<>();
        for (Path p : pems) all.add(Files.readString(p));
        Files.write(target, all);
        return target;
    }

    private static void keytool(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.add("-J-XX:TieredStopAtLevel=1");
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
    }
}
