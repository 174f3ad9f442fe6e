package io.cpra.checks;

import io.cpra.config.Header;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Where one HTTP request goes and its bytes, encoded once: every check writes a duplicate of the same
 * read-only buffer.
 */
final class HttpTarget {

    record Key(String host, int port, boolean tls) {}

    static final String USER_AGENT = "cpra/" + version();

    final URI uri;
    final String method;
    final List<Header> headers;
    final Key key;
    /** Resolved already for IP literals, so they never touch DNS. */
    final InetSocketAddress address;
    final String unknownHost;
    final boolean head;
    private final ByteBuf request;

    HttpTarget(URI uri, String method, List<Header> headers) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("url must be http or https: " + uri);
        }
        String hostHeader = uri.getHost();
        if (hostHeader == null || hostHeader.isEmpty()) throw new IllegalArgumentException("url has no host: " + uri);
        if (!method.matches("[A-Za-z]+")) throw new IllegalArgumentException("invalid HTTP method: " + method);
        boolean tls = scheme.equals("https");
        int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
        String host = hostHeader.startsWith("[") ? hostHeader.substring(1, hostHeader.length() - 1) : hostHeader;
        this.uri = uri;
        this.method = method.toUpperCase(Locale.ROOT);
        this.headers = List.copyOf(headers);
        this.key = new Key(host.toLowerCase(Locale.ROOT), port, tls);
        this.address = address(host, port);
        this.unknownHost = "unknown host " + host;
        this.head = this.method.equals("HEAD");
        boolean defaultPort = port == (tls ? 443 : 80);
        this.request = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(
                encode(defaultPort ? hostHeader : hostHeader + ":" + port).getBytes(StandardCharsets.UTF_8)).asReadOnly());
    }

    /** A fresh view of the request bytes for one write; releasing it is a no-op. */
    ByteBuf request() {
        return request.duplicate();
    }

    /**
     * Where a redirect leads: 303 (and a POST answered by 301/302) continues with GET, as browsers do.
     * Secrets in headers are not sent to another host.
     */
    HttpTarget redirect(String location, int status) {
        URI next = uri.resolve(location.trim());
        String nextMethod = status == 303 || (status <= 302 && method.equals("POST")) ? "GET" : method;
        boolean sameHost = next.getHost() != null && next.getHost().equalsIgnoreCase(uri.getHost());
        List<Header> kept = sameHost ? headers : headers.stream().filter(h -> !h.isSensitive()).toList();
        return new HttpTarget(next, nextMethod, kept);
    }

    private String encode(String hostHeader) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        StringBuilder b = new StringBuilder(128).append(method).append(' ').append(path);
        if (uri.getRawQuery() != null) b.append('?').append(uri.getRawQuery());
        b.append(" HTTP/1.1\r\n");
        appendDefault(b, "Host", hostHeader);
        appendDefault(b, "User-Agent", USER_AGENT);
        appendDefault(b, "Accept", "*/*");
        appendDefault(b, "Connection", "keep-alive");
        if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) appendDefault(b, "Content-Length", "0");
        for (Header h : headers) {
            if (isUnsafe(h.name()) || isUnsafe(h.value()) || h.name().isBlank()) {
                throw new IllegalArgumentException("invalid header: " + h.name());
            }
            b.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    /** Configured headers win over the defaults. */
    private void appendDefault(StringBuilder b, String name, String value) {
        for (Header h : headers) if (h.name().equalsIgnoreCase(name)) return;
        b.append(name).append(": ").append(value).append("\r\n");
    }

    private static boolean isUnsafe(String s) {
        return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
    }

    /** An IP literal resolved without DNS; a name left for the resolver. */
    static InetSocketAddress address(String host, int port) {
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
        if (literal == null) return InetSocketAddress.createUnresolved(host, port);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(host, literal), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("invalid address: " + host, e);
        }
    }

    private static String version() {
        String v = HttpTarget.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
