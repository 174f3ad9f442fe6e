package io.cpra.cli;

import io.cpra.config.ActionType;
import io.cpra.config.Capabilities;
import io.cpra.config.NotifierType;
import io.cpra.config.PulseType;
import java.util.EnumSet;

/** What this build can run; widened as pulse types, actions and notifiers land. */
public final class BuildCapabilities {

    public static final Capabilities CURRENT = new Capabilities(
            EnumSet.of(PulseType.HTTP, PulseType.TCP, PulseType.ICMP),
            EnumSet.allOf(ActionType.class),
            EnumSet.allOf(NotifierType.class));

    private BuildCapabilities() {}
}
