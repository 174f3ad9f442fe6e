package io.cpra.engine;

import io.cpra.actions.Action;
import io.cpra.actions.ActionFactory;
import io.cpra.actions.ActionJob;
import io.cpra.actions.ActionResult;
import io.cpra.config.ActionTarget;
import io.cpra.config.InterventionSpec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Test double of the actions side: one scripted action per docker container name; holds runs by default. */
final class ScriptedActions implements ActionFactory {

    enum Outcome { OK, FAIL, HOLD }

    static final String FAILED = "container did not restart";

    static final class ScriptedAction implements Action {
        final Deque<Outcome> script = new ArrayDeque<>();
        Outcome otherwise = Outcome.HOLD;
        final List<ActionJob> started = new ArrayList<>();
        final List<Long> startedAt = new ArrayList<>();
        private final List<Held> held = new ArrayList<>();
        private final VirtualClock clock;

        private record Held(ActionJob job, Consumer<ActionResult> done) {}

        ScriptedAction(VirtualClock clock) {
            this.clock = clock;
        }

        void next(Outcome... outcomes) {
            script.addAll(List.of(outcomes));
        }

        @Override
        public void start(ActionJob job, Consumer<ActionResult> done) {
            started.add(job);
            startedAt.add(clock.nanoTime());
            Outcome o = script.isEmpty() ? otherwise : script.poll();
            switch (o) {
                case OK, FAIL -> done.accept(result(job, o == Outcome.OK));
                case HOLD -> held.add(new Held(job, done));
            }
        }

        boolean holding() {
            return !held.isEmpty();
        }

        /** Completes the oldest held run. */
        void release(boolean success) {
            Held h = held.removeFirst();
            h.done().accept(result(h.job(), success));
        }

        private static ActionResult result(ActionJob job, boolean success) {
            return new ActionResult(job, success, success ? null : FAILED, "", 1);
        }

        @Override
        public long budgetNanos() {
            return 20_000_000_000L;
        }
    }

    private final VirtualClock clock;
    final Map<String, ScriptedAction> byContainer = new HashMap<>();

    ScriptedActions(VirtualClock clock) {
        this.clock = clock;
    }

    @Override
    public Action prepare(InterventionSpec spec) {
        if (!(spec.target() instanceof ActionTarget.Docker)) {
            throw new IllegalArgumentException("action '" + spec.action().key() + "' is not supported here");
        }
        ScriptedAction action = new ScriptedAction(clock);
        byContainer.put(((ActionTarget.Docker) spec.target()).container(), action);
        return action;
    }

    ScriptedAction action(String container) {
        return byContainer.get(container);
    }

    @Override
    public void close() {}
}
