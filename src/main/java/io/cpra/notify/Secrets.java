package io.cpra.notify;

import io.cpra.config.Header;

import java.net.URI;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Masks secret values (hook URLs, routing keys, tokens) in text bound for logs and errors. */
public final class Secrets {

    public static final String MASK = "****";

    /** Shorter values are not masked: they would blank out ordinary words. */
    private static final int MIN_SECRET_LENGTH = 4;

    /** A path segment this long is taken for a token (Slack's are 24 characters), shorter ones for words. */
    private static final int TOKEN_LIKE_LENGTH = 16;

    private Secrets() {}

    /** @return {@code text} with every occurrence of every secret replaced by {@link #MASK} */
    public static String mask(String text, Collection<String> secrets) {
        if (text == null || secrets.isEmpty()) return text;
        String masked = text;
        // longest first: a secret that contains another is masked whole, not around the shorter one
        List<String> longestFirst = secrets.stream()
                .filter(secret -> secret != null && secret.length() >= MIN_SECRET_LENGTH)
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String secret : longestFirst) masked = masked.replace(secret, MASK);
        return masked;
    }

    /** Names of headers and environment variables whose values are secrets. */
    public static boolean isSensitiveName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return new Header(name, "").isSensitive() || n.contains("password") || n.contains("passwd")
                || n.contains("key") || n.contains("credential");
    }

    /**
     * Adds the parts of a URL that may carry a token (Slack hooks do in the path): path, query, user info,
     * and on their own the query values and the token-like path segments, as a server may echo just those.
     */
    public static void addUri(List<String> secrets, URI uri) {
        if (uri == null) return;
        String path = uri.getRawPath();
        if (path != null && path.length() > 1) {
            secrets.add(path);
            for (String segment : path.split("/")) if (segment.length() >= TOKEN_LIKE_LENGTH) secrets.add(segment);
        }
        String query = uri.getRawQuery();
        if (query != null) {
            secrets.add(query);
            for (String parameter : query.split("&")) {
                int eq = parameter.indexOf('=');
                if (eq >= 0) secrets.add(parameter.substring(eq + 1));
            }
        }
        if (uri.getRawUserInfo() != null) secrets.add(uri.getRawUserInfo());
    }

    /** Adds the values of sensitive headers (authorization, tokens, keys). */
    public static void addHeaders(List<String> secrets, List<Header> headers) {
        if (headers == null) return;
        for (Header h : headers) if (h.isSensitive()) secrets.add(h.value());
    }
}
