package io.cpra.config;

import io.cpra.config.Node.MapNode;
import io.cpra.config.Node.Scalar;
import io.cpra.config.Node.SeqNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Validates one monitor's tree and binds it to a {@link MonitorSpec} with every default applied
 * (CONFIG.md). Reports every problem it finds with file, position, monitor and field path; returns null
 * when the monitor had any. One instance serves a whole load and is not thread-safe.
 *
 * <p>Values are typed by the schema, not by YAML's guesses: a plain {@code 123} is accepted where a
 * string is expected, a quoted {@code "123"} is not accepted where a number is (unless it came from a
 * {@code ${VAR}}). Null values ({@code key:} with nothing, {@code ~}, JSON {@code null}) count as absent.
 * Messages never contain substituted values: they may be secrets.
 */
final class MonitorBinder {

    private static final String[] MONITOR_KEYS = {"name", "enabled", "pulse_check", "intervention", "codes",
            "metadata", "notify_groups"};
    private static final String[] PULSE_KEYS = {"type", "interval", "timeout", "unhealthy_threshold", "max_failures",
            "healthy_threshold", "groups", "conditions", "retries", "config"};
    private static final String[] HTTP_KEYS = {"url", "method", "headers", "retries", "expected_status",
            "body_contains", "follow_redirects"};
    private static final String[] TCP_KEYS = {"host", "port", "retries"};
    private static final String[] ICMP_KEYS = {"host", "count", "retries", "ignore_privilege"};
    private static final String[] DNS_KEYS = {"name", "record_type", "server", "expected", "retries"};
    private static final String[] TLS_KEYS = {"host", "port", "server_name", "retries"};
    private static final String[] INTERVENTION_KEYS = {"action", "retries", "max_failures", "target"};
    private static final String[] DOCKER_KEYS = {"container", "timeout", "type"};
    private static final String[] SCRIPT_KEYS = {"path", "args", "env", "timeout"};
    private static final String[] WEBHOOK_ACTION_KEYS = {"url", "method", "headers", "body", "timeout"};
    private static final String[] CODE_KEYS = {"notify", "dispatch", "groups", "repeat", "config"};
    private static final String[] LOG_KEYS = {"file"};
    private static final String[] SLACK_KEYS = {"hook"};
    private static final String[] PAGERDUTY_KEYS = {"url", "routing_key"};
    private static final String[] WEBHOOK_NOTIFY_KEYS = {"url", "headers"};
    private static final String[] EMAIL_KEYS = {"to", "from", "smtp_host", "smtp_port", "username", "password",
            "starttls"};
    private static final String[] PULSE_TYPES = keys(PulseType.values());
    private static final String[] ACTIONS = keys(ActionType.values());
    private static final String[] NOTIFIERS = keys(NotifierType.values());
    private static final String[] COLOURS = keys(Colour.values());
    private static final String[] RECORD_TYPES = {"A", "AAAA", "CNAME", "MX", "NS", "TXT", "SRV", "PTR", "SOA", "CAA"};

    private static final long SECOND = 1_000_000_000L;
    private static final long DOCKER_TIMEOUT = 30 * SECOND;
    private static final long SCRIPT_TIMEOUT = 30 * SECOND;
    private static final long WEBHOOK_ACTION_TIMEOUT = 10 * SECOND;
    private static final URI PAGERDUTY_URL = URI.create(NotifyConfig.PagerDuty.DEFAULT_URL);
    private static final int NO_VALUE = Integer.MIN_VALUE;

    private final Capabilities capabilities;
    private final Map<String, String> env;
    private final ErrorList errors;
    private final Interner<NotifyConfig> notifyConfigs = new Interner<>();
    private final Interner<CodeSpec> codeSpecs = new Interner<>();
    private final Interner<Map<Colour, CodeSpec>> codeMaps = new Interner<>();
    private final Interner<List<?>> lists = new Interner<>();
    private final Interner<String> strings = new Interner<>();
    /** Conversions repeated across monitors (notifier URLs, log paths, ${VAR} expansions), bounded. */
    private final HashMap<String, URI> uriCache = new HashMap<>();
    private final HashMap<String, Path> pathCache = new HashMap<>();
    private final HashMap<String, String> expansions = new HashMap<>();
    private final HashMap<String, Map<Colour, CodeSpec>> codesByContent = new HashMap<>();
    private final StringBuilder contentKey = new StringBuilder(256);

