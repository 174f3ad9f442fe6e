package io.cpra.engine;

import io.cpra.config.Colour;
import io.cpra.config.MonitorSpec;
import io.cpra.notify.Alert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** An engine on a virtual clock with scripted probes and actions, recording every alert. */
final class Harness {

    final VirtualClock clock = new VirtualClock();
    final ScriptedProbes probes = new ScriptedProbes();
    final ScriptedActions actions = new ScriptedActions(clock);
    final List<Alert> alerts = new ArrayList<>();
    final Engine engine;

    Harness() {
        this(EngineSettings.DEFAULTS);
    }

    Harness(EngineSettings settings) {
        engine = new Engine(settings, clock, probes, actions, alerts::add);
    }

    Harness add(Monitors... monitors) {
        for (Monitors m : monitors) engine.add(m.build());
        return this;
    }

    Harness add(MonitorSpec spec) {
        engine.add(spec);
        return this;
    }

    ScriptedProbes.ScriptedProbe probe(String name) {
        return probes.probe(name);
    }

    ScriptedActions.ScriptedAction action(String name) {
        return actions.action(name);
    }

    MonitorView view(String name) {
        return engine.lookup(name);
    }

    MonitorState state(String name) {
        return view(name).state();
    }

    /** Scripts the monitor's next check outcomes, then runs each check at its due time. */
    void checks(String name, ScriptedProbes.Outcome... outcomes) {
        for (ScriptedProbes.Outcome o : outcomes) {
            probe(name).next(o);
            runNextCheck(name);
        }
    }

    void succeed(String name, int times) {
        for (int i = 0; i < times; i++) checks(name, ScriptedProbes.Outcome.SUCCESS);
    }

    void fail(String name, int times) {
        for (int i = 0; i < times; i++) checks(name, ScriptedProbes.Outcome.FAILURE);
    }

    /** Moves the clock to the monitor's next due time (never back) and ticks. */
    void runNextCheck(String name) {
        MonitorView v = view(name);
        if (v.state() == MonitorState.REMEDIATING) throw new AssertionError(name + " is REMEDIATING: no check is due");
        clock.set(Math.max(clock.nanoTime(), v.nextDueNanos()));
        tick();
    }

    void tick() {
        engine.tick(clock.nanoTime());
    }

    /** Advances the clock in small steps, ticking at each. */
    void advance(Duration d) {
        long end = clock.nanoTime() + d.toNanos();
        long step = Duration.ofMillis(50).toNanos();
        while (clock.nanoTime() < end) {
            clock.set(Math.min(end, clock.nanoTime() + step));
            tick();
        }
    }

    List<Colour> colours(String name) {
        return alerts.stream().filter(a -> a.monitor().equals(name)).map(Alert::colour).toList();
    }

    List<Alert> alertsOf(String name) {
        return alerts.stream().filter(a -> a.monitor().equals(name)).toList();
    }

    EngineStats stats() {
        return engine.stats();
    }
}
