package io.cpra.engine;

import io.cpra.config.Capabilities;
import io.cpra.config.Colour;
import io.cpra.config.ConfigError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static io.cpra.engine.ScriptedProbes.Outcome.FAILURE;
import static io.cpra.engine.ScriptedProbes.Outcome.HOLD;
import static org.assertj.core.api.Assertions.assertThat;

/** Hot reload on a virtual clock: the engine is not started, so every reload step runs inline between ticks. */
class ReloaderTest {

    private static final String CODES = "{yellow: {notify: log, config: {file: a.log}}, red: {notify: log, config: {file: a.log}},"
            + " green: {notify: log, config: {file: a.log}}, cyan: {notify: log, config: {file: a.log}},"
            + " gray: {notify: log, config: {file: a.log}}}";

    @TempDir
    Path dir;

    private final Harness h = new Harness();
    private Path file;
    private Reloader reloader;

    /** A tcp monitor to host = name, U = 3, every colour; {@code extra} overrides or adds fields. */
    private static String monitor(String name, String pulse, String extra) {
        return "  - {name: %s, pulse_check: {type: tcp, timeout: 1s, %s, config: {host: %s, port: 80}}, codes: %s%s}\n"
                .formatted(name, pulse, name, CODES, extra.isEmpty() ? "" : ", " + extra);
    }

    private static String monitor(String name) {
        return monitor(name, "interval: 10s, unhealthy_threshold: 3", "");
    }

    private ReloadReport load(String... monitors) throws IOException {
        if (file == null) {
            file = dir.resolve("monitors.yaml");
            reloader = new Reloader(h.engine, List.of(file), Capabilities.ALL, Map.of(), 3); // small chunks: several commands
        }
        Files.writeString(file, "monitors:\n" + String.join("", monitors));
        return reloader.reload();
    }

    private static void assertCounts(ReloadReport report, int added, int changed, int removed, int unchanged) {
        assertThat(report.errors()).isEmpty();
        assertThat(report.ok()).isTrue();
        assertThat(List.of(report.added(), report.changed(), report.removed(), report.unchanged()))
                .as("added, changed, removed, unchanged").containsExactly(added, changed, removed, unchanged);
    }

    @Test
    void anUnchangedMonitorKeepsItsStateCountersNextDueAndCheckInFlight() throws IOException {
        assertCounts(load(monitor("a"), monitor("b")), 2, 0, 0, 0);
        h.fail("a", 2);
        h.probe("b").next(HOLD);
        h.runNextCheck("b");
        MonitorView a = h.view("a");
        MonitorView b = h.view("b");
        assertThat(a.state()).isEqualTo(MonitorState.DEGRADED);
        assertThat(b.checkInFlight()).isTrue();

        // other lines and order: every source position moves, nothing else
        assertCounts(load("# moved\n", monitor("b"), "\n", monitor("a")), 0, 0, 0, 2);

        assertThat(h.view("a")).isEqualTo(a);
        assertThat(h.view("b")).isEqualTo(b);
        h.probe("b").release(true);
        h.tick();
        assertThat(h.stats().staleDropped()).isZero();
        assertThat(h.state("b")).isEqualTo(MonitorState.HEALTHY);
        h.fail("a", 1);
        assertThat(h.colours("a")).containsExactly(Colour.YELLOW, Colour.RED);
    }

    @Test
    void aChangedIntervalRephasesTheScheduleAndKeepsStateAndCounters() throws IOException {
        load(monitor("a"));
        h.fail("a", 2);
        long dueBefore = h.view("a").nextDueNanos();

        assertCounts(load(monitor("a", "interval: 7s, unhealthy_threshold: 3", "")), 0, 1, 0, 0);

        MonitorView after = h.view("a");
        assertThat(after.state()).isEqualTo(MonitorState.DEGRADED);
        assertThat(after.failures()).isEqualTo(2);
        assertThat(after.nextDueNanos()).isNotEqualTo(dueBefore)
                .isBetween(h.clock.nanoTime(), h.clock.nanoTime() + Duration.ofSeconds(7).toNanos());
        h.fail("a", 1); // the third failure in a row: counters survived
        assertThat(h.state("a")).isEqualTo(MonitorState.UNHEALTHY);
        long due = h.view("a").nextDueNanos();
        h.fail("a", 1);
        assertThat(h.view("a").nextDueNanos() - due).isEqualTo(Duration.ofSeconds(7).toNanos());
    }

