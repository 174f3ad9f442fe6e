package io.cpra.engine;

import io.cpra.config.Colour;
import io.cpra.notify.Alert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static io.cpra.config.Colour.GREEN;
import static io.cpra.config.Colour.RED;
import static io.cpra.config.Colour.YELLOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * LIFECYCLE.md's worked sequences (U = 3, K = 2, M = 3, A = 2, all colours configured): each event must
 * raise exactly the colours noted after it, at that event. Intervention runs complete inline with the
 * scripted outcomes, in order.
 */
class EngineWorkedSequencesTest {

    static Stream<Arguments> sequences() {
        return Stream.of(
                arguments("1 no intervention; down, then up", 3, false, "",
                        "F:yellow F F:red F F S S:green"),
                arguments("2 intervention fixes it", 3, true, "OK",
                        "F:yellow F F:cyan S S S:green"),
                arguments("3 intervention fails twice", 3, true, "FAIL FAIL",
                        "F:yellow F F W:red S S:green"),
                arguments("4 intervention succeeds but the service stays down", 3, true, "OK OK",
                        "F:yellow F F:cyan F W:cyan F:red S S:green"),
                arguments("5 a blip", 3, false, "",
                        "F:yellow S S:green F:yellow S F S S:green"),
                arguments("6 U = 1, no intervention", 1, false, "",
                        "F:red S S:green"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequences")
    void sequence(String name, int u, boolean intervention, String runs, String script) {
        Harness h = new Harness();
        Monitors m = Monitors.worked("m").unhealthy(u);
        if (intervention) m.intervention(2);
        h.add(m);
        if (intervention) {
            for (String run : runs.split(" ")) h.action("m").next(ScriptedActions.Outcome.valueOf(run));
        }

        Script.run(h, "m", script);

        assertThat(h.state("m")).isEqualTo(MonitorState.HEALTHY);
        assertThat(h.alertsOf("m")).extracting(Alert::sequence)
                .containsExactlyElementsOf(sequenceNumbers(h.alertsOf("m").size()));
    }

    @Test
    void redAndItsGreenCarryTheIncidentIdAndTheNextIncidentGetsANewOne() {
        Harness h = new Harness();
        h.add(Monitors.worked("m"));

        Script.run(h, "m", "F:yellow F F:red S S:green F:yellow F F:red S S:green");

        List<Alert> alerts = h.alertsOf("m");
        assertThat(alerts).extracting(Alert::colour).containsExactly(YELLOW, RED, GREEN, YELLOW, RED, GREEN);
        assertThat(alerts).extracting(Alert::incidentId).containsExactly(null, "m-1", "m-1", null, "m-2", "m-2");
        assertThat(alerts.get(1).error()).isEqualTo(ScriptedProbes.FAILED);
        assertThat(alerts.get(2).error()).isNull();
        assertThat(h.view("m").incidentId()).isNull();
    }

    @Test
    void interventionsExhaustedOpenAnIncidentThatTheGreenCloses() {
        Harness h = new Harness();
        h.add(Monitors.worked("m").intervention(2));
        h.action("m").next(ScriptedActions.Outcome.FAIL, ScriptedActions.Outcome.FAIL);

        Script.run(h, "m", "F:yellow F F W:red S S:green");

        List<Alert> alerts = h.alertsOf("m");
        assertThat(alerts).extracting(Alert::incidentId).containsExactly(null, "m-1", "m-1");
        assertThat(alerts.get(1).error()).isEqualTo(ScriptedActions.FAILED);
        assertThat(alerts).extracting(Alert::action).containsOnly("docker");
        assertThat(h.action("m").started).extracting(j -> j.attempt()).containsExactly(1, 2);
    }

    @Test
    void theBackOffBetweenRunsIsTenSecondsDoublingAndCappedAtFiveMinutes() {
        Harness h = new Harness();
        h.add(Monitors.worked("m").intervention(10));
        h.action("m").otherwise = ScriptedActions.Outcome.FAIL;

        Script.run(h, "m", "F:yellow F F");
        h.probe("m").otherwise = ScriptedProbes.Outcome.FAILURE;
        h.advance(Duration.ofMinutes(30));

        List<Long> starts = h.action("m").startedAt;
        assertThat(starts).hasSize(10);
        List<Long> gaps = java.util.stream.IntStream.range(1, starts.size())
                .mapToObj(i -> Duration.ofNanos(starts.get(i) - starts.get(i - 1)).toSeconds()).toList();
        assertThat(gaps).containsExactly(10L, 20L, 40L, 80L, 160L, 300L, 300L, 300L, 300L);
        assertThat(h.colours("m")).containsExactly(YELLOW, RED);
    }

    @Test
    void theBackOffIsConfigurable() {
        Harness h = new Harness(EngineSettings.DEFAULTS.withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(3)));
        h.add(Monitors.worked("m").intervention(5));
        h.action("m").otherwise = ScriptedActions.Outcome.FAIL;

        Script.run(h, "m", "F:yellow F F");
        h.probe("m").otherwise = ScriptedProbes.Outcome.FAILURE;
        h.advance(Duration.ofSeconds(30));

        List<Long> starts = h.action("m").startedAt;
        assertThat(java.util.stream.IntStream.range(1, starts.size())
                .mapToObj(i -> Duration.ofNanos(starts.get(i) - starts.get(i - 1)).toSeconds()))
                .containsExactly(1L, 2L, 3L, 3L);
    }

    @Test
    void theBackOffStartsOverOnceTheIncidentCloses() {
        Harness h = new Harness();
        h.add(Monitors.worked("m").intervention(2));
        h.action("m").otherwise = ScriptedActions.Outcome.FAIL;

        Script.run(h, "m", "F:yellow F F W:red S S:green F:yellow F F W:red");

        List<Long> starts = h.action("m").startedAt;
        assertThat(starts).hasSize(4);
        assertThat(Duration.ofNanos(starts.get(3) - starts.get(2))).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aColourThatIsNotConfiguredOrNotDispatchedIsSkippedButTheStateChanges() {
        Harness h = new Harness();
        h.add(Monitors.worked("m").withoutCode(YELLOW).code(Colour.GREEN, false, Duration.ZERO));

        Script.run(h, "m", "F F F:red S S");

        assertThat(h.state("m")).isEqualTo(MonitorState.HEALTHY);
        assertThat(h.alertsOf("m")).extracting(Alert::sequence).containsExactly(1L);
    }

    @Test
    void redIsRepeatedWhileTheIncidentStaysOpenWhenRepeatIsSet() {
        Harness h = new Harness();
        h.add(Monitors.named("m").code(RED, true, Duration.ofMinutes(1)));

        Script.run(h, "m", "F:red F F F F F F:red F F F F F F:red S S:green");

        assertThat(h.alertsOf("m")).extracting(Alert::incidentId).containsOnly("m-1");
    }

    private static List<Long> sequenceNumbers(int n) {
        return java.util.stream.LongStream.rangeClosed(1, n).boxed().toList();
    }
}
