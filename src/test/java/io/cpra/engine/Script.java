package io.cpra.engine;

import io.cpra.config.Colour;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a space-separated event script against one monitor of a harness. Events: {@code S}/{@code F} a
 * check succeeds/fails at its due time; {@code R+}/{@code R-} the held intervention run succeeds/fails;
 * {@code W} waits the 10 s back-off; {@code P}/{@code U} pause/resume; {@code D}/{@code E}
 * disable/enable. An event may name the colours it must raise, in order: {@code F:yellow},
 * {@code W:red}; without them it must raise nothing.
 */
final class Script {

    private Script() {}

    static void run(Harness h, String monitor, String script) {
        for (String step : script.trim().split("\\s+")) {
            if (step.isEmpty()) continue;
            String[] parts = step.split(":", 2);
            int before = h.alertsOf(monitor).size();
            event(h, monitor, parts[0]);
            List<Colour> raised = h.colours(monitor).subList(before, h.colours(monitor).size());
            assertThat(raised).as("colours raised by %s in \"%s\"", step, script).isEqualTo(colours(parts.length > 1 ? parts[1] : ""));
        }
    }

    /** Runs the events without checking what they raise: to reach a state. */
    static void drive(Harness h, String monitor, String script) {
        for (String step : script.trim().split("\\s+")) if (!step.isEmpty()) event(h, monitor, step.split(":", 2)[0]);
    }

    static void event(Harness h, String monitor, String event) {
        switch (event) {
            case "S" -> h.checks(monitor, ScriptedProbes.Outcome.SUCCESS);
            case "F" -> h.checks(monitor, ScriptedProbes.Outcome.FAILURE);
            case "R+", "R-" -> {
                h.action(monitor).release(event.equals("R+"));
                h.tick();
            }
            case "W" -> h.advance(Duration.ofSeconds(10));
            case "P" -> assertThat(h.engine.pause(monitor)).isTrue();
            case "U" -> assertThat(h.engine.resume(monitor)).isTrue();
            case "D" -> assertThat(h.engine.disable(monitor)).isTrue();
            case "E" -> assertThat(h.engine.enable(monitor)).isTrue();
            default -> throw new IllegalArgumentException("unknown event " + event);
        }
    }

    /** "yellow+red" -> [YELLOW, RED]; "" -> []. */
    static List<Colour> colours(String names) {
        List<Colour> out = new ArrayList<>();
        Arrays.stream(names.split("\\+")).filter(s -> !s.isBlank()).forEach(s -> out.add(Colour.parse(s)));
        return out;
    }
}
