package io.cpra.cli;

import io.cpra.config.ActionTarget;
import io.cpra.config.ActionType;
import io.cpra.config.CodeSpec;
import io.cpra.config.Colour;
import io.cpra.config.InterventionSpec;
import io.cpra.config.MonitorSpec;
import io.cpra.config.NotifierType;
import io.cpra.config.NotifyConfig;
import io.cpra.config.PulseSpec;
import io.cpra.config.PulseTarget;
import io.cpra.config.PulseType;
import io.cpra.config.SourcePosition;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Builds loaded-monitor records for tests that need no file. */
final class Monitors {

    private static final long SECOND = 1_000_000_000L;

    private Monitors() {}

    /** A monitor of {@code type}; each colour listed goes to a log file, except red, which pages. */
    static MonitorSpec monitor(String name, boolean enabled, PulseType type, ActionType action, Colour... colours) {
        PulseTarget target = switch (type) {
            case HTTP -> new PulseTarget.Http(java.net.URI.create("http://127.0.0.1/"), "GET", List.of(), List.of(), null, false);
            case TCP -> new PulseTarget.Tcp("127.0.0.1", 80);
            default -> new PulseTarget.Icmp("127.0.0.1", 1, false);
        };
        PulseSpec pulse = new PulseSpec(type, 5 * SECOND, SECOND, 1, 0, 0, List.of(), List.of(), target);
        InterventionSpec intervention = action == null ? null : new InterventionSpec(action, 0, 1,
                new ActionTarget.Script(Path.of("/bin/true"), List.of(), Map.of(), SECOND));
        Map<Colour, CodeSpec> codes = new EnumMap<>(Colour.class);
        for (Colour c : colours) {
            codes.put(c, c == Colour.RED
                    ? new CodeSpec(c, NotifierType.PAGERDUTY, true,
                            new NotifyConfig.PagerDuty(java.net.URI.create(NotifyConfig.PagerDuty.DEFAULT_URL), "k"), List.of(), 0)
                    : new CodeSpec(c, NotifierType.LOG, true, new NotifyConfig.Log(Path.of("a.log")), List.of(), 0));
        }
        return new MonitorSpec(name, enabled, pulse, intervention, codes, Map.of(), List.of(),
                new SourcePosition("m.yaml", 1, 1));
    }
}
