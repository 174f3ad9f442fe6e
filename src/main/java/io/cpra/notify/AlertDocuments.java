package io.cpra.notify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.cpra.config.Colour;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The JSON bodies of the HTTP notifiers. */
final class AlertDocuments {

    private static final JsonFactory JSON = new JsonFactory();

    private AlertDocuments() {}

    @FunctionalInterface
    private interface Writer {
        void write(JsonGenerator json) throws IOException;
    }

    private static byte[] render(Writer writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            writer.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory
        }
        return out.toByteArray();
    }

    /** Webhook: the alert with the fields of a log line. */
    static byte[] webhook(Alert alert) { return render(json -> AlertText.writeJson(json, alert)); }

    /** Slack colour bar per code. */
    static String slackColour(Colour colour) {
        return switch (colour) {
            case RED -> "#d50200";
            case YELLOW -> "#f2c744";
            case GREEN -> "#2eb886";
            case CYAN -> "#1fb2c4";
            case GRAY -> "#9e9e9e";
        };
    }

    /** Slack incoming webhook: one attachment with the colour bar, summary, message and fields. */
    static byte[] slack(Alert alert) {
        return render(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("attachments");
            json.writeStartObject();
            json.writeStringField("color", slackColour(alert.colour()));
            json.writeStringField("title", AlertText.summary(alert));
            json.writeStringField("text", AlertText.message(alert));
            json.writeArrayFieldStart("fields");
            slackField(json, "Monitor", alert.monitor(), true);
            slackField(json, "Status", alert.colour().status(), true);
            if (alert.error() != null) slackField(json, "Error", alert.error(), false);
            if (alert.incidentId() != null) slackField(json, "Incident", alert.incidentId(), true);
            slackField(json, "Next steps", AlertText.nextSteps(alert), false);
            json.writeEndArray();
            json.writeStringField("footer", "cpra");
            json.writeNumberField("ts", alert.epochMillis() / 1000);
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private static void slackField(JsonGenerator json, String title, String value, boolean isShort) throws IOException {
        json.writeStartObject();
        json.writeStringField("title", title);
        json.writeStringField("value", value);
        json.writeBooleanField("short", isShort);
        json.writeEndObject();
    }

    /**
     * PagerDuty Events API v2: red triggers, green resolves, both with the incident as {@code dedup_key}
     * (the monitor name when there is no incident). Other colours are not PagerDuty events: null, not sent.
     */
    static byte[] pagerDuty(String routingKey, Alert alert) {
        String action = switch (alert.colour()) {
            case RED -> "trigger";
            case GREEN -> "resolve";
            default -> null;
        };
        if (action == null) return null;
        return render(json -> {
            json.writeStartObject();
            json.writeStringField("routing_key", routingKey);
            json.writeStringField("event_action", action);
            json.writeStringField("dedup_key", alert.incidentId() != null ? alert.incidentId() : alert.monitor());
            if (alert.colour() == Colour.RED) {
                json.writeObjectFieldStart("payload");
                json.writeStringField("summary", AlertText.message(alert));
                json.writeStringField("source", alert.monitor());
                json.writeStringField("severity", alert.colour().severity());
                json.writeStringField("timestamp", AlertText.timestamp(alert));
                json.writeObjectFieldStart("custom_details");
                json.writeStringField("status", alert.colour().status());
                json.writeStringField("error", alert.error());
                json.writeStringField("action", alert.action());
                json.writeStringField("next_steps", AlertText.nextSteps(alert));
                json.writeNumberField("job_id", alert.jobId());
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndObject();
        });
    }
}
