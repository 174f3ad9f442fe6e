package io.cpra.checks.conditions;

import io.cpra.checks.conditions.Condition.Expected;
import io.cpra.checks.conditions.Condition.Operator;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parser of one condition, Gatus syntax: {@code SUBJECT OPERATOR VALUE} where SUBJECT is a placeholder
 * ({@code [STATUS]}), a JSON path into the body ({@code [BODY].items[0].id}) or {@code len(...)} of either
 * body form, and VALUE is a literal, {@code pat(glob)} or {@code any(v1, v2, ...)}. Every fault is reported
 * with its 1-based column.
 */
final class Syntax {

    /** A fault at a 0-based offset; turned into a {@link ConditionError} by the caller. */
    static final class Fault extends Exception {
        final int offset;

        Fault(int offset, String message) {
            super(message, null, false, false);
            this.offset = offset;
        }
    }

    /** What kind of literal a subject is compared with. */
    private enum Kind { NUMBER, DURATION, BOOL, RCODE, TEXT }

    static final Set<String> RCODES = Set.of("NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
            "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h|d)");

    private final String s;
    private int pos;

    private Syntax(String expression) {
        this.s = expression;
    }

    static Condition parse(String expression) throws Fault {
        if (expression == null || expression.isBlank()) throw new Fault(0, "empty condition");
        return new Syntax(expression).condition();
    }

    static boolean isNumber(String text) {
        return NUMBER.matcher(text).matches();
    }

    private Condition condition() throws Fault {
        skipSpaces();
        int subjectStart = pos;
        boolean length = s.startsWith("len(", pos);
        if (length) {
            pos += 4;
            skipSpaces();
        }
        Placeholder subject = placeholder();
        Object[] path = path();
        if (path.length > 0 && subject != Placeholder.BODY) {
            throw new Fault(subjectStart, "only [BODY] takes a path, not [" + subject.name() + "]");
        }
        if (length) {
            skipSpaces();
            if (pos >= s.length() || s.charAt(pos) != ')') throw new Fault(subjectStart + 3, "unbalanced '(': missing ')'");
            pos++;
            if (subject != Placeholder.BODY) throw new Fault(subjectStart, "len() applies only to [BODY]");
        }
        skipSpaces();
        int operatorStart = pos;
        Operator operator = operator();
        skipSpaces();
        Kind kind = length ? Kind.NUMBER : kindOf(subject);
        if (!operator.isEquality() && (kind == Kind.BOOL || kind == Kind.RCODE)) {
            throw new Fault(operatorStart, "only == and != apply to [" + subject.name() + "]");
        }
        Expected expected = value(kind, operator, operatorStart);
        return new Condition(s.strip(), subject, length, path, operator, expected);
    }

    private static Kind kindOf(Placeholder p) {
        return switch (p) {
            case STATUS -> Kind.NUMBER;
            case RESPONSE_TIME, CERTIFICATE_EXPIRATION -> Kind.DURATION;
            case CONNECTED -> Kind.BOOL;
            case DNS_RCODE -> Kind.RCODE;
            case BODY -> Kind.TEXT;
        };
    }

    private Placeholder placeholder() throws Fault {
        if (pos >= s.length() || s.charAt(pos) != '[') {
            throw new Fault(pos, "expected a placeholder such as [STATUS] or [BODY]");
        }
        int close = s.indexOf(']', pos);
        if (close < 0) throw new Fault(pos, "unbalanced '[': missing ']'");
        String name = s.substring(pos + 1, close);
        Placeholder p = Placeholder.named(name);
        if (p == null) throw new Fault(pos, "unknown placeholder [" + name + "] (known: " + Placeholder.known() + ")");
        pos = close + 1;
        return p;
    }

