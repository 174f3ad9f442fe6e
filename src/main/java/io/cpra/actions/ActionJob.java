package io.cpra.actions;

/**
 * One intervention run. Runs are rare (only unhealthy monitors), so this is a plain object per run.
 *
 * @param attempt    1-based run number within the incident
 * @param monitorState state name handed to scripts (for example REMEDIATING)
 * @param lastError  the error of the failure that triggered the run, or null
 */
public record ActionJob(int slot, int generation, long runId, String monitor, int attempt,
                        String monitorState, String lastError, long deadlineNanos) {}
