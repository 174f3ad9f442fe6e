package io.cpra.checks;

import io.cpra.config.PulseSpec;
import io.cpra.config.PulseTarget;
import io.cpra.config.PulseType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a few real HTTP and TCP checks against a throwaway loopback endpoint before the engine starts. A
 * fresh JVM loads and links Netty's pipeline classes on its first checks, which on a busy machine costs
 * hundreds of milliseconds: without this, the first real checks could time out and raise false alerts.
 */
final class WarmUp {

    private static final byte[] ANSWER = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);

    private WarmUp() {}

    /** @return true when every warm-up check finished within {@code limit} */
    static boolean run(ProbeFactory factory, int rounds, Duration limit) {
        try (ServerSocket server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().name("cpra-warmup").start(() -> serve(server));
            long timeout = limit.toNanos();
            String url = "http://127.0.0.1:" + server.getLocalPort() + "/";
            Probe http = factory.prepare(new PulseSpec(PulseType.HTTP, timeout, timeout, 1, 0, 0, List.of(), List.of(),
                    new PulseTarget.Http(URI.create(url), "GET", List.of(), List.of(), null, false)));
            Probe tcp = factory.prepare(new PulseSpec(PulseType.TCP, timeout, timeout, 1, 0, 0, List.of(), List.of(),
                    new PulseTarget.Tcp("127.0.0.1", server.getLocalPort())));
            CountDownLatch done = new CountDownLatch(2 * rounds);
            for (int i = 0; i < rounds; i++) {
                http.start(new CheckJob(), job -> done.countDown());
                tcp.start(new CheckJob(), job -> done.countDown());
            }
            return done.await(timeout, TimeUnit.NANOSECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void serve(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> answer(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Answers every request on a keep-alive connection; a TCP check just connects and leaves. */
    private static void answer(Socket client) {
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            int matched = 0;
            int b;
            while ((b = in.read()) >= 0) {
                matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
                if (matched == 4) {
                    out.write(ANSWER);
                    out.flush();
                    matched = 0;
                }
            }
        } catch (IOException gone) {
            // the check closed its connection
        }
    }
}
