package io.cpra.config;

import io.cpra.config.Node.MapNode;
import io.cpra.config.Node.Scalar;
import io.cpra.config.Node.SeqNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads single values out of a monitor's tree for {@link MonitorBinder}: typed accessors that apply
 * {@code ${VAR}} substitution, check the value, report a problem with file, position, monitor and field
 * path, and return a default (or null) after an error, so binding goes on and finds every problem.
 *
 * <p>Values are typed by the schema, not by YAML's guesses: a plain {@code 123} is accepted where a
 * string is expected, a quoted {@code "123"} is not accepted where a number is (unless it came from a
 * {@code ${VAR}}). Null values ({@code key:} with nothing, {@code ~}, JSON {@code null}) count as absent.
 * Messages never contain substituted values: they may be secrets.
 */
final class Fields {

    /** "No default": the field is required, or an int that was absent or wrong. */
    static final int NO_VALUE = Integer.MIN_VALUE;

    private final Map<String, String> env;
    private final ErrorList errors;
    private final Interner<List<?>> lists = new Interner<>();
    private final Interner<String> strings = new Interner<>();
    /** Conversions repeated across monitors (notifier URLs, log paths, ${VAR} expansions), bounded. */
    private final HashMap<String, URI> uriCache = new HashMap<>();
    private final HashMap<String, Path> pathCache = new HashMap<>();
    private final HashMap<String, String> expansions = new HashMap<>();

    private String file;
    private String monitorName;
    private int position;
    private int monitorErrors;

    Fields(Map<String, String> env, ErrorList errors) {
        this.env = env;
        this.errors = errors;
    }

    void startMonitor(String file, int position) {
        this.file = file;
        this.position = position;
        this.monitorName = null;
        this.monitorErrors = 0;
    }

    /** From now on errors name the monitor, not its position. */
    void nameMonitor(String name) {
        this.monitorName = name;
    }

    int monitorErrors() {
        return monitorErrors;
    }

    /** The id errors use: the name, or {@code #N} while the name is unknown. */
    private String monitorId() {
        return monitorName != null ? monitorName : "#" + position;
    }

    // ---- maps of strings (metadata, script env) ----------------------------------------------------

    Map<String, String> stringMap(MapNode m, String path, String key) {
        MapNode map = map(m, path, key, false);
        if (map == null || map.size == 0) return Map.of();
        String field = join(path, key);
        checkDuplicates(map, field);
        if (map.size == 1) {
            String v = scalarText(map.values[0], field, map.keys[0].text);
            return v == null ? Map.of() : Map.of(strings.intern(map.keys[0].text), v);
        }
        HashMap<String, String> out = HashMap.newHashMap(map.size);
        for (int i = 0; i < map.size; i++) {
            String v = scalarText(map.values[i], field, map.keys[i].text);
            if (v != null) out.putIfAbsent(strings.intern(map.keys[i].text), v);
        }
        return Map.copyOf(out);
    }

    // ---- typed accessors: each reports its own errors and returns a default (or null) on error -----

    /** @return the value, or null when absent or null-valued */
    static Node present(MapNode m, String key) {
        Node v = m.get(key);
        return v instanceof Scalar s && s.isNull() ? null : v;
    }

    MapNode map(MapNode m, String path, String key, boolean required) {
        Node v = present(m, key);
        if (v == null) {
            if (required) missing(m, path, key);
            return null;
        }
        if (v instanceof MapNode map) return map;
        error(v, join(path, key), "expected a mapping, got " + v.kindName());
        return null;
    }

    String string(MapNode m, String path, String key, boolean required) {
        Node v = present(m, key);
        if (v == null) {
            if (required) missing(m, path, key);
            return null;
        }
        return scalarText(v, path, key);
    }

    /** A required string that must not be empty. */
    String requiredText(MapNode m, String path, String key) {
        String s = string(m, path, key, true);
        if (s != null && s.isBlank()) {
            error(m.get(key), join(path, key), "must not be empty");
            return null;
        }
        return s;
    }

    String host(MapNode m, String path, String key) {
        String host = requiredText(m, path, key);
        if (host != null && (host.indexOf(' ') >= 0 || host.indexOf('/') >= 0)) {
            error(m.get(key), join(path, key), "must be a host name or address (no scheme, path or spaces)");
            return null;
        }
        return host;
    }

    int port(MapNode m, String path, int dflt) {
        if (dflt == NO_VALUE && present(m, "port") == null) {
            missing(m, path, "port");
            return 0;
        }
        return integer(m, path, "port", dflt, 1, 65535);
    }

