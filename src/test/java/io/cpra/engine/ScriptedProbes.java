package io.cpra.engine;

import io.cpra.checks.CheckJob;
import io.cpra.checks.CheckSink;
import io.cpra.checks.Probe;
import io.cpra.checks.ProbeFactory;
import io.cpra.config.PulseSpec;
import io.cpra.config.PulseTarget;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Test double of the checks side: one scripted probe per target host. */
final class ScriptedProbes implements ProbeFactory {

    enum Outcome { SUCCESS, FAILURE, HOLD, LOSE }

    static final String FAILED = "connection refused";

    /** Completes inline by default; outcomes queued with {@link ScriptedProbe#next} go first. */
    final class ScriptedProbe implements Probe {
        final String host;
        final long budgetNanos;
        final Deque<Outcome> script = new ArrayDeque<>();
        Outcome otherwise = Outcome.SUCCESS;
        final List<CheckJob> held = new ArrayList<>();
        int started;

        ScriptedProbe(String host, long budgetNanos) {
            this.host = host;
            this.budgetNanos = budgetNanos;
        }

        void next(Outcome... outcomes) {
            script.addAll(List.of(outcomes));
        }

        @Override
        public void start(CheckJob job, CheckSink engineSink) {
            sink = engineSink;
            started++;
            startOrder.add(host);
            Outcome o = script.isEmpty() ? otherwise : script.poll();
            switch (o) {
                case SUCCESS, FAILURE -> finish(job, o == Outcome.SUCCESS);
                case HOLD -> held.add(job);
                case LOSE -> { }
            }
        }

        /** Completes the oldest held job. */
        void release(boolean success) {
            finish(held.removeFirst(), success);
        }

        private void finish(CheckJob job, boolean success) {
            job.success = success;
            job.error = success ? null : FAILED;
            sink.complete(job);
        }

        @Override
        public long budgetNanos() {
            return budgetNanos;
        }
    }

    final Map<String, ScriptedProbe> byHost = new HashMap<>();
    /** Hosts in the order their checks started. */
    final List<String> startOrder = new ArrayList<>();
    int prepared;
    /** The engine's sink, captured from the first start (probes hand jobs back through it). */
    CheckSink sink;

    @Override
    public Probe prepare(PulseSpec pulse) {
        prepared++;
        String host = ((PulseTarget.Tcp) pulse.target()).host();
        ScriptedProbe probe = new ScriptedProbe(host, pulse.timeoutNanos() * (pulse.retries() + 1));
        byHost.put(host, probe);
        return probe;
    }

    ScriptedProbe probe(String host) {
        return byHost.get(host);
    }

    @Override
    public void close() {}
}
