package io.cpra.config;

import io.cpra.checks.conditions.Conditions;

import io.cpra.config.Node.MapNode;
import io.cpra.config.Node.Scalar;
import io.cpra.config.Node.SeqNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Validates one monitor's tree against the schema of CONFIG.md and binds it to a {@link MonitorSpec}
 * with every default applied. Reports every problem it finds (through {@link Fields}, which reads and
 * checks single values); returns null when the monitor had any. One instance serves a whole load, shares
 * equal alerting settings across its monitors, and is not thread-safe.
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

    private final Capabilities capabilities;
    private final Fields fields;
    private final Interner<NotifyConfig> notifyConfigs = new Interner<>();
    private final Interner<CodeSpec> codeSpecs = new Interner<>();
    private final Interner<Map<Colour, CodeSpec>> codeMaps = new Interner<>();
    private final HashMap<String, Map<Colour, CodeSpec>> codesByContent = new HashMap<>();
    private final StringBuilder contentKey = new StringBuilder(256);

    private String name;
    private Scalar nameNode;

    MonitorBinder(Capabilities capabilities, Map<String, String> env, ErrorList errors) {
        this.capabilities = capabilities;
        this.fields = new Fields(env, errors);
    }

    /** @return the bound monitor, or null when it has errors (all reported) */
    MonitorSpec bind(Node node, int position, String file) {
        fields.startMonitor(file, position);
        this.name = null;
        this.nameNode = null;
        if (!(node instanceof MapNode m)) {
            fields.error(node, "", "a monitor must be a mapping, got " + node.kindName());
            return null;
        }
        String monitorName = fields.string(m, "", "name", true);
        if (monitorName != null) {
            if (monitorName.isBlank()) {
                fields.error(m.get("name"), "name", "must not be empty");
            } else {
                name = monitorName;
                nameNode = (Scalar) m.get("name");
                fields.nameMonitor(name);
            }
        }
        fields.checkKeys(m, "", MONITOR_KEYS);
        boolean enabled = fields.bool(m, "", "enabled", true);
        MapNode pulseNode = fields.map(m, "", "pulse_check", true);
        PulseSpec pulse = pulseNode == null ? null : pulse(pulseNode);
        MapNode interventionNode = fields.map(m, "", "intervention", false);
        InterventionSpec intervention = interventionNode == null ? null : intervention(interventionNode);
        MapNode codesNode = fields.map(m, "", "codes", false);
        Map<Colour, CodeSpec> codes = codesNode == null ? Map.of() : cachedCodes(codesNode);
        Map<String, String> metadata = fields.stringMap(m, "", "metadata");
        List<String> notifyGroups = fields.stringList(m, "", "notify_groups");
        if (fields.monitorErrors() > 0) return null;
        return new MonitorSpec(name, enabled, pulse, intervention, codes, metadata, notifyGroups,
                new SourcePosition(file, node.line, node.column));
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
        fields.checkKeys(p, path, PULSE_KEYS);
        PulseType type = pulseType(p, path);
        long interval = fields.duration(p, path, "interval", Fields.NO_VALUE, false);
        long timeout = fields.duration(p, path, "timeout", Fields.NO_VALUE, false);
        if (interval > 0 && timeout > 0 && timeout > interval) {
            fields.error(p.get("timeout"), "pulse_check.timeout", "must not exceed interval");
        }
        int unhealthy = fields.aliased(p, path, "unhealthy_threshold", p, path, "max_failures", 1, 1);
        int healthy = fields.integer(p, path, "healthy_threshold", 0, 0, Integer.MAX_VALUE);
        List<String> groups = fields.stringList(p, path, "groups");
        List<String> conditions = fields.stringList(p, path, "conditions");
        checkConditions(p.get("conditions"));
        MapNode config = fields.map(p, path, "config", type != null);
        String cpath = "pulse_check.config";
        // retries may sit under pulse_check (v0.5) or its config; both is fine only when they agree
        int retries = config == null ? fields.integer(p, path, "retries", 0, 0, Integer.MAX_VALUE)
                : fields.aliased(p, path, "retries", config, cpath, "retries", 0, 0);
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

    /** Conditions are parsed once here, so a malformed one is a load error at its own line and column. */
    private void checkConditions(Node conditions) {
        if (conditions instanceof SeqNode seq) {
            for (int i = 0; i < seq.size; i++) checkCondition(seq.items[i], "pulse_check.conditions[" + i + "]");
        } else if (conditions != null) {
            checkCondition(conditions, "pulse_check.conditions");
        }
    }

    private void checkCondition(Node node, String field) {
        if (!(node instanceof Scalar s)) return; // stringList reported it
        Conditions.validate(s.text).ifPresent(e -> {
            int quote = s.kind == Scalar.STRING ? 1 : 0;
            fields.error(s.line, s.column + quote + e.column() - 1, field, "invalid condition: " + e.message());
        });
    }

    private PulseType pulseType(MapNode p, String path) {
        Scalar s = fields.enumScalar(p, path, "type", true);
        if (s == null) return null;
        String key = s.text;
        PulseType type = PulseType.parse(key);
        if (type == null) type = PulseType.parse(key = Fields.lower(key));
        if (type == null) {
            fields.error(s, "pulse_check.type", Spelling.suggest("unknown type " + Fields.shown(s), key, PULSE_TYPES)
                    + " (types: " + String.join(", ", PULSE_TYPES) + ")");
        } else if (!capabilities.pulses().contains(type)) {
            fields.error(s, "pulse_check.type", "pulse type \"" + key + "\" is not available in this build yet");
            return null;
        }
        return type;
    }

    private PulseTarget.Http http(MapNode c, String path) {
        fields.checkKeys(c, path, HTTP_KEYS);
        URI url = fields.url(c, path, "url", true);
        String method = fields.method(c, path, "GET");
        List<Header> headers = fields.headers(c, path);
        List<Integer> expected = expectedStatus(c, path);
        String bodyContains = fields.string(c, path, "body_contains", false);
        boolean follow = fields.bool(c, path, "follow_redirects", false);
        return new PulseTarget.Http(url, method, headers, expected, bodyContains, follow);
    }

    private PulseTarget.Tcp tcp(MapNode c, String path) {
        fields.checkKeys(c, path, TCP_KEYS);
        return new PulseTarget.Tcp(fields.host(c, path, "host"), fields.port(c, path, Fields.NO_VALUE));
    }

    private PulseTarget.Icmp icmp(MapNode c, String path) {
        fields.checkKeys(c, path, ICMP_KEYS);
        return new PulseTarget.Icmp(fields.host(c, path, "host"), fields.integer(c, path, "count", 1, 1, 1000),
                fields.bool(c, path, "ignore_privilege", false));
    }

    private PulseTarget.Dns dns(MapNode c, String path) {
        fields.checkKeys(c, path, DNS_KEYS);
        String queryName = fields.host(c, path, "name");
        String recordType = "A";
        Scalar rt = fields.enumScalar(c, path, "record_type", false);
        if (rt != null) {
            recordType = Fields.constant(rt.text.toUpperCase(Locale.ROOT), RECORD_TYPES);
            if (recordType == null) {
                fields.error(rt, Fields.join(path, "record_type"), "unknown record type " + Fields.shown(rt) + " (types: "
                        + String.join(", ", RECORD_TYPES) + ")");
            }
        }
        String server = fields.string(c, path, "server", false);
        return new PulseTarget.Dns(queryName, recordType, server, fields.stringList(c, path, "expected"));
    }

    private PulseTarget.Tls tls(MapNode c, String path) {
        fields.checkKeys(c, path, TLS_KEYS);
        return new PulseTarget.Tls(fields.host(c, path, "host"), fields.port(c, path, 443), fields.string(c, path, "server_name", false));
    }

    private List<Integer> expectedStatus(MapNode c, String path) {
        Node v = Fields.present(c, "expected_status");
        if (v == null) return List.of();
        List<Integer> codes = new ArrayList<>(2);
        if (v instanceof SeqNode seq) {
            for (int i = 0; i < seq.size; i++) statusCode(seq.items[i], path, codes);
        } else {
            statusCode(v, path, codes);
        }
        return fields.internList(codes);
    }

    private void statusCode(Node v, String path, List<Integer> into) {
        long code = fields.integerValue(v, path, "expected_status");
        if (code == Long.MIN_VALUE) return;
        if (code < 100 || code > 599) fields.error(v, path, "expected_status", "must be an HTTP status between 100 and 599");
        else into.add((int) code);
    }

    // ---- intervention -----------------------------------------------------------------------------

    private InterventionSpec intervention(MapNode iv) {
        String path = "intervention";
        fields.checkKeys(iv, path, INTERVENTION_KEYS);
        ActionType action = null;
        Scalar s = fields.enumScalar(iv, path, "action", true);
        if (s != null) {
            String key = s.text;
            action = ActionType.parse(key);
            if (action == null) action = ActionType.parse(key = Fields.lower(key));
            if (action == null) {
                fields.error(s, "intervention.action", Spelling.suggest("unknown action " + Fields.shown(s), key, ACTIONS)
                        + " (actions: " + String.join(", ", ACTIONS) + ")");
            } else if (!capabilities.actions().contains(action)) {
                fields.error(s, "intervention.action", "action \"" + key + "\" is not available in this build yet");
                action = null;
            }
        }
        int retries = fields.integer(iv, path, "retries", 0, 0, Integer.MAX_VALUE);
        int maxFailures = fields.integer(iv, path, "max_failures", 1, 1, Integer.MAX_VALUE);
        MapNode t = fields.map(iv, path, "target", action != null);
        ActionTarget target = null;
        if (action != null && t != null) {
            String tpath = "intervention.target";
            target = switch (action) {
                case DOCKER -> {
                    fields.checkKeys(t, tpath, DOCKER_KEYS);
                    yield new ActionTarget.Docker(fields.requiredText(t, tpath, "container"),
                            fields.duration(t, tpath, "timeout", DOCKER_TIMEOUT, true), fields.string(t, tpath, "type", false));
                }
                case SCRIPT -> {
                    fields.checkKeys(t, tpath, SCRIPT_KEYS);
                    yield new ActionTarget.Script(fields.path(t, tpath, "path", true), fields.stringList(t, tpath, "args"),
                            fields.stringMap(t, tpath, "env"), fields.duration(t, tpath, "timeout", SCRIPT_TIMEOUT, false));
                }
                case WEBHOOK -> {
                    fields.checkKeys(t, tpath, WEBHOOK_ACTION_KEYS);
                    yield new ActionTarget.Webhook(fields.url(t, tpath, "url", true), fields.method(t, tpath, "POST"),
                            fields.headers(t, tpath), fields.string(t, tpath, "body", false),
                            fields.duration(t, tpath, "timeout", WEBHOOK_ACTION_TIMEOUT, false));
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
        int errorsBefore = fields.monitorErrors();
        Map<Colour, CodeSpec> bound = codes(codes);
        if (fields.monitorErrors() == errorsBefore && codesByContent.size() < Interner.MAX_ENTRIES) codesByContent.put(key, bound);
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
        fields.checkDuplicates(codes, "codes");
        EnumMap<Colour, CodeSpec> byColour = new EnumMap<>(Colour.class);
        for (int i = 0; i < codes.size; i++) {
            Scalar key = codes.keys[i];
            Colour colour = Colour.parse(key.text);
            if (colour == null) colour = Colour.parse(Fields.lower(key.text));
            if (colour == null) {
                fields.error(key, Fields.join("codes", key.text), Spelling.suggest("unknown colour " + key.text, key.text, COLOURS)
                        + " (colours: " + String.join(", ", COLOURS) + ")");
                continue;
            }
            String path = "codes." + colour.key();
            Node v = codes.values[i];
            if (!(v instanceof MapNode code)) {
                fields.error(v, path, "expected a mapping with notify and config, got " + v.kindName());
                continue;
            }
            CodeSpec spec = code(colour, code, path);
            if (spec != null && !byColour.containsKey(colour)) byColour.put(colour, codeSpecs.intern(spec));
        }
        return byColour.isEmpty() ? Map.of() : codeMaps.intern(Collections.unmodifiableMap(byColour));
    }

    private CodeSpec code(Colour colour, MapNode code, String path) {
        fields.checkKeys(code, path, CODE_KEYS);
        NotifierType notifier = null;
        Scalar s = fields.enumScalar(code, path, "notify", true);
        if (s != null) {
            String key = s.text;
            notifier = NotifierType.parse(key);
            if (notifier == null) notifier = NotifierType.parse(key = Fields.lower(key));
            if (notifier == null) {
                fields.error(s, Fields.join(path, "notify"), Spelling.suggest("unknown notify " + Fields.shown(s), key, NOTIFIERS)
                        + " (notifiers: " + String.join(", ", NOTIFIERS) + ")");
            } else if (!capabilities.notifiers().contains(notifier)) {
                fields.error(s, Fields.join(path, "notify"), "notify \"" + key + "\" is not available in this build yet");
                notifier = null;
            }
        }
        boolean dispatch = fields.bool(code, path, "dispatch", true);
        List<String> groups = fields.stringList(code, path, "groups");
        long repeat = fields.duration(code, path, "repeat", 0, false);
        if (repeat > 0 && colour != Colour.RED) {
            fields.error(code.get("repeat"), Fields.join(path, "repeat"), "repeat is only supported on red");
        }
        MapNode config = fields.map(code, path, "config", notifier != null);
        if (notifier == null || config == null) return null;
        String cpath = path + ".config";
        NotifyConfig nc = switch (notifier) {
            case LOG -> {
                fields.checkKeys(config, cpath, LOG_KEYS);
                // v0.5 files write file: "" for standard output
                Node f = Fields.present(config, "file");
                yield new NotifyConfig.Log(f instanceof Scalar fs && fs.text.isEmpty() ? null : fields.path(config, cpath, "file", true));
            }
            case SLACK -> {
                fields.checkKeys(config, cpath, SLACK_KEYS);
                yield new NotifyConfig.Slack(fields.url(config, cpath, "hook", true));
            }
            case PAGERDUTY -> {
                fields.checkKeys(config, cpath, PAGERDUTY_KEYS);
                URI url = fields.url(config, cpath, "url", false);
                yield new NotifyConfig.PagerDuty(url == null ? PAGERDUTY_URL : url, fields.requiredText(config, cpath, "routing_key"));
            }
            case WEBHOOK -> {
                fields.checkKeys(config, cpath, WEBHOOK_NOTIFY_KEYS);
                yield new NotifyConfig.Webhook(fields.url(config, cpath, "url", true), fields.headers(config, cpath));
            }
            case EMAIL -> {
                fields.checkKeys(config, cpath, EMAIL_KEYS);
                List<String> to = fields.stringList(config, cpath, "to");
                if (to.isEmpty()) fields.missing(config, cpath, "to");
                yield new NotifyConfig.Email(to, fields.requiredText(config, cpath, "from"), fields.host(config, cpath, "smtp_host"),
                        fields.integer(config, cpath, "smtp_port", 587, 1, 65535), fields.string(config, cpath, "username", false),
                        fields.string(config, cpath, "password", false), fields.bool(config, cpath, "starttls", true));
            }
        };
        return new CodeSpec(colour, notifier, dispatch, notifyConfigs.intern(nc), groups, repeat);
    }

    private static String[] keys(Enum<?>[] values) {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) out[i] = values[i].name().toLowerCase(Locale.ROOT);
        return out;
    }
}
