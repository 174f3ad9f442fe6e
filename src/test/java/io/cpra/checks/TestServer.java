package io.cpra.checks;

import javax.net.ServerSocketFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A blocking test server on 127.0.0.1, one virtual thread per connection, running a scripted behaviour.
 * Counts connections and requests so tests can see retries and keep-alive reuse.
 */
final class TestServer implements AutoCloseable {

    /** What the server does with one accepted connection. */
    @FunctionalInterface
    interface Behaviour {
        void serve(Socket socket, TestServer server) throws Exception;
    }

    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    /** Connections whose behaviour still runs: for most scripts, until the client closes. */
    final AtomicInteger open = new AtomicInteger();
    private final ServerSocket listener;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    private TestServer(ServerSocketFactory factory, Behaviour behaviour) throws IOException {
        listener = factory.createServerSocket(0, 512, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("test-server-accept").start(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    s.setTcpNoDelay(true);
                    connections.incrementAndGet();
                    accepted.add(s);
                    open.incrementAndGet();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            behaviour.serve(s, this);
                        } catch (Exception ignored) {
                            // peers hang up mid-script all the time here; that is the point
                        } finally {
                            open.decrementAndGet();
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    static TestServer start(Behaviour behaviour) throws IOException {
        return new TestServer(ServerSocketFactory.getDefault(), behaviour);
    }

    static TestServer start(ServerSocketFactory factory, Behaviour behaviour) throws IOException {
        return new TestServer(factory, behaviour);
    }

    int port() {
        return listener.getLocalPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** Reads one request head; null when the client closed the connection. Counts it. */
    String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) return null;
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        requests.incrementAndGet();
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Serves every request on the connection with the same keep-alive response. */
    static Behaviour respond(int status, String body) {
        return respondAfter(0, status, body);
    }

    /** Like {@link #respond}, each response {@code delayMillis} after its request. */
    static Behaviour respondAfter(long delayMillis, int status, String body) {
        return (socket, server) -> {
            InputStream in = socket.getInputStream();
            while (server.readRequest(in) != null) {
                if (delayMillis > 0) Thread.sleep(delayMillis);
                writeResponse(socket.getOutputStream(), status, "", body);
            }
        };
    }

    /** Sends {@code greeting} on connecting, as a server of another protocol would, then waits for the client. */
    static Behaviour greet(String greeting) {
        return (socket, server) -> {
            socket.getOutputStream().write(greeting.getBytes(StandardCharsets.ISO_8859_1));
            socket.getInputStream().read();
        };
    }

    static void writeResponse(OutputStream out, int status, String extraHeaders, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " X\r\nContent-Length: " + bytes.length + "\r\n" + extraHeaders + "\r\n";
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        whole.write(head.getBytes(StandardCharsets.ISO_8859_1));
        whole.write(bytes);
        out.write(whole.toByteArray()); // one write: Nagle would hold a second small one
        out.flush();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : accepted) s.close();
    }
}
