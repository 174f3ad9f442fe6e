package io.cpra.api;

import io.cpra.config.Colour;
import io.cpra.config.Durations;
import io.cpra.config.PulseTarget;
import io.cpra.engine.Engine;
import io.cpra.engine.EngineStats;
import io.cpra.engine.MonitorState;
import io.cpra.engine.MonitorView;
import io.cpra.engine.OperatorViews.CheckNow;
import io.cpra.engine.OperatorViews.CheckRecord;
import io.cpra.engine.OperatorViews.Detail;
import io.cpra.engine.OperatorViews.Page;
import io.cpra.engine.OperatorViews.Query;
import io.cpra.engine.OperatorViews.Row;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Monitors, incidents, the summary and recent alert deliveries; pause, resume and check-now. */
final class MonitorResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1_000;

    record MonitorRow(String name, String state, String colour, List<String> groups, String incidentId,
                      String incidentSince, String lastError) {}

    record MonitorList(List<MonitorRow> monitors, String nextCursor, int scanned) {}

    record Thresholds(int unhealthy, int recovery, int verify) {}

    record Intervention(String action, int maxFailures) {}

    record Counts(int failures, int successes, int verifyLeft, int failedRuns, long alertSequence) {}

    record Incident(String id, String since) {}

    record Result(String at, boolean ok, Double latencyMs, String error) {}

    record MonitorDetail(String name, String state, String colour, List<String> groups, String type, String target,
                         String interval, String timeout, int retries, Thresholds thresholds,
                         Intervention intervention, List<String> colours, Counts counters, boolean checkInFlight,
                         boolean runInFlight, Incident incident, String lastError, List<Result> recent) {}

    record Change(String name, String state, boolean changed) {}

    private final Engine engine;
    private final AlertLog alerts;
    private final Rate checkRate = new Rate();

    MonitorResource(Engine engine, AlertLog alerts) {
        this.engine = engine;
        this.alerts = alerts;
    }

    void routes(Router r) {
        r.add("GET", "/api/v1/monitors", this::list)
                .add("GET", "/api/v1/monitors/{name}", this::detail)
                .add("POST", "/api/v1/monitors/{name}/pause", c -> change(c, engine::pause))
                .add("POST", "/api/v1/monitors/{name}/resume", c -> change(c, engine::resume))
                .add("POST", "/api/v1/monitors/{name}/check-now", this::checkNow)
                .add("GET", "/api/v1/incidents", this::incidents)
                .add("GET", "/api/v1/alerts", c -> Reply.ok(Map.of("alerts",
                        alerts.recent(c.intQuery("limit", DEFAULT_LIMIT, 1, AlertLog.CAPACITY)))))
                .add("GET", "/api/v1/summary", c -> Reply.ok(summary()));
    }

    private Reply list(Call c) {
        String state = c.query("state");
        MonitorState parsedState = null;
        if (state != null) {
            try {
                parsedState = MonitorState.valueOf(state.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw HttpError.badRequest("unknown state '" + state + "'; one of unknown, healthy, degraded, "
                        + "remediating, verifying, unhealthy, paused");
            }
        }
        String colour = c.query("colour") != null ? c.query("colour") : c.query("color");
        if (colour != null && !colour.equals(Query.NO_COLOUR) && Colour.parse(colour) == null) {
            throw HttpError.badRequest("unknown colour '" + colour + "'; one of yellow, red, cyan, green, gray, none");
        }
        return page(c, new Query(parsedState, colour, c.query("group"), c.query("name"), false, 0, 0, 0));
    }

    private Reply incidents(Call c) {
        return page(c, new Query(null, null, null, null, true, 0, 0, 0));
    }

    /** Cursor paging ({@code cursor}, from the previous page's {@code next_cursor}) or offset paging ({@code offset}). */
    private Reply page(Call c, Query filter) {
        int limit = c.intQuery("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        int cursor = c.intQuery("cursor", 0, 0, Integer.MAX_VALUE);
        int offset = c.intQuery("offset", 0, 0, Integer.MAX_VALUE);
        if (cursor > 0 && offset > 0) throw HttpError.badRequest("use either cursor or offset, not both");
        Page page = engine.monitors(new Query(filter.state(), filter.colour(), filter.group(), filter.nameContains(),
                filter.openIncident(), cursor, offset, limit));
        List<MonitorRow> rows = page.monitors().stream().map(MonitorResource::row).toList();
        String next = page.next() < 0 ? null : Integer.toString(page.next());
        return Reply.ok(new MonitorList(rows, next, page.scanned()));
    }

    private Reply detail(Call c) {
        Detail d = engine.detail(c.path("name"));
        if (d == null) throw unknown(c);
        MonitorView v = d.view();
        Intervention intervention = d.intervention() == null ? null
                : new Intervention(d.intervention().key(), d.maxFailedRuns());
        Incident incident = v.incidentId() == null ? null : new Incident(v.incidentId(), time(d.incidentSince()));
        List<Result> recent = d.recent().stream().map(MonitorResource::result).toList();
        return Reply.ok(new MonitorDetail(v.name(), key(v.state()), colour(d.colour()), d.groups(), d.type().key(),
                target(d.target()), Durations.format(d.intervalNanos()), Durations.format(d.timeoutNanos()), d.retries(),
                new Thresholds(d.unhealthyThreshold(), d.recoveryThreshold(), d.verifyThreshold()), intervention,
                d.colours().stream().map(Colour::key).toList(),
                new Counts(v.failures(), v.successes(), v.verifyLeft(), v.failedRuns(), v.alertSequence()),
                v.checkInFlight(), v.runInFlight(), incident, v.lastError(), recent));
    }

    private interface Toggle {
        boolean apply(String name);
    }

    private Reply change(Call c, Toggle toggle) {
        String name = c.path("name");
        if (engine.lookup(name) == null) throw unknown(c);
        boolean changed = toggle.apply(name);
        MonitorView after = engine.lookup(name);
        if (after == null) throw unknown(c);
        return Reply.ok(new Change(name, key(after.state()), changed));
    }

    private Reply checkNow(Call c) {
        CheckNow outcome = engine.checkNow(c.path("name"));
        return switch (outcome) {
            case QUEUED -> Reply.json(202, Map.of("name", c.path("name"), "queued", true));
            case NO_SUCH_MONITOR -> throw unknown(c);
            case PAUSED -> throw HttpError.conflict("monitor is paused: resume it first");
            case REMEDIATING -> throw HttpError.conflict("monitor is remediating: its intervention decides, no check runs");
            case ALREADY_DUE -> throw HttpError.conflict("a check of this monitor is already due or in flight");
        };
    }

    private Map<String, Object> summary() {
        EngineStats s = engine.stats();
        Map<String, Object> byState = new LinkedHashMap<>();
        for (MonitorState state : MonitorState.values()) byState.put(key(state), s.monitorsByState().getOrDefault(state, 0));
        Map<String, Object> byColour = new LinkedHashMap<>();
        for (Colour colour : Colour.values()) byColour.put(colour.key(), engine.countByColour(colour));
        byColour.put(Query.NO_COLOUR, engine.countByColour(null));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("monitors", s.monitors());
        out.put("by_state", byState);
        out.put("by_colour", byColour);
        double rate = checkRate.update(s.checksCompleted(), System.nanoTime());
        out.put("checks_per_second", Double.isNaN(rate) ? null : Math.round(rate * 10) / 10.0);
        out.put("checks_completed", s.checksCompleted());
        out.put("in_flight", s.inFlight());
        out.put("runs_in_flight", s.runsInFlight());
        out.put("waiting", s.waiting());
        out.put("late", s.late());
        out.put("missed", s.missed());
        out.put("deadlines_expired", s.deadlinesExpired());
        out.put("stale_dropped", s.staleDropped());
        out.put("alerts_raised", s.alertsRaised());
        out.put("maintenance_active", engine.counters().maintenanceActive());
        return out;
    }

    private static MonitorRow row(Row r) {
        return new MonitorRow(r.name(), key(r.state()), colour(r.colour()), r.groups(), r.incidentId(),
                time(r.incidentSince()), r.lastError());
    }

    private static Result result(CheckRecord r) {
        return new Result(time(r.at()), r.error() == null, r.latencyMs() < 0 ? null : r.latencyMs(), r.error());
    }

    static String target(PulseTarget target) {
        return switch (target) {
            case PulseTarget.Http h -> h.method() + " " + h.url();
            case PulseTarget.Tcp t -> t.host() + ":" + t.port();
            case PulseTarget.Icmp i -> i.host();
            case PulseTarget.Dns d -> d.recordType() + " " + d.name() + (d.server() == null ? "" : " @" + d.server());
            case PulseTarget.Tls t -> t.host() + ":" + t.port();
        };
    }

    private static HttpError unknown(Call c) {
        return HttpError.notFound("no monitor named '" + c.path("name") + "'");
    }

    static String key(MonitorState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    private static String colour(Colour c) {
        return c == null ? null : c.key();
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    /** Checks per second over at least the last second; NaN until a second has passed since the first call. */
    static final class Rate {
        private long previousCount = -1;
        private long previousNanos;
        private double rate = Double.NaN;

        synchronized double update(long count, long nanos) {
            if (previousCount < 0) {
                previousCount = count;
                previousNanos = nanos;
            } else if (nanos - previousNanos >= 1_000_000_000L) {
                rate = (count - previousCount) * 1e9 / (nanos - previousNanos);
                previousCount = count;
                previousNanos = nanos;
            }
            return rate;
        }
    }
}
