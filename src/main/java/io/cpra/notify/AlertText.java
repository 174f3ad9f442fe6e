package io.cpra.notify;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The human texts and the JSON form of an alert, shared by every notifier so that a log line, a Slack
 * message and a webhook body say the same thing.
 */
final class AlertText {

    /** RFC 3339, UTC, always with milliseconds (ISO_INSTANT drops a zero fraction). */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private AlertText() {}

    static String timestamp(Alert alert) { return TIMESTAMP.format(Instant.ofEpochMilli(alert.epochMillis())); }

    /** For example "checkout-api is FAILED". */
    static String summary(Alert alert) { return alert.monitor() + " is " + alert.colour().status(); }

    static String message(Alert alert) {
        String m = alert.monitor();
        return switch (alert.colour()) {
            case YELLOW -> m + " failed a health check" + because(alert);
            case RED -> (alert.action() == null ? m + " is down" : m + " is down and intervention "
                    + alert.action() + " did not restore it") + because(alert);
            case CYAN -> "intervention " + (alert.action() == null ? "" : alert.action() + " ")
                    + "succeeded, verifying " + m;
            case GREEN -> m + " is healthy again";
            case GRAY -> m + " is paused, checks are suspended";
        };
    }

    static String nextSteps(Alert alert) {
        return switch (alert.colour()) {
            case YELLOW -> alert.action() == null ? "watch: red follows if failures continue"
                    : "watch: intervention " + alert.action() + " runs if failures continue";
            case RED -> alert.action() == null ? "investigate: no intervention configured"
                    : "investigate: intervention exhausted";
            case CYAN -> "verify: waiting for healthy checks";
            case GREEN -> "none";
            case GRAY -> "none: checks resume when the monitor is resumed";
        };
    }

    private static String because(Alert alert) { return alert.error() == null ? "" : ": " + alert.error(); }

    /**
     * Writes the alert as one JSON object with the fields of LIFECYCLE.md, in a fixed order. Every field is
     * always present; {@code action}, {@code incident_id} and {@code error} are null where they do not
     * apply, so consumers see one schema.
     */
    static void writeJson(JsonGenerator json, Alert alert) throws IOException {
        json.writeStartObject();
        json.writeStringField("timestamp", timestamp(alert));
        json.writeStringField("type", "code");
        json.writeStringField("monitor", alert.monitor());
        json.writeNumberField("job_id", alert.jobId());
        json.writeStringField("color", alert.colour().key());
        json.writeStringField("status", alert.colour().status());
        json.writeStringField("severity", alert.colour().severity());
        json.writeStringField("summary", summary(alert));
        json.writeStringField("action", alert.action());
        json.writeStringField("next_steps", nextSteps(alert));
        json.writeStringField("message", message(alert));
        json.writeStringField("incident_id", alert.incidentId());
        json.writeStringField("error", alert.error());
        json.writeEndObject();
    }
}
