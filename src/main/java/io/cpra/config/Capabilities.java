package io.cpra.config;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which pulse types, actions and notifiers this build can run. A monitor naming one that is valid in
 * CONFIG.md but not built yet fails validation with a message that says so.
 */
public record Capabilities(Set<PulseType> pulses, Set<ActionType> actions, Set<NotifierType> notifiers) {

    /** Everything CONFIG.md defines; what the loader's own tests use. */
    public static final Capabilities ALL = new Capabilities(
            EnumSet.allOf(PulseType.class), EnumSet.allOf(ActionType.class), EnumSet.allOf(NotifierType.class));
}
