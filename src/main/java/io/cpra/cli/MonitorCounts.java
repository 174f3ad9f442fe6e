package io.cpra.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.cpra.config.ActionType;
import io.cpra.config.CodeSpec;
import io.cpra.config.Colour;
import io.cpra.config.MonitorSpec;
import io.cpra.config.NotifierType;
import io.cpra.config.PulseType;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Tallies loaded monitors by pulse type, action, colour and notifier. One counter per enum constant, so
 * memory stays flat however many monitors stream through.
 */
final class MonitorCounts implements Consumer<MonitorSpec> {

    /** Counters for one enum, with the keys the monitor file uses for its constants. */
    private record Tally(String label, String[] keys, long[] counts) {
        static Tally of(String label, Enum<?>[] constants) {
            String[] keys = new String[constants.length];
            for (int i = 0; i < keys.length; i++) keys[i] = constants[i].name().toLowerCase(Locale.ROOT);
            return new Tally(label, keys, new long[keys.length]);
        }

        void add(Enum<?> constant) {
            counts[constant.ordinal()]++;
        }
    }

    private long monitors;
    private long enabled;
    private final Tally pulses = Tally.of("pulse", PulseType.values());
    private final Tally interventions = Tally.of("interventions", ActionType.values());
    private final Tally codes = Tally.of("codes", Colour.values());
    private final Tally notifiers = Tally.of("notifiers", NotifierType.values());
    private final List<Tally> tallies = List.of(pulses, interventions, codes, notifiers);

    @Override
    public void accept(MonitorSpec monitor) {
        monitors++;
        if (monitor.enabled()) enabled++;
        pulses.add(monitor.pulse().type());
        if (monitor.hasIntervention()) interventions.add(monitor.intervention().action());
        for (CodeSpec code : monitor.codes().values()) {
            codes.add(code.colour());
            notifiers.add(code.notifier());
        }
    }

    long monitors() {
        return monitors;
    }

    /**
     * One line such as {@code ok: 3 monitors (2 enabled, 1 disabled); pulse http=2 tcp=1; interventions
     * none; codes red=3; notifiers log=3}. Only non-zero counts are listed.
     */
    String summary() {
        StringBuilder sb = new StringBuilder("ok: ").append(monitors).append(monitors == 1 ? " monitor" : " monitors")
                .append(" (").append(enabled).append(" enabled, ").append(monitors - enabled).append(" disabled)");
        for (Tally t : tallies) {
            sb.append("; ").append(t.label());
            int listed = 0;
            for (int i = 0; i < t.keys().length; i++) {
                if (t.counts()[i] == 0) continue;
                sb.append(' ').append(t.keys()[i]).append('=').append(t.counts()[i]);
                listed++;
            }
            if (listed == 0) sb.append(" none");
        }
        return sb.toString();
    }

    /** The same counts as one JSON object; every key is present, zero included, so scripts can rely on it. */
    void writeJson(JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeNumberField("monitors", monitors);
        json.writeNumberField("enabled", enabled);
        json.writeNumberField("disabled", monitors - enabled);
        for (Tally t : tallies) {
            json.writeObjectFieldStart(t.label());
            for (int i = 0; i < t.keys().length; i++) json.writeNumberField(t.keys()[i], t.counts()[i]);
            json.writeEndObject();
        }
        json.writeEndObject();
    }
}