    private String file;
    private String name;
    private Scalar nameNode;
    private int position;
    private int monitorErrors;

    MonitorBinder(Capabilities capabilities, Map<String, String> env, ErrorList errors) {
        this.capabilities = capabilities;
        this.env = env;
        this.errors = errors;
    }

    /** @return the bound monitor, or null when it has errors (all reported) */
    MonitorSpec bind(Node node, int position, String file) {
        this.file = file;
        this.position = position;
        this.name = null;
        this.nameNode = null;
        this.monitorErrors = 0;
        if (!(node instanceof MapNode m)) {
            error(node, "", "a monitor must be a mapping, got " + node.kindName());
            return null;
        }
        String monitorName = string(m, "", "name", true);
        if (monitorName != null) {
            if (monitorName.isBlank()) {
                error(m.get("name"), "name", "must not be empty");
            } else {
                name = monitorName;
                nameNode = (Scalar) m.get("name");
            }
        }
        checkKeys(m, "", MONITOR_KEYS);
        boolean enabled = bool(m, "", "enabled", true);
        MapNode pulseNode = map(m, "", "pulse_check", true);
        PulseSpec pulse = pulseNode == null ? null : pulse(pulseNode);
        MapNode interventionNode = map(m, "", "intervention", false);
        InterventionSpec intervention = interventionNode == null ? null : intervention(interventionNode);
        MapNode codesNode = map(m, "", "codes", false);
        Map<Colour, CodeSpec> codes = codesNode == null ? Map.of() : cachedCodes(codesNode);
        Map<String, String> metadata = stringMap(m, "", "metadata");
        List<String> notifyGroups = stringList(m, "", "notify_groups");
        if (monitorErrors > 0) return null;
        return new MonitorSpec(name, enabled, pulse, intervention, codes, metadata, notifyGroups,
                new SourcePosition(file, node.line, node.column));
    }

    /** The id errors use: the name, or {@code #N} while the name is unknown. */
    String monitorId() {
        return name != null ? name : "#" + position;
    }

    /** The last bound monitor's name and where it is written; null when it had none. */
    String name() {
        return name;
    }

    Scalar nameNode() {
        return nameNode;
    }

    // ---- pulse ------------------------------------------------------------------------------------

    private PulseSpec pulse(MapNode p) {
        String path = "pulse_check";
        checkKeys(p, path, PULSE_KEYS);
        PulseType type = pulseType(p, path);
        long interval = duration(p, path, "interval", NO_VALUE, false);
        long timeout = duration(p, path, "timeout", NO_VALUE, false);
        if (interval > 0 && timeout > 0 && timeout > interval) {
            error(p.get("timeout"), "pulse_check.timeout", "must not exceed interval");
        }
        int unhealthy = aliased(p, path, "unhealthy_threshold", p, path, "max_failures", 1, 1);
        int healthy = integer(p, path, "healthy_threshold", 0, 0, Integer.MAX_VALUE);
        List<String> groups = stringList(p, path, "groups");
        List<String> conditions = stringList(p, path, "conditions");
        MapNode config = map(p, path, "config", type != null);
        String cpath = "pulse_check.config";
        // retries may sit under pulse_check (v0.5) or its config; both is fine only when they agree
        int retries = config == null ? integer(p, path, "retries", 0, 0, Integer.MAX_VALUE)
                : aliased(p, path, "retries", config, cpath, "retries", 0, 0);
        PulseTarget target = null;
        if (type != null && config != null) {
            target = switch (type) {
                case HTTP -> http(config, cpath);
                case TCP -> tcp(config, cpath);
                case ICMP -> icmp(config, cpath);
                case DNS -> dns(config, cpath);
                case TLS -> tls(config, cpath);
            };
        }
        return new PulseSpec(type, interval, timeout, unhealthy, healthy, retries, groups, conditions, target);
    }

