package io.cpra.engine;

import io.cpra.config.ActionTarget;
import io.cpra.config.ActionType;
import io.cpra.config.Colour;
import io.cpra.config.InterventionSpec;
import io.cpra.config.MonitorSpec;
import io.cpra.config.PulseSpec;
import io.cpra.config.PulseTarget;
import io.cpra.config.SourcePosition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SpecFingerprintTest {

    private static final MonitorSpec BASE = Monitors.worked("a").intervention(2).build();

    private static MonitorSpec withPulse(MonitorSpec s, UnaryOperator<PulseSpec> change) {
        return new MonitorSpec(s.name(), s.enabled(), change.apply(s.pulse()), s.intervention(), s.codes(), s.metadata(),
                s.notifyGroups(), s.source());
    }

    private static PulseSpec pulse(PulseSpec p, long interval, int unhealthy, List<String> conditions, PulseTarget target) {
        return new PulseSpec(p.type(), interval, p.timeoutNanos(), unhealthy, p.healthyThreshold(), p.retries(), p.groups(),
                conditions, target);
    }

    static Stream<Arguments> everyChangeCounts() {
        MonitorSpec b = BASE;
        PulseSpec p = b.pulse();
        return Stream.of(
                Arguments.of("enabled", Monitors.worked("a").intervention(2).disabled().build()),
                Arguments.of("interval", withPulse(b, x -> pulse(x, x.intervalNanos() + 1, x.unhealthyThreshold(), x.conditions(), x.target()))),
                Arguments.of("threshold", withPulse(b, x -> pulse(x, x.intervalNanos(), 4, x.conditions(), x.target()))),
                Arguments.of("conditions", withPulse(b, x -> pulse(x, x.intervalNanos(), x.unhealthyThreshold(), List.of("[STATUS] == 200"), x.target()))),
                Arguments.of("target port", withPulse(b, x -> pulse(x, x.intervalNanos(), x.unhealthyThreshold(), x.conditions(), new PulseTarget.Tcp("a", 81)))),
                Arguments.of("target type", withPulse(b, x -> pulse(x, x.intervalNanos(), x.unhealthyThreshold(), x.conditions(), new PulseTarget.Icmp("a", 1, false)))),
                Arguments.of("intervention", new MonitorSpec("a", true, p, new InterventionSpec(ActionType.DOCKER, 0, 2,
                        new ActionTarget.Docker("other", Duration.ofSeconds(20).toNanos(), null)), b.codes(), b.metadata(), b.notifyGroups(), b.source())),
                Arguments.of("no intervention", Monitors.worked("a").build()),
                Arguments.of("codes", Monitors.worked("a").intervention(2).withoutCode(Colour.CYAN).build()),
                Arguments.of("metadata", new MonitorSpec("a", true, p, b.intervention(), b.codes(), Map.of("team", "x"), b.notifyGroups(), b.source())),
                Arguments.of("notify groups", new MonitorSpec("a", true, p, b.intervention(), b.codes(), b.metadata(), List.of("ops"), b.source())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void everyChangeCounts(String what, MonitorSpec changed) {
        assertThat(SpecFingerprint.of(changed)).isNotEqualTo(SpecFingerprint.of(BASE));
    }

    @Test
    void whereTheMonitorStandsInItsFileAndWhichObjectsHoldItDoNotCount() {
        MonitorSpec moved = new MonitorSpec(BASE.name(), BASE.enabled(), BASE.pulse(), BASE.intervention(), BASE.codes(),
                BASE.metadata(), BASE.notifyGroups(), new SourcePosition("other.yaml", 40, 3));
        assertThat(SpecFingerprint.of(moved)).isEqualTo(SpecFingerprint.of(BASE));
        assertThat(SpecFingerprint.of(Monitors.worked("a").intervention(2).build())).isEqualTo(SpecFingerprint.of(BASE));
    }

    @Test
    void mapsHashWhateverTheirOrder() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");
        assertThat(SpecFingerprint.of(withMetadata(ab))).isEqualTo(SpecFingerprint.of(withMetadata(ba)))
                .isNotEqualTo(SpecFingerprint.of(withMetadata(Map.of("a", "2", "b", "1"))));
    }

    private static MonitorSpec withMetadata(Map<String, String> metadata) {
        return new MonitorSpec("a", true, BASE.pulse(), BASE.intervention(), BASE.codes(), metadata, BASE.notifyGroups(), BASE.source());
    }
}
