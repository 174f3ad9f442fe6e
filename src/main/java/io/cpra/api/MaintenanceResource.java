package io.cpra.api;

import io.cpra.engine.Engine;
import io.cpra.engine.OperatorViews.MaintenanceWindow;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Maintenance windows: {@code POST /api/v1/maintenance {"monitors":[..],"groups":[..],"start":"RFC3339",
 * "end":"RFC3339"}} (201 with the window), {@code GET /api/v1/maintenance}, {@code DELETE
 * /api/v1/maintenance/{id}} (ends an active window at once). The engine enters and leaves windows by its
 * own clock: entering is PAUSED with gray, leaving is UNKNOWN.
 */
final class MaintenanceResource {

    record NewWindow(List<String> monitors, List<String> groups, String start, String end) {}

    record Window(long id, List<String> monitors, List<String> groups, String start, String end, boolean active) {}

    private final Engine engine;

    MaintenanceResource(Engine engine) {
        this.engine = engine;
    }

    void routes(Router r) {
        r.add("GET", "/api/v1/maintenance",
                        c -> Reply.ok(Map.of("windows", engine.maintenanceWindows().stream().map(MaintenanceResource::view).toList())))
                .add("POST", "/api/v1/maintenance", this::create)
                .add("DELETE", "/api/v1/maintenance/{id}", this::delete);
    }

    private Reply create(Call c) throws IOException {
        NewWindow w = Json.read(c.body(), NewWindow.class);
        if (w.start() == null || w.end() == null) throw HttpError.badRequest("start and end are required (RFC 3339)");
        List<String> monitors = w.monitors() == null ? List.of() : w.monitors();
        List<String> groups = w.groups() == null ? List.of() : w.groups();
        if (monitors.stream().anyMatch(Objects::isNull) || groups.stream().anyMatch(Objects::isNull)) throw HttpError.badRequest("monitors and groups must be strings");
        try {
            return Reply.json(201, view(engine.addMaintenance(monitors, groups, time("start", w.start()), time("end", w.end()))));
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(e.getMessage());
        }
    }

    private Reply delete(Call c) {
        long id;
        try {
            id = Long.parseLong(c.path("id"));
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("maintenance id must be a number, got '" + c.path("id") + "'");
        }
        if (!engine.removeMaintenance(id)) throw HttpError.notFound("no maintenance window " + id);
        return Reply.ok(Map.of("deleted", id));
    }

    private static Instant time(String field, String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw HttpError.badRequest(field + " must be an RFC 3339 time such as 2026-11-22T13:00:00Z, got '" + text + "'");
        }
    }

    private static Window view(MaintenanceWindow w) {
        return new Window(w.id(), w.monitors(), w.groups(), w.start().toString(), w.end().toString(), w.active());
    }
}