    private PulseType pulseType(MapNode p, String path) {
        Scalar s = enumScalar(p, path, "type", true);
        if (s == null) return null;
        String key = s.text;
        PulseType type = PulseType.parse(key);
        if (type == null) type = PulseType.parse(key = lower(key));
        if (type == null) {
            error(s, "pulse_check.type", Spelling.suggest("unknown type " + shown(s), key, PULSE_TYPES)
                    + " (types: " + String.join(", ", PULSE_TYPES) + ")");
        } else if (!capabilities.pulses().contains(type)) {
            error(s, "pulse_check.type", "pulse type \"" + key + "\" is not available in this build yet");
            return null;
        }
        return type;
    }

    private PulseTarget.Http http(MapNode c, String path) {
        checkKeys(c, path, HTTP_KEYS);
        URI url = url(c, path, "url", true);
        String method = method(c, path, "GET");
        List<Header> headers = headers(c, path);
        List<Integer> expected = expectedStatus(c, path);
        String bodyContains = string(c, path, "body_contains", false);
        boolean follow = bool(c, path, "follow_redirects", false);
        return new PulseTarget.Http(url, method, headers, expected, bodyContains, follow);
    }

    private PulseTarget.Tcp tcp(MapNode c, String path) {
        checkKeys(c, path, TCP_KEYS);
        return new PulseTarget.Tcp(host(c, path, "host"), port(c, path, NO_VALUE));
    }

    private PulseTarget.Icmp icmp(MapNode c, String path) {
        checkKeys(c, path, ICMP_KEYS);
        return new PulseTarget.Icmp(host(c, path, "host"), integer(c, path, "count", 1, 1, 1000),
                bool(c, path, "ignore_privilege", false));
    }

    private PulseTarget.Dns dns(MapNode c, String path) {
        checkKeys(c, path, DNS_KEYS);
        String queryName = host(c, path, "name");
        String recordType = "A";
        Scalar rt = enumScalar(c, path, "record_type", false);
        if (rt != null) {
            recordType = constant(rt.text.toUpperCase(Locale.ROOT), RECORD_TYPES);
            if (recordType == null) {
                error(rt, join(path, "record_type"), "unknown record type " + shown(rt) + " (types: "
                        + String.join(", ", RECORD_TYPES) + ")");
            }
        }
        String server = string(c, path, "server", false);
        return new PulseTarget.Dns(queryName, recordType, server, stringList(c, path, "expected"));
    }

    private PulseTarget.Tls tls(MapNode c, String path) {
        checkKeys(c, path, TLS_KEYS);
        return new PulseTarget.Tls(host(c, path, "host"), port(c, path, 443), string(c, path, "server_name", false));
    }

    private List<Integer> expectedStatus(MapNode c, String path) {
        Node v = present(c, "expected_status");
        if (v == null) return List.of();
        List<Integer> codes = new ArrayList<>(2);
        if (v instanceof SeqNode seq) {
            for (int i = 0; i < seq.size; i++) statusCode(seq.items[i], path, codes);
        } else {
            statusCode(v, path, codes);
        }
        return internList(codes);
    }

    private void statusCode(Node v, String path, List<Integer> into) {
        long code = integerValue(v, path, "expected_status");
        if (code == Long.MIN_VALUE) return;
        if (code < 100 || code > 599) error(v, path, "expected_status", "must be an HTTP status between 100 and 599");
        else into.add((int) code);
    }

    // ---- intervention -----------------------------------------------------------------------------

