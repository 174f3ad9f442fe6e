package io.cpra.engine;

/**
 * A read-only copy of one monitor's state, for tests and the API.
 *
 * @param failures      PF
 * @param successes     RS
 * @param verifyLeft    VR
 * @param failedRuns    IA
 * @param incidentId    the open incident, or null
 * @param nextDueNanos  when the next check (or, while REMEDIATING, the next run or run deadline) is due;
 *                      Long.MIN_VALUE when nothing is scheduled
 * @param deadlineNanos when the engine gives up on the check or run in flight (meaningful while one is)
 */
public record MonitorView(String name, MonitorState state, int failures, int successes, int verifyLeft,
                          int failedRuns, boolean checkInFlight, boolean runInFlight, String incidentId,
                          long alertSequence, long nextDueNanos, long deadlineNanos, String lastError) {}
