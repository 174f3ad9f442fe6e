package io.cpra.config;

/**
 * The repair run once a monitor reaches its failure threshold.
 *
 * @param retries     R: extra attempts inside one run, default 0
 * @param maxFailures A: failed runs per incident before red, default 1
 */
public record InterventionSpec(ActionType action, int retries, int maxFailures, ActionTarget target) {}
