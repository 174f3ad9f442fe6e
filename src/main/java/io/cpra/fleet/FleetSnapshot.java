package io.cpra.fleet;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Map;

/**
 * What a fleet has done so far, as {@code GET /stats} shows it.
 *
 * @param requests  requests answered (or hung, or reset)
 * @param outcomes  the same, by outcome, in {@link Outcome} order
 * @param listening ports with a listener (not killed)
 * @param failing   ports whose health answers 503 now, by fail or by flap
 * @param flapping  ports taking part in a flap
 */
public record FleetSnapshot(long requests, Map<Outcome, Long> outcomes, int openConnections, long acceptedConnections,
                            long refusedConnections, int ports, int listening, int failing, int flapping) {

    public long count(Outcome outcome) {
        return outcomes.get(outcome);
    }

    /** The fields of the {@code GET /stats} object. */
    void writeFields(JsonGenerator g) throws IOException {
        g.writeNumberField("requests", requests);
        g.writeObjectFieldStart("outcomes");
        for (Map.Entry<Outcome, Long> e : outcomes.entrySet()) g.writeNumberField(e.getKey().key, e.getValue());
        g.writeEndObject();
        g.writeObjectFieldStart("connections");
        g.writeNumberField("open", openConnections);
        g.writeNumberField("accepted", acceptedConnections);
        g.writeNumberField("refused", refusedConnections);
        g.writeEndObject();
        g.writeObjectFieldStart("ports");
        g.writeNumberField("total", ports);
        g.writeNumberField("listening", listening);
        g.writeNumberField("failing", failing);
        g.writeNumberField("flapping", flapping);
        g.writeEndObject();
    }
}
