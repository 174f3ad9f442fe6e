package io.cpra.fleet;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A request's path and query parameters, read with bounds; a bad value is an {@link Invalid} that names it. */
final class Query {

    /** A bad parameter: answered with 400 and this message, never a stack trace. */
    static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");

    private final QueryStringDecoder decoder;

    Query(String uri) {
        decoder = new QueryStringDecoder(uri);
    }

    String path() {
        return decoder.path();
    }

    boolean has(String name) {
        return decoder.parameters().containsKey(name);
    }

    long longValue(String name, long fallback, long min, long max) {
        String text = text(name);
        if (text == null) return fallback;
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new Invalid(name + " must be a whole number, got '" + text + "'");
        }
        return requireWithin(name, value, min, max);
    }

    double doubleValue(String name, double fallback, double min, double max) {
        String text = text(name);
        if (text == null) return fallback;
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new Invalid(name + " must be a number, got '" + text + "'");
        }
        if (!(value >= min && value <= max)) throw new Invalid(name + " must be within " + min + "-" + max + ", got " + text);
        return value;
    }

    /** {@code 500ms}, {@code 30s} or {@code 2m}, in milliseconds. */
    long durationMillis(String name, long fallbackMillis, long minMillis, long maxMillis) {
        String text = text(name);
        if (text == null) return fallbackMillis;
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) throw new Invalid(name + " must be a duration such as 500ms, 30s or 2m, got '" + text + "'");
        long amount = Long.parseLong(m.group(1));
        long millis = switch (m.group(2)) {
            case "ms" -> amount;
            case "s" -> amount * 1000;
            default -> amount * 60_000;
        };
        return requireWithin(name, millis, minMillis, maxMillis);
    }

    private String text(String name) {
        List<String> values = decoder.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    private static long requireWithin(String name, long value, long min, long max) {
        if (value < min || value > max) throw new Invalid(name + " must be within " + min + "-" + max + ", got " + value);
        return value;
    }
}
