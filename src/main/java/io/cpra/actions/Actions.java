package io.cpra.actions;

import io.cpra.config.ActionTarget;
import io.cpra.config.InterventionSpec;
import io.cpra.notify.Secrets;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Prepares interventions (script, docker, webhook). Each run goes on its own virtual thread; one timer
 * thread ends Docker exchanges at their deadline; one HTTP client serves all webhooks. Closing abandons
 * runs in progress (processes killed, connections closed); each still reports once.
 */
public final class Actions implements ActionFactory {

    /** Used when a target has no timeout (v0.5 docker targets defaulted to 0). */
    static final long DEFAULT_TIMEOUT_NANOS = Duration.ofSeconds(30).toNanos();

    private final Duration retryPause;
    private final long dockerMarginNanos;
    private final String dockerHost;
    private final ExecutorService runs =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("cpra-action-", 0).factory());
    private final ScheduledThreadPoolExecutor timer =
            new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("cpra-action-timer").factory());
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private DockerEngine docker;

    /**
     * @param retryPause   wait between the tries of one run
     * @param dockerMargin how much longer than the target timeout a Docker restart request may take
     * @param dockerHost   the {@code DOCKER_HOST} value (unix:///path or tcp://host:port), null for the default socket
     */
    public Actions(Duration retryPause, Duration dockerMargin, String dockerHost) {
        this.retryPause = retryPause;
        this.dockerMarginNanos = dockerMargin.toNanos();
        this.dockerHost = dockerHost;
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Production settings: 1 s between tries, 10 s Docker margin, {@code DOCKER_HOST} from the environment. */
    public Actions() { this(Duration.ofSeconds(1), Duration.ofSeconds(10), System.getenv("DOCKER_HOST")); }

    @Override
    public Action prepare(InterventionSpec spec) {
        ActionTarget target = spec.target();
        long timeout = target.timeoutNanos() > 0 ? target.timeoutNanos() : DEFAULT_TIMEOUT_NANOS;
        return switch (target) {
            case ActionTarget.Script script -> action("script", spec, timeout,
                    new ScriptAction(script, timeout), envSecrets(script.env()));
            case ActionTarget.Docker container -> {
                if (container.container() == null || container.container().isBlank())
                    throw new IllegalArgumentException("docker intervention needs target.container");
                DockerAction restart = new DockerAction(docker(), container, timeout, dockerMarginNanos);
                yield action("docker", spec, restart.requestNanos(), restart, List.of());
            }
            case ActionTarget.Webhook webhook -> action("webhook", spec, timeout,
                    new WebhookAction(http, webhook, timeout), webhookSecrets(webhook));
        };
    }

    private Action action(String name, InterventionSpec spec, long attemptNanos, Attempt attempt, List<String> secrets) {
        return new RetryingAction(name, Math.max(0, spec.retries()), attemptNanos, retryPause, attempt, secrets, runs);
    }

    private synchronized DockerEngine docker() {
        if (docker == null) docker = new DockerEngine(dockerHost, timer);
        return docker;
    }

    private static List<String> envSecrets(Map<String, String> env) {
        List<String> secrets = new ArrayList<>();
        if (env != null) env.forEach((name, value) -> { if (Secrets.isSensitiveName(name)) secrets.add(value); });
        return secrets;
    }

    private static List<String> webhookSecrets(ActionTarget.Webhook webhook) {
        List<String> secrets = new ArrayList<>();
        Secrets.addUri(secrets, webhook.url());
        Secrets.addHeaders(secrets, webhook.headers());
        return secrets;
    }

    @Override
    public void close() {
        runs.shutdownNow();
        timer.shutdownNow();
        http.shutdownNow();
    }
}
