package io.cpra.engine;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.cpra.engine.MonitorState.DEGRADED;
import static io.cpra.engine.MonitorState.HEALTHY;
import static io.cpra.engine.MonitorState.PAUSED;
import static io.cpra.engine.MonitorState.REMEDIATING;
import static io.cpra.engine.MonitorState.UNHEALTHY;
import static io.cpra.engine.MonitorState.UNKNOWN;
import static io.cpra.engine.MonitorState.VERIFYING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every row of LIFECYCLE.md's transition table, through the whole engine: a monitor is driven to the
 * row's "from" state by a prefix of events, then the row's event must lead to its "to" state, raise
 * exactly its colours and leave the counters PF RS VR IA as stated. Interventions are held until the
 * script completes them (R+ / R-).
 */
class EngineTransitionTableTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                //        row                                          U  K  A  prefix        event        to           PF RS VR IA
                arguments("UNKNOWN success",                           3, 0, 0, "",          "S",         HEALTHY,     "0 1 0 0"),
                arguments("HEALTHY success",                           3, 0, 0, "S",         "S",         HEALTHY,     "0 2 0 0"),
                arguments("UNKNOWN failure, U=1, intervention",        1, 0, 2, "",          "F:yellow",  REMEDIATING, "1 0 0 0"),
                arguments("HEALTHY failure, U=1, intervention",        1, 0, 2, "S",         "F:yellow",  REMEDIATING, "1 0 0 0"),
                arguments("UNKNOWN failure, U=1, no intervention",     1, 0, 0, "",          "F:red",     UNHEALTHY,   "1 0 0 0"),
                arguments("HEALTHY failure, U=1, no intervention",     1, 0, 0, "S",         "F:red",     UNHEALTHY,   "1 0 0 0"),
                arguments("UNKNOWN failure, U>1",                      3, 0, 0, "",          "F:yellow",  DEGRADED,    "1 0 0 0"),
                arguments("HEALTHY failure, U>1",                      3, 0, 0, "S",         "F:yellow",  DEGRADED,    "1 0 0 0"),
                arguments("DEGRADED failure, PF+1<U",                  3, 0, 0, "F",         "F",         DEGRADED,    "2 0 0 0"),
                arguments("DEGRADED failure after a success, PF+1<U",  3, 3, 0, "F S",       "F",         DEGRADED,    "1 0 0 0"),
                arguments("DEGRADED failure, PF+1=U, intervention",    2, 0, 2, "F",         "F",         REMEDIATING, "2 0 0 0"),
                arguments("DEGRADED failure, PF+1=U, no intervention", 2, 0, 0, "F",         "F:red",     UNHEALTHY,   "2 0 0 0"),
                arguments("DEGRADED success, RS+1<K",                  3, 3, 0, "F",         "S",         DEGRADED,    "0 1 0 0"),
                arguments("DEGRADED success, RS+1=K",                  3, 0, 0, "F S",       "S:green",   HEALTHY,     "0 2 0 0"),
                arguments("REMEDIATING run succeeded",                 1, 0, 2, "F",         "R+:cyan",   VERIFYING,   "0 0 3 0"),
                arguments("REMEDIATING run failed, IA+1<A",            1, 0, 2, "F",         "R-",        REMEDIATING, "1 0 0 1"),
                arguments("REMEDIATING run failed, IA+1=A",            1, 0, 1, "F",         "R-:red",    UNHEALTHY,   "1 0 0 1"),
                arguments("VERIFYING success, VR-1>0",                 1, 0, 2, "F R+",      "S",         VERIFYING,   "0 1 2 0"),
                arguments("VERIFYING success, VR-1=0",                 1, 0, 2, "F R+ S S",  "S:green",   HEALTHY,     "0 3 0 0"),
                arguments("VERIFYING failure, IA+1<A",                 1, 0, 2, "F R+",      "F",         REMEDIATING, "1 0 0 1"),
                arguments("VERIFYING failure, IA+1=A",                 1, 0, 1, "F R+",      "F:red",     UNHEALTHY,   "1 0 0 1"),
                arguments("UNHEALTHY failure",                         1, 0, 0, "F S",       "F",         UNHEALTHY,   "1 0 0 0"),
                arguments("UNHEALTHY success, RS+1<K",                 1, 3, 0, "F",         "S",         UNHEALTHY,   "0 1 0 0"),
                arguments("UNHEALTHY success, RS+1=K",                 1, 0, 0, "F S",       "S:green",   HEALTHY,     "0 2 0 0"),
                arguments("UNKNOWN pause",                             3, 0, 0, "",          "P:gray",    PAUSED,      "0 0 0 0"),
                arguments("HEALTHY pause",                             3, 0, 0, "S",         "P:gray",    PAUSED,      "0 0 0 0"),
                arguments("DEGRADED pause",                            3, 0, 0, "F",         "P:gray",    PAUSED,      "0 0 0 0"),
                arguments("REMEDIATING pause",                         1, 0, 2, "F",         "P:gray",    PAUSED,      "0 0 0 0"),
                arguments("VERIFYING pause",                           1, 0, 2, "F R+",      "P:gray",    PAUSED,      "0 0 0 0"),
                arguments("UNHEALTHY pause",                           1, 0, 0, "F",         "P:gray",    PAUSED,      "0 0 0 0"),
                arguments("HEALTHY disable",                           3, 0, 0, "S",         "D:gray",    PAUSED,      "0 0 0 0"),
                arguments("PAUSED resume",                             3, 0, 0, "F P",       "U",         UNKNOWN,     "0 0 0 0"),
                arguments("PAUSED enable",                             3, 0, 0, "D",         "E",         UNKNOWN,     "0 0 0 0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void row(String row, int u, int k, int a, String prefix, String event, MonitorState to, String counters) {
        Harness h = new Harness();
        Monitors m = Monitors.named("m").unhealthy(u).healthy(k);
        if (a > 0) m.intervention(a);
        h.add(m);

        Script.drive(h, "m", prefix);
        Script.run(h, "m", event);

        MonitorView v = h.view("m");
        assertThat(v.state()).isEqualTo(to);
        assertThat(v.failures() + " " + v.successes() + " " + v.verifyLeft() + " " + v.failedRuns())
                .as("PF RS VR IA").isEqualTo(counters);
    }
}