    @Test
    void aChangedTargetSwapsTheProbeAndKeepsState() throws IOException {
        load(monitor("a"));
        h.fail("a", 1);

        assertCounts(load(monitor("a", "interval: 10s, unhealthy_threshold: 3", "").replace("host: a", "host: a2")),
                0, 1, 0, 0);

        assertThat(h.state("a")).isEqualTo(MonitorState.DEGRADED);
        int oldStarts = h.probe("a").started;
        h.probe("a2").next(FAILURE);
        h.runNextCheck("a");
        assertThat(h.probe("a2").started).isEqualTo(1);
        assertThat(h.probe("a").started).isEqualTo(oldStarts);
        assertThat(h.view("a").failures()).isEqualTo(2);
        assertThat(h.engine.footprint().probes()).as("the old probe is dropped").isEqualTo(1);
    }

    @Test
    void changedThresholdsApplyFromTheNextResultWithStateKept() throws IOException {
        load(monitor("a"));
        h.fail("a", 1);

        load(monitor("a", "interval: 10s, unhealthy_threshold: 2", ""));

        assertThat(h.view("a").failures()).isEqualTo(1);
        h.fail("a", 1);
        assertThat(h.state("a")).isEqualTo(MonitorState.UNHEALTHY);
        assertThat(h.colours("a")).containsExactly(Colour.YELLOW, Colour.RED);
    }

    @Test
    void changedCodesSwapTheCodeTable() throws IOException {
        load(monitor("a"));
        String withoutYellow = monitor("a").replace("yellow: {notify: log, config: {file: a.log}}, ", "");

        assertCounts(load(withoutYellow), 0, 1, 0, 0);

        h.fail("a", 3);
        assertThat(h.colours("a")).containsExactly(Colour.RED);
        assertThat(h.engine.footprint().codeTables()).isEqualTo(1);
    }

    @Test
    void aRemovedInterventionOpensTheIncidentOfAMonitorWaitingForItsRun() throws IOException {
        String intervention = "intervention: {action: docker, max_failures: 2, target: {container: a}}";
        load(monitor("a", "interval: 10s", intervention));
        h.fail("a", 1);
        h.tick();
        assertThat(h.state("a")).isEqualTo(MonitorState.REMEDIATING);
        assertThat(h.action("a").holding()).isTrue();

        assertCounts(load(monitor("a", "interval: 10s", "")), 0, 1, 0, 0);

        MonitorView a = h.view("a");
        assertThat(a.state()).isEqualTo(MonitorState.UNHEALTHY);
        assertThat(a.runInFlight()).isFalse();
        assertThat(a.nextDueNanos()).as("checks resume").isGreaterThanOrEqualTo(h.clock.nanoTime());
        assertThat(h.colours("a")).containsExactly(Colour.YELLOW, Colour.RED);
        h.action("a").release(true);
        h.tick();
        assertThat(h.stats().staleDropped()).isEqualTo(1);
        assertThat(h.stats().runsInFlight()).isZero();
        h.succeed("a", 2);
        assertThat(h.colours("a")).containsExactly(Colour.YELLOW, Colour.RED, Colour.GREEN);
    }

    @Test
    void aRemovedMonitorIsFreedItsInFlightResultDroppedAndItsSlotReused() throws IOException {
        load(monitor("a"), monitor("r"));
        h.fail("r", 1);
        h.probe("r").next(HOLD);
        h.runNextCheck("r");
        long checks = h.stats().checksCompleted();

        assertCounts(load(monitor("a"), monitor("n")), 1, 0, 1, 1);

        assertThat(h.view("r")).isNull();
        assertThat(h.engine.footprint().slots()).as("n took r's slot").isEqualTo(2);
        h.probe("r").release(false);
        h.tick();
        EngineStats stats = h.stats();
        assertThat(stats.staleDropped()).isEqualTo(1);
        assertThat(stats.checksCompleted()).isEqualTo(checks);
        assertThat(stats.inFlight()).isZero();
        MonitorView n = h.view("n");
        assertThat(n.state()).isEqualTo(MonitorState.UNKNOWN);
        assertThat(List.of(n.failures(), n.successes())).containsOnly(0);
        assertThat(h.alertsOf("n")).isEmpty();
        assertThat(h.engine.footprint().probes()).isEqualTo(2);
    }

