package io.cpra.actions;

import io.cpra.config.ActionTarget;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Restarts the target container through the Docker Engine API: {@code POST /containers/{id}/restart?t=}
 * with the target timeout as the stop grace; the request may take that long plus a margin.
 * 204 is success, 404 names the missing container, anything else reports the status and Docker's message.
 */
final class DockerAction implements Attempt {

    private final DockerEngine engine;
    private final ActionTarget.Docker target;
    private final long stopSeconds;
    private final long requestNanos;

    DockerAction(DockerEngine engine, ActionTarget.Docker target, long timeoutNanos, long marginNanos) {
        this.engine = engine;
        this.target = target;
        this.stopSeconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(timeoutNanos));
        this.requestNanos = timeoutNanos + marginNanos;
    }

    /** How long one attempt may take. */
    long requestNanos() { return requestNanos; }

    @Override
    public Outcome run(ActionJob job) throws InterruptedException {
        DockerEngine.Response response;
        try {
            response = engine.restart(target.container(), stopSeconds, System.nanoTime() + requestNanos);
        } catch (IOException e) {
            if (Thread.interrupted()) throw new InterruptedException();
            return Outcome.failed("docker at " + engine.host() + ": " + describe(e), "");
        }
        return switch (response.status()) {
            case 204 -> Outcome.ok("");
            case 404 -> Outcome.failed("container " + target.container() + " not found", DockerEngine.message(response));
            default -> Outcome.failed("docker answered " + response.status() + ": " + DockerEngine.message(response),
                    response.body());
        };
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
