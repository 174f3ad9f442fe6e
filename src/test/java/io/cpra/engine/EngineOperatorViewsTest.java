package io.cpra.engine;

import io.cpra.config.Colour;
import io.cpra.config.PulseType;
import io.cpra.engine.OperatorViews.CheckNow;
import io.cpra.engine.OperatorViews.CheckRecord;
import io.cpra.engine.OperatorViews.GridCells;
import io.cpra.engine.OperatorViews.GridLayout;
import io.cpra.engine.OperatorViews.Outcome;
import io.cpra.engine.OperatorViews.Query;
import io.cpra.engine.store.History;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.cpra.engine.ScriptedProbes.Outcome.FAILURE;
import static io.cpra.engine.ScriptedProbes.Outcome.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine's operator views on a virtual clock: maintenance windows, the result ring, grid, paging, counters. */
class EngineOperatorViewsTest {

    private final Harness h = new Harness();

    private Instant wall(Duration fromNow) {
        return Instant.ofEpochMilli(h.clock.wallMillis()).plus(fromNow);
    }

    private List<Colour> coloursOf(String name) {
        return h.alerts.stream().filter(a -> a.monitor().equals(name)).map(a -> a.colour()).toList();
    }

    @Test
    void maintenanceEntersWithGrayAndLeavesToUnknownByTheEngineClock() {
        // an hour's interval: no check of "a" falls due in the tick that ends the window
        h.add(Monitors.named("a").interval(Duration.ofHours(1)), Monitors.named("b"));
        h.succeed("a", 1);
        var w = h.engine.addMaintenance(List.of("a"), List.of(), wall(Duration.ofSeconds(30)), wall(Duration.ofSeconds(60)));
        assertThat(w.active()).isFalse();

        h.clock.advance(Duration.ofSeconds(29));
        h.tick();
        assertThat(h.state("a")).isEqualTo(MonitorState.HEALTHY);
        h.clock.advance(Duration.ofSeconds(1));
        h.tick();
        assertThat(h.state("a")).isEqualTo(MonitorState.PAUSED);
        assertThat(h.state("b")).isNotEqualTo(MonitorState.PAUSED);
        assertThat(coloursOf("a")).containsExactly(Colour.GRAY);
        assertThat(h.engine.maintenanceWindows()).singleElement().satisfies(v -> assertThat(v.active()).isTrue());

        h.clock.advance(Duration.ofSeconds(30));
        h.tick();
        assertThat(h.state("a")).isEqualTo(MonitorState.UNKNOWN);
        assertThat(coloursOf("a")).containsExactly(Colour.GRAY);
        assertThat(h.engine.maintenanceWindows()).isEmpty();
        h.succeed("a", 1);
        assertThat(h.state("a")).isEqualTo(MonitorState.HEALTHY);
    }

    @Test
    void overlappingWindowsAndAnApiPauseAddUp() {
        h.add(Monitors.named("a").groups("db"), Monitors.named("c").groups("web", "db"), Monitors.named("d").groups("web"));
        var byGroup = h.engine.addMaintenance(List.of(), List.of("db"), wall(Duration.ZERO), wall(Duration.ofMinutes(10)));
        h.engine.addMaintenance(List.of("a"), List.of(), wall(Duration.ZERO), wall(Duration.ofMinutes(20)));
        assertThat(h.state("a")).isEqualTo(MonitorState.PAUSED);
        assertThat(h.state("c")).isEqualTo(MonitorState.PAUSED);
        assertThat(h.state("d")).isEqualTo(MonitorState.UNKNOWN);
        h.engine.pause("c");

        assertThat(h.engine.removeMaintenance(byGroup.id())).isTrue();
        assertThat(h.state("a")).as("still in the window by name").isEqualTo(MonitorState.PAUSED);
        assertThat(h.state("c")).as("still paused through the API").isEqualTo(MonitorState.PAUSED);
        assertThat(h.engine.resume("c")).isTrue();
        assertThat(h.state("c")).isEqualTo(MonitorState.UNKNOWN);
        h.clock.advance(Duration.ofMinutes(20));
        h.tick();
        assertThat(h.state("a")).isEqualTo(MonitorState.UNKNOWN);
        assertThat(coloursOf("a")).containsExactly(Colour.GRAY);
        assertThat(coloursOf("c")).containsExactly(Colour.GRAY);
    }

    @Test
    void aMonitorAddedIntoAnActiveWindowStartsPaused() {
        h.add(Monitors.named("a").groups("db"));
        h.engine.addMaintenance(List.of(), List.of("db"), wall(Duration.ZERO), wall(Duration.ofMinutes(10)));
        h.add(Monitors.named("late").groups("db"));
        assertThat(h.state("late")).isEqualTo(MonitorState.PAUSED);
    }

    @Test
    void badWindowsAreRefused() {
        h.add(Monitors.named("a"));
        assertThatThrownBy(() -> h.engine.addMaintenance(List.of("x"), List.of(), wall(Duration.ZERO), wall(Duration.ofMinutes(1))))
                .hasMessage("unknown monitors: x");
        assertThatThrownBy(() -> h.engine.addMaintenance(List.of(), List.of("g"), wall(Duration.ZERO), wall(Duration.ofMinutes(1))))
                .hasMessage("no monitor in groups: g");
        assertThatThrownBy(() -> h.engine.addMaintenance(List.of("a"), List.of(), wall(Duration.ZERO), wall(Duration.ZERO)))
                .hasMessage("end must be after start");
        assertThatThrownBy(() -> h.engine.addMaintenance(List.of("a"), List.of(), wall(Duration.ofMinutes(-2)), wall(Duration.ofMinutes(-1))))
                .hasMessage("end is in the past");
        assertThat(h.engine.removeMaintenance(42)).isFalse();
    }

