package io.cpra.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Where the API listens and the token mutating calls must present.
 *
 * @param token the bearer token ({@code CPRA_API_TOKEN}), or null: then mutating calls are refused, and
 *              only a loopback address may be bound
 */
public record ApiSettings(InetSocketAddress address, String token) {

    public static final String DEFAULT_ADDRESS = "127.0.0.1:9090";
    public static final String TOKEN_VARIABLE = "CPRA_API_TOKEN";

    public ApiSettings {
        if (token != null && token.isBlank()) token = null;
        if (token == null && !address.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("refusing to serve the API on " + address.getAddress().getHostAddress()
                    + " without a token: set " + TOKEN_VARIABLE + " or bind a loopback address");
        }
    }

    /** Parses {@code HOST:PORT} ({@code [v6]:PORT} for IPv6). */
    public static ApiSettings parse(String hostPort, String token) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("--api must be HOST:PORT, got '" + hostPort + "'");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--api port must be a number, got '" + hostPort.substring(colon + 1) + "'");
        }
        if (port < 0 || port > 65_535) throw new IllegalArgumentException("--api port must be 0..65535, got " + port);
        try {
            return new ApiSettings(new InetSocketAddress(InetAddress.getByName(host), port), token);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--api host cannot be resolved: " + host);
        }
    }
}
