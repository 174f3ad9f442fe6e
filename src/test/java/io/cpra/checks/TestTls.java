package io.cpra.checks;

import javax.net.ServerSocketFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Self-signed certificates made by keytool for one test run, and TLS server sockets that present them. */
final class TestTls {

    private static final char[] PASSWORD = "changeit".toCharArray();

    private TestTls() {}

    /**
     * A server socket factory with a fresh self-signed EC certificate; its PEM goes to {@code pem}.
     *
     * @param validity keytool options such as {@code -validity 2} or {@code -startdate -10d -validity 7}
     */
    static ServerSocketFactory server(Path dir, String alias, String san, Path pem, String... validity) throws Exception {
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
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(ks.getCertificate(alias).getEncoded());
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        return tls.getServerSocketFactory();
    }

    /** One PEM file holding all of {@code pems}. */
    static Path bundle(Path target, Path... pems) throws Exception {
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
