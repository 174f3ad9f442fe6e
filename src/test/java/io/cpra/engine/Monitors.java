package io.cpra.engine;

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

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Builds monitor specs for engine tests: tcp pulse to host = name, docker intervention on container = name. */
final class Monitors {

    private final String name;
    private boolean enabled = true;
    private int unhealthy = 1;
    private int healthy;
    private int maxFailedRuns;
    private Duration interval = Duration.ofSeconds(10);
    private Duration timeout = Duration.ofSeconds(1);
    private String target;
    private List<String> groups = List.of();
    private final Map<Colour, CodeSpec> codes = new EnumMap<>(Colour.class);

    private Monitors(String name) {
        this.name = name;
        this.target = name;
        for (Colour c : Colour.values()) code(c, true, Duration.ZERO);
    }

    static Monitors named(String name) {
        return new Monitors(name);
    }

    /** U = 3, K = 2, M = 3 and all colours: the parameters of LIFECYCLE.md's worked sequences. */
    static Monitors worked(String name) {
        return named(name).unhealthy(3);
    }

    Monitors unhealthy(int u) { unhealthy = u; return this; }

    Monitors healthy(int k) { healthy = k; return this; }

    /** Adds an intervention with A = maxFailedRuns. */
    Monitors intervention(int maxFailedRuns) { this.maxFailedRuns = maxFailedRuns; return this; }

    Monitors interval(Duration d) { interval = d; return this; }

    Monitors timeout(Duration d) { timeout = d; return this; }

    Monitors disabled() { enabled = false; return this; }

    /** Probe target host; monitors with equal targets share one probe. */
    Monitors target(String host) { target = host; return this; }

    Monitors groups(String... names) { groups = List.of(names); return this; }

    Monitors code(Colour c, boolean dispatch, Duration repeat) {
        codes.put(c, new CodeSpec(c, NotifierType.LOG, dispatch, new NotifyConfig.Log(null), List.of(), repeat.toNanos()));
        return this;
    }

    Monitors withoutCode(Colour c) { codes.remove(c); return this; }

    MonitorSpec build() {
        PulseSpec pulse = new PulseSpec(PulseType.TCP, interval.toNanos(), timeout.toNanos(), unhealthy, healthy, 0,
                groups, List.of(), new PulseTarget.Tcp(target, 80));
        InterventionSpec intervention = maxFailedRuns == 0 ? null
                : new InterventionSpec(ActionType.DOCKER, 0, maxFailedRuns,
                        new ActionTarget.Docker(name, Duration.ofSeconds(20).toNanos(), null));
        return new MonitorSpec(name, enabled, pulse, intervention, new EnumMap<>(codes), Map.of(), List.of(),
                new SourcePosition("test.yaml", 1, 1));
    }
}
