package io.cpra.actions;

/**
 * The outcome of one intervention run (all its inner retries).
 *
 * @param output bounded excerpt of what the action printed or answered, secrets masked
 */
public record ActionResult(ActionJob job, boolean success, String error, String output, long durationNanos) {}
