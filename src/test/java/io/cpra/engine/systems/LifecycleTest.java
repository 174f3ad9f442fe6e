package io.cpra.engine.systems;

import io.cpra.config.Colour;
import io.cpra.engine.MonitorState;
import io.cpra.engine.store.MonitorStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure transition function on one slot's columns: state, counters and effect bits. */
class LifecycleTest {

    @ParameterizedTest(name = "{0} PF={1} RS={2} VR={3} IA={4} U={5} K={6} A={7} {8} -> {9}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # from      |PF|RS|VR|IA|U|K|A| event  | to          | colour | effects
            UNKNOWN     |0 |0 |0 |0 |3|2|0| S      | HEALTHY     | -      | -
            HEALTHY     |0 |1 |0 |0 |1|2|2| F      | REMEDIATING | YELLOW | START_RUN
            HEALTHY     |0 |1 |0 |0 |1|2|0| F      | UNHEALTHY   | RED    | OPEN_INCIDENT
            HEALTHY     |0 |1 |0 |0 |3|2|0| F      | DEGRADED    | YELLOW | -
            DEGRADED    |1 |0 |0 |0 |3|2|0| F      | DEGRADED    | -      | -
            DEGRADED    |2 |0 |0 |0 |3|2|2| F      | REMEDIATING | -      | START_RUN
            DEGRADED    |2 |0 |0 |0 |3|2|0| F      | UNHEALTHY   | RED    | OPEN_INCIDENT
            DEGRADED    |1 |0 |0 |0 |3|2|0| S      | DEGRADED    | -      | -
            DEGRADED    |0 |1 |0 |0 |3|2|0| S      | HEALTHY     | GREEN  | CLOSE_INCIDENT
            REMEDIATING |3 |0 |0 |0 |3|2|2| RUN_OK | VERIFYING   | CYAN   | -
            REMEDIATING |3 |0 |0 |0 |3|2|2| RUN_KO | REMEDIATING | -      | RUN_AFTER_BACKOFF
            REMEDIATING |3 |0 |0 |1 |3|2|2| RUN_KO | UNHEALTHY   | RED    | OPEN_INCIDENT
            VERIFYING   |0 |0 |3 |0 |3|2|2| S      | VERIFYING   | -      | -
            VERIFYING   |0 |2 |1 |0 |3|2|2| S      | HEALTHY     | GREEN  | CLOSE_INCIDENT
            VERIFYING   |0 |1 |2 |0 |3|2|2| F      | REMEDIATING | -      | RUN_AFTER_BACKOFF
            VERIFYING   |0 |1 |2 |1 |3|2|2| F      | UNHEALTHY   | RED    | OPEN_INCIDENT
            UNHEALTHY   |3 |1 |0 |0 |3|2|0| F      | UNHEALTHY   | -      | -
            UNHEALTHY   |3 |0 |0 |0 |3|2|0| S      | UNHEALTHY   | -      | -
            UNHEALTHY   |0 |1 |0 |0 |3|2|0| S      | HEALTHY     | GREEN  | CLOSE_INCIDENT
            """)
    void transition(MonitorState from, int pf, int rs, int vr, int ia, int u, int k, int a, String event,
                    MonitorState to, Colour colour, String effect) {
        MonitorStore s = new MonitorStore(1);
        int slot = s.allocate("m", from.code());
        s.failures[slot] = (short) pf;
        s.successes[slot] = (short) rs;
        s.verifyLeft[slot] = (short) vr;
        s.failedRuns[slot] = (short) ia;
        s.unhealthyThreshold[slot] = (short) u;
        s.recoveryThreshold[slot] = (short) k;
        s.verifyThreshold[slot] = 3;
        s.maxFailedRuns[slot] = (short) Math.max(1, a);
        if (a > 0) s.actionId[slot] = 0;

        int effects = switch (event) {
            case "S", "F" -> Lifecycle.onCheck(s, slot, event.equals("S"));
            default -> Lifecycle.onRun(s, slot, event.equals("RUN_OK"));
        };

        assertThat(MonitorState.of(s.state[slot])).isEqualTo(to);
        assertThat(Lifecycle.colourOf(effects)).isEqualTo(colour);
        int expected = switch (effect == null ? "" : effect) {
            case "START_RUN" -> Lifecycle.START_RUN;
            case "RUN_AFTER_BACKOFF" -> Lifecycle.RUN_AFTER_BACKOFF;
            case "OPEN_INCIDENT" -> Lifecycle.OPEN_INCIDENT;
            case "CLOSE_INCIDENT" -> Lifecycle.CLOSE_INCIDENT;
            default -> 0;
        };
        assertThat(effects & ~Lifecycle.COLOUR_MASK).isEqualTo(expected);
    }
}