    @Test
    void addedMonitorsAreScheduledWithTheirPhasesSpread() throws IOException {
        load(monitor("a"));
        h.advance(Duration.ofSeconds(3));
        List<String> monitors = new ArrayList<>(List.of(monitor("a")));
        IntStream.range(0, 200).forEach(i -> monitors.add(
                monitor("n-" + i, "interval: 10s", "").replace("host: n-" + i, "host: shared")));

        assertCounts(load(monitors.toArray(String[]::new)), 200, 0, 0, 1);

        long now = h.clock.nanoTime();
        Set<Long> dues = new HashSet<>();
        for (int i = 0; i < 200; i++) dues.add(h.view("n-" + i).nextDueNanos());
        assertThat(dues).allSatisfy(d -> assertThat(d).isBetween(now, now + Duration.ofSeconds(10).toNanos()));
        assertThat(dues).as("spread, not all at once").hasSizeGreaterThan(150);
        h.advance(Duration.ofSeconds(10));
        assertThat(h.probe("shared").started).isEqualTo(200);
        assertThat(h.stats().monitorsByState()).containsEntry(MonitorState.HEALTHY, 201);
    }

    @Test
    void disablingThroughReloadPausesWithGrayAndEnablingResumesToUnknown() throws IOException {
        load(monitor("a"));
        h.fail("a", 1);

        assertCounts(load(monitor("a", "interval: 10s, unhealthy_threshold: 3", "enabled: false")), 0, 1, 0, 0);

        assertThat(h.state("a")).isEqualTo(MonitorState.PAUSED);
        assertThat(h.view("a").nextDueNanos()).isEqualTo(Long.MIN_VALUE);
        assertThat(h.colours("a")).containsExactly(Colour.YELLOW, Colour.GRAY);

        assertCounts(load(monitor("a")), 0, 1, 0, 0);

        MonitorView a = h.view("a");
        assertThat(a.state()).isEqualTo(MonitorState.UNKNOWN);
        assertThat(a.nextDueNanos()).isGreaterThanOrEqualTo(h.clock.nanoTime());
        assertThat(h.colours("a")).containsExactly(Colour.YELLOW, Colour.GRAY);
        h.succeed("a", 1);
        assertThat(h.state("a")).isEqualTo(MonitorState.HEALTHY);
    }

