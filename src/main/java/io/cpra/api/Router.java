package io.cpra.api;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Routes by method and path pattern ({@code /api/v1/monitors/{name}}); a path parameter is one
 * percent-decoded segment. A path that matches with another method answers 405 with {@code Allow}.
 */
final class Router {

    interface Handler {
        Reply handle(Call call) throws IOException;
    }

    private record Route(String method, String[] pattern, Handler handler) {}

    /** A matched route, or the methods the path allows when none matched the method. */
    record Match(Handler handler, Map<String, String> path, Set<String> allowed) {}

    private final List<Route> routes = new ArrayList<>();

    Router add(String method, String pattern, Handler handler) {
        routes.add(new Route(method, split(pattern), handler));
        return this;
    }

    /** @return null when no route has this path */
    Match match(String method, String rawPath) {
        String[] segments = split(rawPath);
        Set<String> allowed = new TreeSet<>();
        for (Route r : routes) {
            Map<String, String> params = bind(r.pattern, segments);
            if (params == null) continue;
            if (r.method.equals(method) || (method.equals("HEAD") && r.method.equals("GET"))) {
                return new Match(r.handler, params, Set.of());
            }
            allowed.add(r.method);
        }
        return allowed.isEmpty() ? null : new Match(null, Map.of(), allowed);
    }

    private static Map<String, String> bind(String[] pattern, String[] segments) {
        if (pattern.length != segments.length) return null;
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{")) {
                String value = URLDecoder.decode(segments[i].replace("+", "%2B"), StandardCharsets.UTF_8);
                if (value.isEmpty()) return null;
                params.put(p.substring(1, p.length() - 1), value);
            } else if (!p.equals(segments[i])) {
                return null;
            }
        }
        return params;
    }

    private static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) trimmed = trimmed.substring(0, trimmed.length() - 1);
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }
}
