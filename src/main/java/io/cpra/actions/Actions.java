package io.cpra.actions;

import io.cpra.config.ActionTarget;
import io.cpra.config.InterventionSpec;
import io.cpra.notify.Secrets;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Prepares interventions: each run on its own virtual thread, closed with this factory. */
public final class Actions implements ActionFactory {

    /** Used when a target has no timeout (v0.5 docker targets defaulted to 0). */
    static final long DEFAULT_TIMEOUT_NANOS = Duration.ofSeconds(30).toNanos();

    private final Duration retryPause;
    private final ExecutorService runs =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("cpra-action-", 0).factory());

    /** @param retryPause wait between the tries of one run */
    public Actions(Duration retryPause) { this.retryPause = retryPause; }

    public Actions() { this(Duration.ofSeconds(1)); }

    @Override
    public Action prepare(InterventionSpec spec) {
        ActionTarget target = spec.target();
        long timeout = target.timeoutNanos() > 0 ? target.timeoutNanos() : DEFAULT_TIMEOUT_NANOS;
        return switch (target) {
            case ActionTarget.Script script -> new RetryingAction("script", spec.retries(), timeout, retryPause,
                    new ScriptAction(script, timeout), secretValues(script.env()), runs);
            default -> throw new IllegalArgumentException(
                    "intervention action " + spec.action().key() + " is not supported by this build");
        };
    }

    private static List<String> secretValues(Map<String, String> env) {
        List<String> secrets = new ArrayList<>();
        if (env != null) env.forEach((name, value) -> { if (Secrets.isSensitiveName(name)) secrets.add(value); });
        return secrets;
    }

    /** Abandons runs in progress: their processes are killed and each still reports once. */
    @Override
    public void close() { runs.shutdownNow(); }
}
