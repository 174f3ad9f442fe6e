package io.cpra.config;

import java.util.List;
import java.util.Map;

/**
 * One monitor as loaded and validated from a monitor file (CONFIG.md). Immutable; every default is
 * already applied, so consumers never re-check the file's rules.
 *
 * @param source where the monitor starts in its file, for messages
 */
public record MonitorSpec(
        String name,
        boolean enabled,
        PulseSpec pulse,
        InterventionSpec intervention,          // null when the monitor has none
        Map<Colour, CodeSpec> codes,            // only the colours configured, in Colour order
        Map<String, String> metadata,
        List<String> notifyGroups,
        SourcePosition source) {

    public boolean hasIntervention() {
        return intervention != null;
    }
}