    private InterventionSpec intervention(MapNode iv) {
        String path = "intervention";
        checkKeys(iv, path, INTERVENTION_KEYS);
        ActionType action = null;
        Scalar s = enumScalar(iv, path, "action", true);
        if (s != null) {
            String key = s.text;
            action = ActionType.parse(key);
            if (action == null) action = ActionType.parse(key = lower(key));
            if (action == null) {
                error(s, "intervention.action", Spelling.suggest("unknown action " + shown(s), key, ACTIONS)
                        + " (actions: " + String.join(", ", ACTIONS) + ")");
            } else if (!capabilities.actions().contains(action)) {
                error(s, "intervention.action", "action \"" + key + "\" is not available in this build yet");
                action = null;
            }
        }
        int retries = integer(iv, path, "retries", 0, 0, Integer.MAX_VALUE);
        int maxFailures = integer(iv, path, "max_failures", 1, 1, Integer.MAX_VALUE);
        MapNode t = map(iv, path, "target", action != null);
        ActionTarget target = null;
        if (action != null && t != null) {
            String tpath = "intervention.target";
            target = switch (action) {
                case DOCKER -> {
                    checkKeys(t, tpath, DOCKER_KEYS);
                    yield new ActionTarget.Docker(requiredText(t, tpath, "container"),
                            duration(t, tpath, "timeout", DOCKER_TIMEOUT, true), string(t, tpath, "type", false));
                }
                case SCRIPT -> {
                    checkKeys(t, tpath, SCRIPT_KEYS);
                    yield new ActionTarget.Script(path(t, tpath, "path", true), stringList(t, tpath, "args"),
                            stringMap(t, tpath, "env"), duration(t, tpath, "timeout", SCRIPT_TIMEOUT, false));
                }
                case WEBHOOK -> {
                    checkKeys(t, tpath, WEBHOOK_ACTION_KEYS);
                    yield new ActionTarget.Webhook(url(t, tpath, "url", true), method(t, tpath, "POST"),
                            headers(t, tpath), string(t, tpath, "body", false),
                            duration(t, tpath, "timeout", WEBHOOK_ACTION_TIMEOUT, false));
                }
            };
        }
        return new InterventionSpec(action, retries, maxFailures, target);
    }

    // ---- codes ------------------------------------------------------------------------------------

    /**
     * Most monitors of a file alert the same way: a valid {@code codes} block is bound once and its result
     * reused for every block with the same content (keys, values and value kinds; positions only matter
     * for errors, and blocks with errors are never cached). The content key is built in a reused buffer.
     */
    private Map<Colour, CodeSpec> cachedCodes(MapNode codes) {
        if (codes.weight > 64) return codes(codes);
        contentKey.setLength(0);
        appendContent(codes, contentKey);
        String key = contentKey.toString();
        Map<Colour, CodeSpec> hit = codesByContent.get(key);
        if (hit != null) return hit;
        int errorsBefore = monitorErrors;
        Map<Colour, CodeSpec> bound = codes(codes);
        if (monitorErrors == errorsBefore && codesByContent.size() < Interner.MAX_ENTRIES) codesByContent.put(key, bound);
        return bound;
    }

    /** An unambiguous rendering of a subtree: every text is length-prefixed, every node tagged. */
    private static void appendContent(Node node, StringBuilder out) {
        switch (node) {
            case Scalar s -> out.append((char) ('a' + s.kind)).append(s.text.length()).append(':').append(s.text);
            case MapNode m -> {
                out.append('{');
                for (int i = 0; i < m.size; i++) {
                    out.append(m.keys[i].text.length()).append(':').append(m.keys[i].text);
                    appendContent(m.values[i], out);
                }
                out.append('}');
            }
            case SeqNode q -> {
                out.append('[');
                for (int i = 0; i < q.size; i++) appendContent(q.items[i], out);
                out.append(']');
            }
        }
    }