    /** {@code .key} and {@code [n]} steps, as String and Integer. */
    private Object[] path() throws Fault {
        List<Object> steps = new ArrayList<>();
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '.') {
                int start = ++pos;
                while (pos < s.length() && !isPathEnd(s.charAt(pos))) pos++;
                if (pos == start) throw new Fault(start - 1, "empty key in path");
                steps.add(s.substring(start, pos));
            } else if (c == '[') {
                int close = s.indexOf(']', pos);
                if (close < 0) throw new Fault(pos, "unbalanced '[': missing ']'");
                String index = s.substring(pos + 1, close).strip();
                if (!index.matches("\\d{1,9}")) throw new Fault(pos + 1, "array index must be a number, got '" + index + "'");
                steps.add(Integer.parseInt(index));
                pos = close + 1;
            } else {
                break;
            }
        }
        return steps.toArray();
    }

    private static boolean isPathEnd(char c) {
        return c == '.' || c == '[' || c == ']' || c == ')' || Character.isWhitespace(c) || "=!<>".indexOf(c) >= 0;
    }

    private Operator operator() throws Fault {
        int end = pos;
        while (end < s.length() && "=!<>".indexOf(s.charAt(end)) >= 0) end++;
        String run = s.substring(pos, end);
        for (Operator o : Operator.values()) {
            if (o.symbol.equals(run)) {
                pos = end;
                return o;
            }
        }
        String found = !run.isEmpty() ? "bad operator '" + run + "'"
                : pos < s.length() ? "expected an operator, found '" + s.charAt(pos) + "'" : "missing operator";
        throw new Fault(pos, found + "; use ==, !=, <, <=, > or >=");
    }

    private Expected value(Kind kind, Operator operator, int operatorStart) throws Fault {
        int start = pos;
        String rest = s.substring(pos).strip();
        if (rest.isEmpty()) throw new Fault(pos, "missing value after " + operator.symbol);
        if (rest.startsWith("pat(")) {
            String inner = call(rest, start, "pat");
            if (!operator.isEquality()) throw new Fault(operatorStart, "pat() works only with == and !=");
            if (kind != Kind.TEXT) throw new Fault(start, "pat() applies only to [BODY]");
            if (inner.isEmpty()) throw new Fault(start + 4, "empty pattern");
            return new Expected.Pattern(new Glob(inner));
        }
        List<String> values = new ArrayList<>();
        List<Integer> columns = new ArrayList<>();
        if (rest.startsWith("any(")) {
            String inner = call(rest, start, "any");
            if (!operator.isEquality()) throw new Fault(operatorStart, "any() works only with == and !=");
            int offset = start + 4;
            for (String part : inner.split(",", -1)) {
                int lead = part.length() - part.stripLeading().length();
                if (part.isBlank()) throw new Fault(offset, "empty value in any()");
                values.add(part.strip());
                columns.add(offset + lead);
                offset += part.length() + 1;
            }
        } else {
            values.add(rest);
            columns.add(start);
        }
        return literals(kind, operator, values, columns);
    }

    /** The text between {@code name(} and the final {@code )}. */
    private static String call(String rest, int start, String name) throws Fault {
        if (!rest.endsWith(")")) throw new Fault(start + name.length(), "unbalanced '(' in " + name + "(): missing ')'");
        return rest.substring(name.length() + 1, rest.length() - 1);
    }

    private static Expected literals(Kind kind, Operator operator, List<String> values, List<Integer> columns) throws Fault {
        int n = values.size();
        switch (kind) {
            case NUMBER, DURATION -> {
                double[] numbers = new double[n];
                for (int i = 0; i < n; i++) numbers[i] = kind == Kind.NUMBER
                        ? number(values.get(i), columns.get(i)) : durationMillis(values.get(i), columns.get(i));
                return new Expected.Numbers(numbers);
            }
            case BOOL -> {
                if (n > 1) throw new Fault(columns.get(0) - 4, "any() does not apply to [CONNECTED]");
                String v = values.get(0);
                if (!v.equals("true") && !v.equals("false")) throw new Fault(columns.get(0), "expected true or false, got '" + v + "'");
                return new Expected.Bool(Boolean.parseBoolean(v));
            }
            case RCODE -> {
                for (int i = 0; i < n; i++) {
                    if (!RCODES.contains(values.get(i))) {
                        throw new Fault(columns.get(i), "unknown DNS rcode '" + values.get(i) + "' (e.g. NOERROR, NXDOMAIN, SERVFAIL, REFUSED)");
                    }
                }
                return new Expected.Texts(values.toArray(String[]::new), new BigDecimal[n]);
            }
            default -> {
                BigDecimal[] numbers = new BigDecimal[n];
                for (int i = 0; i < n; i++) {
                    numbers[i] = Condition.parseNumber(values.get(i));
                    if (numbers[i] == null && !operator.isEquality()) {
                        throw new Fault(columns.get(i), "bad number '" + values.get(i) + "': " + operator.symbol + " compares numbers");
                    }
                }
                return new Expected.Texts(values.toArray(String[]::new), numbers);
            }
        }
    }

    private static double number(String v, int column) throws Fault {
        if (!isNumber(v)) throw new Fault(column, "bad number '" + v + "'");
        return Double.parseDouble(v);
    }

    /** A plain number is milliseconds (as in Gatus); otherwise a duration such as 48h, 1m30s, 500ms or 7d. */
    private static double durationMillis(String v, int column) throws Fault {
        if (isNumber(v)) return Double.parseDouble(v);
        Matcher m = DURATION_PART.matcher(v);
        double millis = 0;
        int at = 0;
        while (at < v.length() && m.find(at) && m.start() == at) {
            double amount = Double.parseDouble(m.group(1));
            millis += amount * switch (m.group(2)) {
                case "ns" -> 1e-6;
                case "us", "µs" -> 1e-3;
                case "ms" -> 1;
                case "s" -> 1e3;
                case "m" -> 6e4;
                case "h" -> 3.6e6;
                default -> 8.64e7;
            };
            at = m.end();
        }
        if (at == 0 || at < v.length()) throw new Fault(column, "bad duration '" + v + "' (e.g. 300ms, 30s, 48h, 7d)");
        return millis;
    }

    private void skipSpaces() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
    }
}
