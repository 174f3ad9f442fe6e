package io.cpra.api;

import io.cpra.actions.ActionFactory;
import io.cpra.checks.CheckJob;
import io.cpra.checks.CheckSink;
import io.cpra.checks.Probe;
import io.cpra.checks.ProbeFactory;
import io.cpra.config.Capabilities;
import io.cpra.config.LoadResult;
import io.cpra.config.MonitorLoader;
import io.cpra.config.PulseSpec;
import io.cpra.config.PulseTarget;
import io.cpra.engine.Engine;
import io.cpra.engine.EngineSettings;
import io.cpra.notify.AlertSink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test monitors written as a real monitor file and loaded by the real loader: tcp checks whose host says
 * how they end ({@code up.test} succeeds, {@code down.test} fails), answered at once by {@link Verdicts}.
 */
final class Fleet {

    private final StringBuilder yaml = new StringBuilder("monitors:\n");
    private final String codes;
    private boolean anchored;

    /** @param alertLog where the log notifier writes; null: no colour configured */
    Fleet(Path alertLog) {
        this.codes = alertLog == null ? "" : ", codes: {red: &log {notify: log, config: {file: \"" + alertLog
                + "\"}}, yellow: *log, green: *log, gray: *log}";
    }

    /** Adds {@code count} monitors {@code prefix-0001}... in {@code group}. */
    Fleet add(String prefix, int count, String group, boolean up) {
        for (int i = 1; i <= count; i++) {
            yaml.append(String.format("  - {name: %s-%04d, pulse_check: {type: tcp, interval: 1s, timeout: 500ms, groups: [%s], "
                    + "config: {host: %s, port: 1}}%s}%n", prefix, i, group, up ? "up.test" : "down.test", codes()));
        }
        return this;
    }

    /** The colours: the first monitor defines the YAML anchor, the others refer to it. */
    private String codes() {
        if (codes.isEmpty()) return "";
        if (anchored) return ", codes: {red: *log, yellow: *log, green: *log, gray: *log}";
        anchored = true;
        return codes;
    }

    Engine load(Path dir, AlertSink alerts) throws IOException {
        Path file = dir.resolve("monitors.yaml");
        Files.writeString(file, yaml);
        Engine engine = new Engine(EngineSettings.DEFAULTS, io.cpra.engine.Clock.SYSTEM, new Verdicts(), noActions(), alerts);
        LoadResult result = MonitorLoader.load(List.of(file), Capabilities.ALL, engine::add);
        assertThat(result.errors()).isEmpty();
        return engine;
    }

    private static ActionFactory noActions() {
        return new ActionFactory() {
            @Override
            public io.cpra.actions.Action prepare(io.cpra.config.InterventionSpec spec) {
                throw new IllegalArgumentException("no actions in these tests");
            }

            @Override
            public void close() {}
        };
    }

    /** Probes that answer at once: success for host up.test, "connection refused" otherwise. */
    static final class Verdicts implements ProbeFactory {
        @Override
        public Probe prepare(PulseSpec pulse) {
            boolean up = pulse.target() instanceof PulseTarget.Tcp t && t.host().equals("up.test");
            return new Probe() {
                @Override
                public void start(CheckJob job, CheckSink sink) {
                    job.success = up;
                    job.error = up ? null : "connection refused";
                    job.latencyNanos = up ? 1_500_000 : 300_000;
                    sink.complete(job);
                }

                @Override
                public long budgetNanos() {
                    return pulse.timeoutNanos();
                }
            };
        }

        @Override
        public void close() {}
    }
}