    private Map<Colour, CodeSpec> codes(MapNode codes) {
        checkDuplicates(codes, "codes");
        EnumMap<Colour, CodeSpec> byColour = new EnumMap<>(Colour.class);
        for (int i = 0; i < codes.size; i++) {
            Scalar key = codes.keys[i];
            Colour colour = Colour.parse(key.text);
            if (colour == null) colour = Colour.parse(lower(key.text));
            if (colour == null) {
                error(key, join("codes", key.text), Spelling.suggest("unknown colour " + key.text, key.text, COLOURS)
                        + " (colours: " + String.join(", ", COLOURS) + ")");
                continue;
            }
            String path = "codes." + colour.key();
            Node v = codes.values[i];
            if (!(v instanceof MapNode code)) {
                error(v, path, "expected a mapping with notify and config, got " + v.kindName());
                continue;
            }
            CodeSpec spec = code(colour, code, path);
            if (spec != null && !byColour.containsKey(colour)) byColour.put(colour, codeSpecs.intern(spec));
        }
        return byColour.isEmpty() ? Map.of() : codeMaps.intern(Collections.unmodifiableMap(byColour));
    }

    private CodeSpec code(Colour colour, MapNode code, String path) {
        checkKeys(code, path, CODE_KEYS);
        NotifierType notifier = null;
        Scalar s = enumScalar(code, path, "notify", true);
        if (s != null) {
            String key = s.text;
            notifier = NotifierType.parse(key);
            if (notifier == null) notifier = NotifierType.parse(key = lower(key));
            if (notifier == null) {
                error(s, join(path, "notify"), Spelling.suggest("unknown notify " + shown(s), key, NOTIFIERS)
                        + " (notifiers: " + String.join(", ", NOTIFIERS) + ")");
            } else if (!capabilities.notifiers().contains(notifier)) {
                error(s, join(path, "notify"), "notify \"" + key + "\" is not available in this build yet");
                notifier = null;
            }
        }
        boolean dispatch = bool(code, path, "dispatch", true);
        List<String> groups = stringList(code, path, "groups");
        long repeat = duration(code, path, "repeat", 0, false);
        if (repeat > 0 && colour != Colour.RED) {
            error(code.get("repeat"), join(path, "repeat"), "repeat is only supported on red");
        }
        MapNode config = map(code, path, "config", notifier != null);
        if (notifier == null || config == null) return null;
        String cpath = path + ".config";
        NotifyConfig nc = switch (notifier) {
            case LOG -> {
                checkKeys(config, cpath, LOG_KEYS);
                // v0.5 files write file: "" for standard output
                Node f = present(config, "file");
                yield new NotifyConfig.Log(f instanceof Scalar fs && fs.text.isEmpty() ? null : path(config, cpath, "file", true));
            }
            case SLACK -> {
                checkKeys(config, cpath, SLACK_KEYS);
                yield new NotifyConfig.Slack(url(config, cpath, "hook", true));
            }
            case PAGERDUTY -> {
                checkKeys(config, cpath, PAGERDUTY_KEYS);
                URI url = url(config, cpath, "url", false);
                yield new NotifyConfig.PagerDuty(url == null ? PAGERDUTY_URL : url, requiredText(config, cpath, "routing_key"));
            }
            case WEBHOOK -> {
                checkKeys(config, cpath, WEBHOOK_NOTIFY_KEYS);
                yield new NotifyConfig.Webhook(url(config, cpath, "url", true), headers(config, cpath));
            }
            case EMAIL -> {
                checkKeys(config, cpath, EMAIL_KEYS);
                List<String> to = stringList(config, cpath, "to");
                if (to.isEmpty()) missing(config, cpath, "to");
                yield new NotifyConfig.Email(to, requiredText(config, cpath, "from"), host(config, cpath, "smtp_host"),
                        integer(config, cpath, "smtp_port", 587, 1, 65535), string(config, cpath, "username", false),
                        string(config, cpath, "password", false), bool(config, cpath, "starttls", true));
            }
        };
        return new CodeSpec(colour, notifier, dispatch, notifyConfigs.intern(nc), groups, repeat);
    }

    // ---- maps of strings (metadata, script env) ----------------------------------------------------

