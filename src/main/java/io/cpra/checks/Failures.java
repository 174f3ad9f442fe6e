package io.cpra.checks;

import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.ssl.NotSslRecordException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/** Turns what went wrong into the short, user-facing reasons of a failed check. */
final class Failures {

    static final String CONNECTION_REFUSED = "connection refused";
    static final String CONNECTION_RESET = "connection reset";
    static final String CLOSED_BEFORE_RESPONSE = "connection closed before response";
    static final String CLOSED_DURING_RESPONSE = "connection closed during response";
    static final String STOPPED = "checks stopped";
    private static final int MAX_REASON = 160;

    private Failures() {}

    /** Why a connection or exchange failed; {@code unknownHost} is the prepared "unknown host x" reason. */
    static String describe(Throwable cause, String unknownHost) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            switch (t) {
                case NotSslRecordException e -> {
                    return "TLS handshake failed: not a TLS server";
                }
                case SSLHandshakeException e -> {
                    return clip("TLS handshake failed: " + rootMessage(e));
                }
                case SSLException e -> {
                    return clip("TLS error: " + rootMessage(e));
                }
                case UnknownHostException e -> {
                    return unknownHost;
                }
                case PrematureChannelClosureException e -> {
                    return CLOSED_DURING_RESPONSE;
                }
                case NoRouteToHostException e -> {
                    return "no route to host";
                }
                case ConnectException e -> {
                    return contains(e, "refused") ? CONNECTION_REFUSED : clip("connect failed: " + message(e));
                }
                case ClosedChannelException e -> {
                    return CLOSED_BEFORE_RESPONSE;
                }
                case IOException e when contains(e, "reset") -> {
                    return CONNECTION_RESET;
                }
                default -> {
                }
            }
        }
        return clip("I/O error: " + rootMessage(cause));
    }

    /** A decoder failure: the peer sent something that is not HTTP. */
    static String malformed(Throwable cause) {
        return cause instanceof PrematureChannelClosureException
                ? CLOSED_DURING_RESPONSE
                : clip("malformed response: " + rootMessage(cause));
    }

    private static boolean contains(Throwable t, String word) {
        String m = t.getMessage();
        return m != null && m.toLowerCase(Locale.ROOT).contains(word);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return message(root);
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /** Bounded and printable: peers control some of these bytes. */
    static String clip(String reason) {
        StringBuilder b = new StringBuilder(Math.min(reason.length(), MAX_REASON + 3));
        for (int i = 0; i < reason.length() && b.length() < MAX_REASON; i++) {
            char c = reason.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        if (reason.length() > MAX_REASON) b.append("...");
        return b.toString();
    }
}