    /** A scalar's text after {@code ${VAR}} substitution; null (reported) for a non-scalar or unset variable. */
    private String scalarText(Node v, String path, String key) {
        if (!(v instanceof Scalar s)) {
            error(v, path, key, "expected a string, got " + v.kindName());
            return null;
        }
        return expand(s, path, key);
    }

    /** A scalar naming an enum value (type, action, notify); null when absent or wrong. */
    Scalar enumScalar(MapNode m, String path, String key, boolean required) {
        Node v = present(m, key);
        if (v == null) {
            if (required) missing(m, path, key);
            return null;
        }
        String text = scalarText(v, path, key);
        if (text == null) return null;
        Scalar s = (Scalar) v;
        return text == s.text ? s : new Scalar(text, Scalar.STRING, s.line, s.column);
    }

    int integer(MapNode m, String path, String key, int dflt, int min, int max) {
        Node v = present(m, key);
        if (v == null) return dflt;
        long value = integerValue(v, path, key);
        if (value == Long.MIN_VALUE) return dflt;
        if (value < min || value > max) {
            error(v, path, key, max == Integer.MAX_VALUE ? "must be at least " + min : "must be between " + min + " and " + max);
            return dflt;
        }
        return (int) value;
    }

    /** @return the integer, or Long.MIN_VALUE when it is not one (reported) */
    long integerValue(Node v, String path, String key) {
        String text = typedText(v, path, key, "an integer");
        if (text == null) return Long.MIN_VALUE;
        int i = 0;
        int n = text.length();
        boolean negative = false;
        if (n > 0 && (text.charAt(0) == '-' || text.charAt(0) == '+')) negative = text.charAt(i++) == '-';
        if (i == n || n - i > 12) {
            error(v, path, key, n - i > 12 ? "number is too large" : "expected an integer");
            return Long.MIN_VALUE;
        }
        long value = 0;
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                error(v, path, key, "expected an integer");
                return Long.MIN_VALUE;
            }
            value = value * 10 + (c - '0');
        }
        return negative ? -value : value;
    }

    boolean bool(MapNode m, String path, String key, boolean dflt) {
        Node v = present(m, key);
        if (v == null) return dflt;
        String text = typedText(v, path, key, "true or false");
        if (text == null) return dflt;
        switch (text) {
            case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON" -> { return true; }
            case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF" -> { return false; }
            default -> {
                error(v, path, key, "expected true or false");
                return dflt;
            }
        }
    }

    /**
     * A duration in nanoseconds. Absent: {@code dflt}, or when {@code dflt} is NO_VALUE a missing-field
     * error. Present values must be positive. {@code nanosInJson}: a JSON integer is nanoseconds (v0.5).
     */
    long duration(MapNode m, String path, String key, long dflt, boolean nanosInJson) {
        Node v = present(m, key);
        if (v == null) {
            if (dflt == NO_VALUE) missing(m, path, key);
            return dflt == NO_VALUE ? 0 : dflt;
        }
        if (nanosInJson && v instanceof Scalar s && s.kind == Scalar.NUMBER) {
            long nanos = integerValue(v, path, key);
            if (nanos == Long.MIN_VALUE) return 0;
            if (nanos <= 0) error(v, path, key, "must be greater than zero");
            return nanos;
        }
        if (v instanceof Scalar s && s.kind == Scalar.NUMBER) {
            error(v, path, key, "expected a duration string such as \"10s\", got a number");
            return 0;
        }
        String text = scalarText(v, path, key);
        if (text == null) return 0;
        try {
            long nanos = Durations.parse(text);
            if (nanos <= 0) {
                error(v, path, key, "must be greater than zero");
                return 0;
            }
            return nanos;
        } catch (Durations.Invalid e) {
            boolean substituted = ((Scalar) v).text.indexOf('$') >= 0; // the message may quote the value
            error(v, path, key, substituted ? "not a valid duration (the value from ${...} is not shown)" : e.getMessage());
            return 0;
        }
    }

    /**
     * Text of a scalar that must be a number or boolean: YAML plain scalars, JSON numbers and booleans,
     * and strings that came from {@code ${VAR}}. Null (reported) otherwise.
     */
    private String typedText(Node v, String path, String key, String expected) {
        if (v instanceof Scalar s && s.kind != Scalar.STRING) {
            return s.text.indexOf('$') < 0 ? s.text : expand(s, path, key);
        }
        if (v instanceof Scalar s && s.text.contains("${")) return expand(s, path, key);
        error(v, path, key, "expected " + expected + ", got " + v.kindName());
        return null;
    }

    /** A string or a list of strings. */
    List<String> stringList(MapNode m, String path, String key) {
        Node v = present(m, key);
        if (v == null) return List.of();
        if (v instanceof SeqNode seq) {
            if (seq.size == 0) return List.of();
            String[] out = new String[seq.size];
            int n = 0;
            for (int i = 0; i < seq.size; i++) {
                String s = scalarText(seq.items[i], path, key);
                if (s != null) out[n++] = s;
            }
            return internList(List.of(n == out.length ? out : java.util.Arrays.copyOf(out, n)));
        }
        String s = scalarText(v, path, key);
        return s == null ? List.of() : internList(List.of(s));
    }

    @SuppressWarnings("unchecked")
    <T> List<T> internList(List<T> list) {
        return list.isEmpty() ? List.of() : (List<T>) lists.intern(List.copyOf(list));
    }

    List<Header> headers(MapNode m, String path) {
        Node v = present(m, "headers");
        if (v == null) return List.of();
        List<Header> out = new ArrayList<>(2);
        if (v instanceof SeqNode seq) {
            for (int i = 0; i < seq.size; i++) header(seq.items[i], path, out);
        } else {
            header(v, path, out);
        }
        return internList(out);
    }

    private void header(Node v, String path, List<Header> into) {
        String text = scalarText(v, path, "headers");
        if (text == null) return;
        int colon = text.indexOf(':');
        String headerName = colon < 0 ? "" : text.substring(0, colon).trim();
        if (headerName.isEmpty() || !isToken(headerName)) {
            error(v, path, "headers", "a header must look like \"Name: value\"");
            return;
        }
        into.add(new Header(strings.intern(headerName), text.substring(colon + 1).trim()));
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) return false;
        }
        return true;
    }

    String method(MapNode m, String path, String dflt) {
        Node v = present(m, "method");
        if (v == null) return dflt;
        String text = scalarText(v, path, "method");
        if (text == null) return dflt;
        String upper = text.toUpperCase(Locale.ROOT);
        String known = constant(upper, new String[] {"GET", "POST", "PUT", "HEAD", "DELETE", "PATCH", "OPTIONS"});
        if (known != null) return known;
        if (upper.isEmpty() || !isToken(upper)) {
            error(v, path, "method", "not a valid HTTP method");
            return dflt;
        }
        return strings.intern(upper);
    }

    URI url(MapNode m, String path, String key, boolean required) {
        String text = required ? requiredText(m, path, key) : string(m, path, key, false);
        if (text == null) return null;
        URI cached = uriCache.get(text);
        if (cached != null) return cached;
        Node v = m.get(key);
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            error(v, path, key, "not a valid URL: " + e.getReason() + " at index " + e.getIndex());
            return null;
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            error(v, path, key, "not a valid URL: must start with http:// or https://");
            return null;
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            error(v, path, key, "not a valid URL: it has no (valid) host");
            return null;
        }
        // pulse URLs are mostly unique, notifier and action URLs repeat: only those are worth keeping
        if (!path.startsWith("pulse_check") && uriCache.size() < Interner.MAX_ENTRIES) uriCache.put(text, uri);
        return uri;
    }

    Path path(MapNode m, String path, String key, boolean required) {
        String text = required ? requiredText(m, path, key) : string(m, path, key, false);
        if (text == null) return null;
        Path cached = pathCache.get(text);
        if (cached != null) return cached;
        try {
            Path p = Path.of(text);
            if (pathCache.size() < Interner.MAX_ENTRIES) pathCache.put(text, p);
            return p;
        } catch (InvalidPathException e) {
            error(m.get(key), join(path, key), "not a valid path: " + e.getReason());
            return null;
        }
    }

    /**
     * An int written under two names (an alias, or the same key in two places). Both present is fine
     * only when they agree, so a v0.5 file that repeats itself loads and a contradiction does not.
     */
    int aliased(MapNode a, String aPath, String aKey, MapNode b, String bPath, String bKey, int dflt, int min) {
        int va = integer(a, aPath, aKey, NO_VALUE, min, Integer.MAX_VALUE);
        int vb = integer(b, bPath, bKey, NO_VALUE, min, Integer.MAX_VALUE);
        if (va != NO_VALUE && vb != NO_VALUE && va != vb) {
            error(b.get(bKey), bPath, bKey, "contradicts " + join(aPath, aKey) + "; keep one");
        }
        return va != NO_VALUE ? va : vb != NO_VALUE ? vb : dflt;
    }

    // ---- keys, errors, substitution ---------------------------------------------------------------

    /** Unknown keys (with a suggestion) and repeated known keys; a repeated unknown key is reported as unknown. */
    void checkKeys(MapNode m, String path, String[] known) {
        long seen = 0; // bit k: known[k] already met (key lists are far shorter than 64)
        for (int i = 0; i < m.size; i++) {
            String key = m.keys[i].text;
            int k = indexOf(known, key);
            if (k < 0) {
                error(m.keys[i], join(path, key), Spelling.unknownField(key, known));
            } else if ((seen & (1L << k)) != 0) {
                duplicateKey(m, i, m.indexOf(key), path);
            } else {
                seen |= 1L << k;
            }
        }
    }

    private static int indexOf(String[] known, String key) {
        for (int k = 0; k < known.length; k++) if (known[k].equals(key)) return k;
        return -1;
    }

    void checkDuplicates(MapNode m, String path) {
        if (m.size <= 16) {
            for (int i = 1; i < m.size; i++) {
                for (int j = 0; j < i; j++) {
                    if (m.keys[i].text.equals(m.keys[j].text)) {
                        duplicateKey(m, i, j, path);
                        break;
                    }
                }
            }
            return;
        }
        HashMap<String, Integer> seen = HashMap.newHashMap(m.size);
        for (int i = 0; i < m.size; i++) {
            Integer j = seen.putIfAbsent(m.keys[i].text, i);
            if (j != null) duplicateKey(m, i, j, path);
        }
    }

    private void duplicateKey(MapNode m, int i, int first, String path) {
        error(m.keys[i], join(path, m.keys[i].text), "duplicate key (first at line " + m.keys[first].line + ")");
    }

    void missing(MapNode parent, String path, String key) {
        error(parent, join(path, key), "missing required field");
    }

    void error(Node at, String path, String key, String message) {
        error(at, join(path, key), message);
    }

    void error(Node at, String field, String message) {
        error(at.line, at.column, field, message);
    }

    void error(int line, int column, String field, String message) {
        monitorErrors++;
        errors.add(new ConfigError(file, line, column, monitorId(), field, message));
    }

    /** {@code ${VAR}} from the environment, {@code $$} for a literal {@code $}; a lone {@code $} stays. */
    private String expand(Scalar s, String path, String key) {
        String t = s.text;
        int i = t.indexOf('$');
        if (i < 0) return t;
        String done = expansions.get(t);
        if (done != null) return done;
        StringBuilder sb = new StringBuilder(t.length() + 16);
        int from = 0;
        boolean failed = false;
        while (i >= 0) {
            sb.append(t, from, i);
            char next = i + 1 < t.length() ? t.charAt(i + 1) : 0;
            if (next == '$') {
                sb.append('$');
                from = i + 2;
            } else if (next == '{') {
                int end = t.indexOf('}', i + 2);
                if (end < 0) {
                    error(s, path, key, "unterminated ${ (write $$ for a literal $)");
                    return null;
                }
                String var = t.substring(i + 2, end);
                String value = isVariableName(var) ? env.get(var) : null;
                if (!isVariableName(var)) {
                    error(s, path, key, "invalid variable name in ${...} (letters, digits and _ only)");
                    failed = true;
                } else if (value == null) {
                    error(s, path, key, "environment variable " + var + " is not set");
                    failed = true;
                } else {
                    sb.append(value);
                }
                from = end + 1;
            } else {
                sb.append('$');
                from = i + 1;
            }
            i = t.indexOf('$', from);
        }
        if (failed) return null;
        String expanded = sb.append(t, from, t.length()).toString();
        if (expansions.size() < Interner.MAX_ENTRIES) expansions.put(t, expanded);
        return expanded;
    }

    private static boolean isVariableName(String s) {
        if (s.isEmpty() || Character.isDigit(s.charAt(0))) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
        }
        return true;
    }

    /** The value as written when it holds no substitution (safe to show), else a neutral placeholder. */
    static String shown(Scalar s) {
        return s.text.indexOf('$') >= 0 ? "(from ${...})" : "\"" + s.text + "\"";
    }

    /** @return the array's own instance equal to {@code s}, or null: lets repeated values share one String */
    static String constant(String s, String[] known) {
        for (String k : known) if (k.equals(s)) return k;
        return null;
    }

    /** Lower case without allocating for the usual already-lower-case value. */
    static String lower(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') return s.toLowerCase(Locale.ROOT);
        }
        return s;
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
