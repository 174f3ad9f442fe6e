package io.cpra.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A Docker Engine stand-in on a real unix socket (or TCP port): answers {@code /_ping} with an
 * {@code Api-Version} header and every other request with {@link #answer} (null: never answer), and
 * records the request lines it got.
 */
public final class FakeDockerEngine implements AutoCloseable {

    public static final String NO_CONTENT = "HTTP/1.1 204 No Content\r\nServer: fake\r\n\r\n";

    public static String json(int status, String reason, String json) {
        return "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: "
                + json.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + json;
    }

    public static String chunked(int status, String reason, String json) {
        String half = json.substring(0, json.length() / 2);
        String rest = json.substring(json.length() / 2);
        return "HTTP/1.1 " + status + " " + reason + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(half.length()) + "\r\n" + half + "\r\n"
                + Integer.toHexString(rest.length()) + ";ext=1\r\n" + rest + "\r\n0\r\n\r\n";
    }

    public final List<String> calls = new CopyOnWriteArrayList<>();
    public volatile String answer = NO_CONTENT;
    /** When set, the answer to each request target such as {@code POST /v1.47/containers/x/restart?t=30}. */
    public volatile Function<String, String> answerFor;
    public volatile String apiVersion = "1.47";
    private final ServerSocketChannel server;
    private final Path socket;
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();

    /** @param socket a unix socket path, or null for TCP on 127.0.0.1 */
    public FakeDockerEngine(Path socket) throws IOException {
        this.socket = socket;
        if (socket != null) {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
        } else {
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress("127.0.0.1", 0));
        }
        Thread.ofVirtual().start(this::accept);
    }

    public String dockerHost() throws IOException {
        return socket != null ? "unix://" + socket
                : "tcp://127.0.0.1:" + ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    private void accept() {
        try {
            while (true) {
                SocketChannel client = server.accept();
                open.add(client);
                Thread.ofVirtual().start(() -> serve(client));
            }
        } catch (IOException closed) {
            // server closed
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            String head = readHead(client);
            String requestLine = head.substring(0, head.indexOf("\r\n"));
            String target = requestLine.substring(0, requestLine.lastIndexOf(' '));
            calls.add(target);
            String response;
            if (target.equals("GET /_ping")) {
                response = "HTTP/1.1 200 OK\r\n" + (apiVersion == null ? "" : "Api-Version: " + apiVersion + "\r\n")
                        + "Content-Length: 2\r\n\r\nOK";
            } else {
                Function<String, String> scripted = answerFor;
                response = scripted != null ? scripted.apply(target) : answer;
            }
            if (response == null) {
                Thread.sleep(60_000);
                return;
            }
            client.write(ByteBuffer.wrap(response.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | InterruptedException ignored) {
            // client went away
        }
    }

    private static String readHead(SocketChannel client) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            one.clear();
            if (client.read(one) < 0) throw new IOException("closed");
            head.write(one.array()[0]);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel client : open) client.close();
        if (socket != null) Files.deleteIfExists(socket);
    }
}
