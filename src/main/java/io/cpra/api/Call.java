package io.cpra.api;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** One request as a handler sees it: path parameters, query parameters and the (bounded) body. */
final class Call {

    static final int MAX_BODY = 1 << 20;

    final HttpExchange exchange;
    final Map<String, String> path;
    final Map<String, String> query;

    Call(HttpExchange exchange, Map<String, String> path) {
        this.exchange = exchange;
        this.path = path;
        this.query = parseQuery(exchange.getRequestURI().getRawQuery());
    }

    String path(String name) {
        return path.get(name);
    }

    String query(String name) {
        String v = query.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    int intQuery(String name, int fallback, int min, int max) {
        String v = query(name);
        if (v == null) return fallback;
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) throw HttpError.badRequest(name + " must be between " + min + " and " + max + ", got " + v);
            return n;
        } catch (NumberFormatException e) {
            throw HttpError.badRequest(name + " must be a whole number, got " + v);
        }
    }

    long longQuery(String name) {
        String v = query(name);
        if (v == null) throw HttpError.badRequest("missing query parameter " + name);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw HttpError.badRequest(name + " must be a whole number, got " + v);
        }
    }

    byte[] body() throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) throw new HttpError(413, "request body larger than " + MAX_BODY + " bytes");
            return body;
        }
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.putIfAbsent(key, value);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("malformed query: " + s);
        }
    }
}