    @Test
    void aMonitorPausedThroughTheApiStaysPausedWhenReloadEnablesIt() throws IOException {
        load(monitor("a", "interval: 10s", "enabled: false"));
        h.engine.pause("a");

        load(monitor("a", "interval: 10s", ""));

        assertThat(h.state("a")).isEqualTo(MonitorState.PAUSED);
        assertThat(h.engine.resume("a")).isTrue();
        assertThat(h.state("a")).isEqualTo(MonitorState.UNKNOWN);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "timeout over interval | '  - {name: bad, pulse_check: {type: tcp, interval: 1s, timeout: 2s, config: {host: x, port: 80}}}\n' | 4 | pulse_check.timeout",
            "misspelt field        | '  - {name: bad, pulse_check: {type: tcp, interval: 1s, timeout: 1s, unhealty_threshold: 2, config: {host: x, port: 80}}}\n' | 4 | pulse_check.unhealty_threshold",
            "duplicate name        | '  - {name: a, pulse_check: {type: tcp, interval: 1s, timeout: 1s, config: {host: x, port: 80}}}\n' | 4 | name",
            "syntax error          | '  - {name: bad, pulse_check: {type: tcp\n' | 5 | ",
    })
    void anInvalidFileKeepsTheOldConfigAndReportsItsErrorsWithFileAndLine(String what, String broken, int line,
                                                                          String field) throws IOException {
        load(monitor("a"), monitor("b"));
        h.fail("a", 1);
        MonitorView a = h.view("a");
        Engine.Footprint footprint = h.engine.footprint();

        // a changed, b removed, c added, and one broken monitor on line 4
        ReloadReport report = load(monitor("a", "interval: 5s", ""), monitor("c"), broken);

        assertThat(report.ok()).isFalse();
        assertThat(List.of(report.added(), report.changed(), report.removed(), report.unchanged())).containsOnly(0);
        assertThat(report.errors()).isNotEmpty();
        ConfigError error = report.errors().getFirst();
        assertThat(error.file()).isEqualTo(file.toString());
        assertThat(error.line()).isEqualTo(line);
        if (field != null) assertThat(error.field()).isEqualTo(field);
        assertThat(h.view("a")).isEqualTo(a);
        assertThat(h.view("b")).isNotNull();
        assertThat(h.view("c")).isNull();
        assertThat(h.engine.footprint()).isEqualTo(footprint);
    }

    @Test
    void aMonitorTheFactoriesRefuseFailsTheWholeReload() throws IOException {
        load(monitor("a"));
        // ScriptedActions only knows docker: a script intervention is refused at prepare time
        ReloadReport report = load(monitor("a", "interval: 5s", ""), monitor("s", "interval: 10s",
                "intervention: {action: script, target: {path: /bin/true}}"));
        assertThat(report.ok()).isFalse();
        assertThat(report.errors()).singleElement().satisfies(e -> {
            assertThat(e.monitor()).isEqualTo("s");
            assertThat(e.file()).isEqualTo(file.toString());
            assertThat(e.line()).isEqualTo(3);
        });
        assertThat(h.view("s")).isNull();
        assertThat(h.view("a").nextDueNanos() - h.clock.nanoTime()).isGreaterThan(Duration.ofSeconds(5).toNanos() - 1);
    }

    @Test
    void aReloadRunsAsCommandsOnARunningEngineThread() throws IOException {
        String[] monitors = IntStream.range(0, 500).mapToObj(i -> monitor("m-" + i)).toArray(String[]::new);
        h.engine.start();
        try {
            assertCounts(load(monitors), 500, 0, 0, 0);
            monitors[7] = monitor("m-7", "interval: 5s", "");
            monitors[400] = monitor("renamed");
            assertCounts(load(monitors), 1, 1, 1, 498);
            assertThat(h.view("m-400")).isNull();
            assertThat(h.view("renamed").state()).isEqualTo(MonitorState.UNKNOWN);
            assertThat(h.engine.footprint().slots()).isEqualTo(500);
        } finally {
            h.engine.close();
        }
    }

    @Test
    void aClosedReloaderRefusesToReload() throws IOException {
        load(monitor("a"));
        reloader.close();
        ReloadReport report = load(monitor("b"));
        assertThat(report.ok()).isFalse();
        assertThat(report.errors()).extracting(ConfigError::message).containsExactly("shutting down");
        assertThat(h.view("a")).isNotNull();
        assertThat(h.view("b")).isNull();
    }

    @Test
    void repeatedReloadsDoNotGrowTheEngine() throws IOException {
        String[] first = new String[50];
        String[] second = new String[50];
        for (int i = 0; i < 50; i++) {
            first[i] = monitor("first-" + i);
            second[i] = monitor("the-second-set-" + i, "interval: 20s", "");
        }
        load(first);
        Engine.Footprint loaded = h.engine.footprint();
        for (int i = 0; i < 5; i++) assertCounts(load(first), 0, 0, 0, 50);
        assertThat(h.engine.footprint()).as("the same file again and again").isEqualTo(loaded);

        List<Engine.Footprint> footprints = new ArrayList<>();
        for (int round = 0; round < 40; round++) {
            assertCounts(load(round % 2 == 0 ? second : first), 50, 0, 50, 0);
            h.advance(Duration.ofSeconds(1));
            footprints.add(h.engine.footprint());
        }
        int maxNameBytes = 0;
        for (Engine.Footprint f : footprints) {
            assertThat(f.slots()).isEqualTo(50);
            assertThat(List.of(f.probes(), f.codeTables(), f.actions())).containsExactly(50, 1, 0);
            maxNameBytes = Math.max(maxNameBytes, f.nameBytes());
        }
        int liveNameBytes = 50 * "the-second-set-00".length();
        assertThat(maxNameBytes).as("removed names are reclaimed").isLessThanOrEqualTo(2 * liveNameBytes + 64);
        assertThat(footprints.get(39)).isEqualTo(footprints.get(1));
    }
}
