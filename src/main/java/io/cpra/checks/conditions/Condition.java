package io.cpra.checks.conditions;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;

/**
 * One compiled condition: a subject (a placeholder, perhaps a JSON path into the body, perhaps under
 * {@code len()}), an operator and the expected value(s). Immutable; evaluating a numeric subject allocates
 * nothing on success.
 */
final class Condition {

    enum Operator {
        EQ("=="), NE("!="), LE("<="), GE(">="), LT("<"), GT(">");

        final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        boolean isEquality() {
            return this == EQ || this == NE;
        }

        boolean holds(int comparison) {
            return switch (this) {
                case EQ -> comparison == 0;
                case NE -> comparison != 0;
                case LE -> comparison <= 0;
                case GE -> comparison >= 0;
                case LT -> comparison < 0;
                case GT -> comparison > 0;
            };
        }
    }

    /** The expected side: numbers (durations in ms), texts, a glob pattern or a boolean. */
    sealed interface Expected {
        record Numbers(double[] values) implements Expected {}

        record Texts(String[] values, BigDecimal[] numbers) implements Expected {}

        record Pattern(Glob glob) implements Expected {}

        record Bool(boolean value) implements Expected {}
    }

    private static final int MAX_SHOWN = 60;

    final String text;
    final Placeholder subject;
    final boolean length;
    /** JSON path steps: String keys and Integer indexes; empty for the placeholder itself. */
    private final Object[] path;
    private final Operator operator;
    private final Expected expected;
    private final String failurePrefix;

    Condition(String text, Placeholder subject, boolean length, Object[] path, Operator operator, Expected expected) {
        this.text = text;
        this.subject = subject;
        this.length = length;
        this.path = path;
        this.operator = operator;
        this.expected = expected;
        this.failurePrefix = "condition " + text + " failed: ";
    }

    boolean needsBody() {
        return subject == Placeholder.BODY;
    }

    /** Null when the condition holds, else why not. */
    String check(ResultView view) {
        if (length) return checkLength(view);
        return switch (subject) {
            case STATUS -> number(view.status) ? null : fail("status was " + view.status);
            case RESPONSE_TIME -> {
                long ms = view.responseTimeNanos / 1_000_000;
                yield number(ms) ? null : fail("response time was " + ms + "ms");
            }
            case CERTIFICATE_EXPIRATION -> {
                long ms = view.certificateRemainingMillis;
                if (ms == ResultView.NONE) yield fail("no certificate");
                yield number(ms) ? null : fail(Expiry.describe(ms));
            }
            case CONNECTED -> ((Expected.Bool) expected).value() == view.connected == (operator == Operator.EQ)
                    ? null : fail("connected was " + view.connected);
            case DNS_RCODE -> {
                if (view.dnsRcode == null) yield fail("no DNS response");
                yield text(view.dnsRcode, null) ? null : fail("rcode was " + view.dnsRcode);
            }
            case BODY -> path.length == 0 ? checkBody(view) : checkJson(view);
        };
    }

    private String checkBody(ResultView view) {
        String body = view.bodyText();
        return text(body, null) ? null : fail("body was " + quote(body));
    }

    private String checkJson(ResultView view) {
        JsonNode node = view.json();
        if (node == null || node.isMissingNode()) return fail("body is not JSON");
        node = walk(node);
        if (node == null) return fail("not found");
        String value = node.isValueNode() ? node.asText() : node.toString();
        if (text(value, node.isNumber() ? node.decimalValue() : null)) return null;
        return fail("was " + (node.isTextual() ? quote(value) : shorten(value)));
    }

    private String checkLength(ResultView view) {
        long n;
        if (path.length == 0) {
            n = view.bodyLength();
        } else {
            JsonNode node = view.json();
            if (node == null || node.isMissingNode()) return fail("body is not JSON");
            node = walk(node);
            if (node == null) return fail("not found");
            n = node.isTextual() ? node.asText().length() : node.size();
        }
        return number(n) ? null : fail("length was " + n);
    }

    private JsonNode walk(JsonNode root) {
        JsonNode node = root;
        for (Object step : path) {
            node = step instanceof Integer i ? node.get(i) : node.get((String) step);
            if (node == null) return null;
        }
        return node;
    }

    private boolean number(double actual) {
        double[] values = ((Expected.Numbers) expected).values();
        if (!operator.isEquality()) return operator.holds(Double.compare(actual, values[0]));
        boolean any = false;
        for (double v : values) any |= actual == v;
        return any == (operator == Operator.EQ);
    }

    /** Text subjects: equality against literals or a pattern; ordering as numbers. */
    private boolean text(String actual, BigDecimal actualNumber) {
        if (expected instanceof Expected.Pattern p) return p.glob().matches(actual) == (operator == Operator.EQ);
        Expected.Texts t = (Expected.Texts) expected;
        BigDecimal number = actualNumber != null ? actualNumber : parseNumber(actual);
        if (!operator.isEquality()) return number != null && operator.holds(number.compareTo(t.numbers()[0]));
        boolean any = false;
        for (int i = 0; i < t.values().length && !any; i++) {
            BigDecimal n = t.numbers()[i];
            any = number != null && n != null ? number.compareTo(n) == 0 : actual.equals(t.values()[i]);
        }
        return any == (operator == Operator.EQ);
    }

    static BigDecimal parseNumber(String s) {
        if (!Syntax.isNumber(s)) return null;
        return new BigDecimal(s);
    }

    private String fail(String detail) {
        return failurePrefix + detail;
    }

    private static String quote(String s) {
        return "\"" + shorten(s) + "\"";
    }

    private static String shorten(String s) {
        return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "...";
    }
}
