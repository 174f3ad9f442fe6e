package io.cpra.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A minimal Docker Engine API client: one HTTP/1.1 request per connection ({@code Connection: close}) over
 * a unix socket or TCP, blocking on the caller's virtual thread. Each exchange has a deadline after which
 * the channel is closed, which ends any blocked read or write. The API version is negotiated once through
 * {@code GET /_ping} (header {@code Api-Version}); without it requests go unversioned (the engine's latest).
 */
final class DockerEngine {

    static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
    private static final int HEAD_LIMIT = 16 * 1024;
    private static final int BODY_LIMIT = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SocketAddress address;
    private final String host;
    private final ScheduledExecutorService timer;
    private volatile String versionPrefix;

    record Response(int status, Map<String, String> headers, String body) {}

    /** @throws IllegalArgumentException for a DOCKER_HOST that is neither unix:// nor tcp:// */
    DockerEngine(String dockerHost, ScheduledExecutorService timer) {
        this.host = dockerHost == null || dockerHost.isBlank() ? DEFAULT_HOST : dockerHost;
        this.address = parse(host);
        this.timer = timer;
    }

    private static SocketAddress parse(String host) {
        URI uri;
        try {
            uri = URI.create(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DOCKER_HOST " + host + " is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "unix" -> UnixDomainSocketAddress.of(Path.of(uri.getPath()));
            case "tcp" -> {
                if (uri.getHost() == null || uri.getPort() < 0)
                    throw new IllegalArgumentException("DOCKER_HOST " + host + " needs a host and a port");
                yield InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort());
            }
            default -> throw new IllegalArgumentException(
                    "DOCKER_HOST " + host + " is not supported: use unix:///path or tcp://host:port");
        };
    }

    String host() { return host; }

    /** Restarts a container, giving it {@code stopSeconds} to stop; the whole call ends by the deadline. */
    Response restart(String container, long stopSeconds, long deadlineNanos) throws IOException {
        String path = "/containers/" + encode(container) + "/restart?t=" + stopSeconds;
        return exchange("POST", versionPrefix(deadlineNanos) + path, deadlineNanos);
    }

    private String versionPrefix(long deadlineNanos) throws IOException {
        String prefix = versionPrefix;
        if (prefix == null) {
            Response ping = exchange("GET", "/_ping", deadlineNanos);
            String version = ping.headers().get("api-version");
            prefix = version != null && version.matches("\\d+\\.\\d+") ? "/v" + version : "";
            versionPrefix = prefix;
        }
        return prefix;
    }

    /** Docker names and ids are [a-zA-Z0-9_.-]; anything else is escaped rather than trusted. */
    private static String encode(String container) {
        StringBuilder out = new StringBuilder();
        for (byte b : container.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-')
                out.append(c);
            else
                out.append('%').append(String.format("%02X", b & 0xff));
        }
        return out.toString();
    }

    Response exchange(String method, String target, long deadlineNanos) throws IOException {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) throw new IOException("no time left");
        SocketChannel channel = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        ScheduledFuture<?> expiry = timer.schedule(() -> closeQuietly(channel), remaining, TimeUnit.NANOSECONDS);
        try (channel) {
            SocketAddress resolved = address instanceof InetSocketAddress inet
                    ? new InetSocketAddress(inet.getHostString(), inet.getPort()) : address;
            if (resolved instanceof InetSocketAddress inet && inet.isUnresolved())
                throw new IOException("cannot resolve " + inet.getHostString());
            channel.connect(resolved);
            String request = method + " " + target + " HTTP/1.1\r\nHost: docker\r\nUser-Agent: cpra\r\n"
                    + "Content-Length: 0\r\nConnection: close\r\n\r\n";
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) channel.write(out);
            return read(Channels.newInputStream(channel));
        } catch (AsynchronousCloseException e) {
            throw new IOException("no answer within the deadline");
        } finally {
            expiry.cancel(false);
        }
    }

    private static Response read(InputStream in) throws IOException {
        String head = readHead(in);
        String[] lines = head.split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1."))
            throw new IOException("not an HTTP answer: " + truncate(lines[0]));
        int status;
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: " + truncate(lines[0]));
        }
        Map<String, String> headers = new java.util.HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        String body;
        if (status == 204 || status == 304 || status / 100 == 1) body = "";
        else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) body = readChunked(in);
        else if (headers.containsKey("content-length")) body = readUpTo(in, parseLength(headers.get("content-length")));
        else body = readUpTo(in, BODY_LIMIT);
        return new Response(status, headers, body);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) throw new EOFException(head.size() == 0 ? "connection closed without an answer" : "truncated answer");
            if (head.size() >= HEAD_LIMIT) throw new IOException("answer header too large");
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static long parseLength(String value) throws IOException {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IOException("bad Content-Length: " + truncate(value));
        }
    }

    /** Reads {@code length} bytes (or to the end) and keeps at most {@link #BODY_LIMIT}. */
    private static String readUpTo(InputStream in, long length) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        long left = length;
        while (left > 0) {
            int n = in.read(chunk, 0, (int) Math.min(chunk.length, left));
            if (n < 0) break;
            if (body.size() < BODY_LIMIT) body.write(chunk, 0, Math.min(n, BODY_LIMIT - body.size()));
            left -= n;
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private static String readChunked(InputStream in) throws IOException {
        StringBuilder body = new StringBuilder();
        while (true) {
            String sizeLine = readLine(in);
            int semicolon = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + truncate(sizeLine));
            }
            if (size == 0) return body.toString();
            if (body.length() < BODY_LIMIT) body.append(readUpTo(in, size));
            else readUpTo(in, size);
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) throw new EOFException("truncated answer");
            if (line.length() > 1024) throw new IOException("line too long");
            if (b != '\r') line.append((char) b);
        }
        return line.toString();
    }

    /** The {@code message} of a Docker error body, or the body itself, shortened. */
    static String message(Response response) {
        try {
            JsonNode message = JSON.readTree(response.body()).get("message");
            if (message != null && message.isTextual()) return truncate(message.asText());
        } catch (IOException | RuntimeException ignored) {
            // not JSON: show the text
        }
        return truncate(response.body().strip());
    }

    private static String truncate(String text) { return text.length() > 300 ? text.substring(0, 300) + "..." : text; }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing to end a blocked exchange
        }
    }
}
