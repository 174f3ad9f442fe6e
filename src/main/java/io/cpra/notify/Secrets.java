package io.cpra.notify;

import io.cpra.config.Header;

import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Masks secret values (hook URLs, routing keys, tokens) in text bound for logs and errors. */
public final class Secrets {

    public static final String MASK = "****";

    /** Shorter values are not masked: they would blank out ordinary words. */
    private static final int MIN_SECRET_LENGTH = 4;

    private Secrets() {}

    /** @return {@code text} with every occurrence of every secret replaced by {@link #MASK} */
    public static String mask(String text, Collection<String> secrets) {
        if (text == null || secrets.isEmpty()) return text;
        String masked = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= MIN_SECRET_LENGTH) masked = masked.replace(secret, MASK);
        }
        return masked;
    }

    /** Names of headers and environment variables whose values are secrets. */
    public static boolean isSensitiveName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return new Header(name, "").isSensitive() || n.contains("password") || n.contains("passwd")
                || n.contains("key") || n.contains("credential");
    }

    /** Adds the parts of a URL that may carry a token (Slack hooks do in the path): path, query, user info. */
    public static void addUri(List<String> secrets, URI uri) {
        if (uri == null) return;
        if (uri.getRawPath() != null && uri.getRawPath().length() > 1) secrets.add(uri.getRawPath());
        if (uri.getRawQuery() != null) secrets.add(uri.getRawQuery());
        if (uri.getRawUserInfo() != null) secrets.add(uri.getRawUserInfo());
    }

    /** Adds the values of sensitive headers (authorization, tokens, keys). */
    public static void addHeaders(List<String> secrets, List<Header> headers) {
        if (headers == null) return;
        for (Header h : headers) if (h.isSensitive()) secrets.add(h.value());
    }
}