    @Test
    void theRingKeepsTheLastResultsNewestFirst() {
        h.add(Monitors.named("a").unhealthy(20));
        h.succeed("a", History.DEPTH);
        h.fail("a", History.DEPTH - 1); // one success of the last DEPTH results remains, the oldest
        List<CheckRecord> recent = h.engine.detail("a").recent();
        assertThat(recent).hasSize(History.DEPTH);
        assertThat(recent.subList(0, History.DEPTH - 1)).allSatisfy(r -> assertThat(r.error()).isEqualTo(ScriptedProbes.FAILED));
        assertThat(recent.getLast().error()).isNull();
        for (int i = 1; i < recent.size(); i++) assertThat(recent.get(i).at()).isBefore(recent.get(i - 1).at());
        assertThat(h.engine.detail("a").colour()).isEqualTo(Colour.YELLOW);
        assertThat(h.engine.detail("nope")).isNull();
    }

    @Test
    void aFreedSlotForgetsItsPast() {
        h.add(Monitors.named("a"));
        h.fail("a", 1);
        h.engine.remove("a");
        h.add(Monitors.named("b"));
        assertThat(h.engine.detail("b").recent()).isEmpty();
        assertThat(h.engine.detail("b").colour()).isNull();
        assertThat(h.engine.countByColour(Colour.RED)).isZero();
        assertThat(h.engine.countByColour(null)).isEqualTo(1);
    }

    @Test
    void pagesFilterAndStopAtTheirLimit() {
        for (int i = 0; i < 30; i++) {
            h.add(Monitors.named("m" + i).groups(i % 3 == 0 ? "odd" : "even").interval(Duration.ofHours(1)));
            if (i % 3 == 0) h.probe("m" + i).next(FAILURE);
        }
        h.clock.advance(Duration.ofHours(1).minusNanos(1)); // every first check, none twice
        h.tick();
        var page = h.engine.monitors(new Query(MonitorState.UNHEALTHY, null, null, null, false, 0, 0, 4));
        assertThat(page.monitors()).extracting(r -> r.name()).containsExactly("m0", "m3", "m6", "m9");
        var rest = h.engine.monitors(new Query(MonitorState.UNHEALTHY, null, null, null, false, page.next(), 0, 100));
        assertThat(rest.monitors()).hasSize(6);
        assertThat(rest.next()).isEqualTo(-1);
        assertThat(h.engine.monitors(new Query(null, "red", "odd", "m2", true, 0, 0, 100)).monitors())
                .extracting(r -> r.name()).containsExactly("m21", "m24", "m27");
        assertThat(h.engine.monitors(new Query(null, Query.NO_COLOUR, null, null, false, 0, 5, 100)).monitors()).hasSize(15);
    }

    @Test
    void gridGroupsByFirstGroupAndTracksLayoutChanges() {
        h.add(Monitors.named("w1").groups("web"), Monitors.named("d1").groups("db", "web"), Monitors.named("n1"),
                Monitors.named("w2").groups("web"));
        h.fail("d1", 1);
        GridLayout layout = h.engine.gridLayout();
        assertThat(layout.groupNames()).containsExactly("db", "web", "");
        assertThat(layout.groupCounts()).containsExactly(1, 2, 1);
        assertThat(h.engine.names(layout.version(), layout.slots())).containsExactly("d1", "w1", "w2", "n1");
        GridCells cells = h.engine.gridCells();
        assertThat(cells.version()).isEqualTo(layout.version());
        assertThat(cells.cells()[layout.slots()[0]]).isEqualTo((byte) (MonitorState.UNHEALTHY_CODE | (Colour.RED.ordinal() + 1) << 3));

        h.engine.remove("w1");
        assertThat(h.engine.gridVersion()).isNotEqualTo(layout.version());
        assertThat(h.engine.names(layout.version(), layout.slots())).isNull();
        assertThat(h.engine.gridCells().cells()).contains(GridCells.FREE);
    }

    @Test
    void checkNowDispatchesAtOnceAndKeepsThePhase() {
        h.add(Monitors.named("a").interval(Duration.ofMinutes(1)));
        h.succeed("a", 1);
        long due = h.view("a").nextDueNanos();
        assertThat(h.engine.checkNow("a")).isEqualTo(CheckNow.QUEUED);
        assertThat(h.engine.checkNow("a")).isEqualTo(CheckNow.ALREADY_DUE);
        h.tick();
        assertThat(h.engine.detail("a").recent()).hasSize(2);
        assertThat(h.view("a").nextDueNanos()).isEqualTo(due + Duration.ofMinutes(1).toNanos());
        h.engine.pause("a");
        assertThat(h.engine.checkNow("a")).isEqualTo(CheckNow.PAUSED);
        assertThat(h.engine.checkNow("x")).isEqualTo(CheckNow.NO_SUCH_MONITOR);
    }

    @Test
    void countersByTypeAndOutcome() {
        h.add(Monitors.named("a").unhealthy(10));
        h.checks("a", SUCCESS, SUCCESS, FAILURE);
        var c = h.engine.counters();
        assertThat(c.checks(PulseType.TCP, Outcome.SUCCESS)).isEqualTo(2);
        assertThat(c.checks(PulseType.TCP, Outcome.FAILURE)).isEqualTo(1);
        assertThat(c.checks(PulseType.HTTP, Outcome.SUCCESS)).isZero();
        long observed = 0;
        for (long n : c.latencyBuckets()) observed += n;
        assertThat(observed).isEqualTo(3);
    }
}