    private Map<String, String> stringMap(MapNode m, String path, String key) {
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
    private static Node present(MapNode m, String key) {
        Node v = m.get(key);
        return v instanceof Scalar s && s.isNull() ? null : v;
    }

    private MapNode map(MapNode m, String path, String key, boolean required) {
        Node v = present(m, key);
        if (v == null) {
            if (required) missing(m, path, key);
            return null;
        }
        if (v instanceof MapNode map) return map;
        error(v, join(path, key), "expected a mapping, got " + v.kindName());
        return null;
    }

    private String string(MapNode m, String path, String key, boolean required) {
        Node v = present(m, key);
        if (v == null) {
            if (required) missing(m, path, key);
            return null;
        }
        return scalarText(v, path, key);
    }

    /** A required string that must not be empty. */
    private String requiredText(MapNode m, String path, String key) {
        String s = string(m, path, key, true);
        if (s != null && s.isBlank()) {
            error(m.get(key), join(path, key), "must not be empty");
            return null;
        }
        return s;
    }

    private String host(MapNode m, String path, String key) {
        String host = requiredText(m, path, key);
        if (host != null && (host.indexOf(' ') >= 0 || host.indexOf('/') >= 0)) {
            error(m.get(key), join(path, key), "must be a host name or address (no scheme, path or spaces)");
            return null;
        }
        return host;
    }

    private int port(MapNode m, String path, int dflt) {
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
    private Scalar enumScalar(MapNode m, String path, String key, boolean required) {
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

    private int integer(MapNode m, String path, String key, int dflt, int min, int max) {
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
    private long integerValue(Node v, String path, String key) {
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

    private boolean bool(MapNode m, String path, String key, boolean dflt) {
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
    private long duration(MapNode m, String path, String key, long dflt, boolean nanosInJson) {
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
    private List<String> stringList(MapNode m, String path, String key) {
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
    private <T> List<T> internList(List<T> list) {
        return list.isEmpty() ? List.of() : (List<T>) lists.intern(List.copyOf(list));
    }

    private List<Header> headers(MapNode m, String path) {
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

    private String method(MapNode m, String path, String dflt) {
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

    private URI url(MapNode m, String path, String key, boolean required) {
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

    private Path path(MapNode m, String path, String key, boolean required) {
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
    private int aliased(MapNode a, String aPath, String aKey, MapNode b, String bPath, String bKey, int dflt, int min) {
        int va = integer(a, aPath, aKey, NO_VALUE, min, Integer.MAX_VALUE);
        int vb = integer(b, bPath, bKey, NO_VALUE, min, Integer.MAX_VALUE);
        if (va != NO_VALUE && vb != NO_VALUE && va != vb) {
            error(b.get(bKey), bPath, bKey, "contradicts " + join(aPath, aKey) + "; keep one");
        }
        return va != NO_VALUE ? va : vb != NO_VALUE ? vb : dflt;
    }

    // ---- keys, errors, substitution ---------------------------------------------------------------

    /** Unknown keys (with a suggestion) and repeated known keys; a repeated unknown key is reported as unknown. */
    private void checkKeys(MapNode m, String path, String[] known) {
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

    private void checkDuplicates(MapNode m, String path) {
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

    private void missing(MapNode parent, String path, String key) {
        error(parent, join(path, key), "missing required field");
    }

    private void error(Node at, String path, String key, String message) {
        error(at, join(path, key), message);
    }

    private void error(Node at, String field, String message) {
        monitorErrors++;
        errors.add(new ConfigError(file, at.line, at.column, monitorId(), field, message));
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
    private static String shown(Scalar s) {
        return s.text.indexOf('$') >= 0 ? "(from ${...})" : "\"" + s.text + "\"";
    }

    /** @return the array's own instance equal to {@code s}, or null: lets repeated values share one String */
    private static String constant(String s, String[] known) {
        for (String k : known) if (k.equals(s)) return k;
        return null;
    }

    /** Lower case without allocating for the usual already-lower-case value. */
    private static String lower(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') return s.toLowerCase(Locale.ROOT);
        }
        return s;
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String[] keys(Enum<?>[] values) {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) out[i] = values[i].name().toLowerCase(Locale.ROOT);
        return out;
    }
}
