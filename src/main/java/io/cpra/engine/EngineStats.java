package io.cpra.engine;

import io.cpra.engine.capacity.CapacityPlan;
import io.cpra.engine.capacity.LogHistogram;

import java.util.Map;

/**
 * A snapshot of the engine's counters for a status line. Counters are totals since start: rates come
 * from two snapshots.
 *
 * @param monitorsByState  live monitors per state
 * @param checksCompleted  check results applied (including deadline expiries)
 * @param inFlight         checks in flight now
 * @param runsInFlight     intervention runs in flight now
 * @param waiting          due monitors waiting now for a free job (back-pressure)
 * @param late             checks dispatched later than due + tolerance
 * @param missed           due times skipped because the previous check was still in flight
 * @param staleDropped     results dropped because the engine no longer waited for them
 * @param deadlinesExpired checks and runs failed with "deadline exceeded"
 * @param backPressureWaits times dispatch stopped with monitors still due because every job (or run slot)
 *                         was in flight
 * @param resultOverflows  results a probe could not hand back (queue full); their deadline covers them
 * @param alertsRaised     alerts handed to the sink
 * @param dispatchLimit    checks allowed in flight now: the capacity plan's servers, within the job pool
 * @param plan             the latest capacity plan
 * @param lateness         dispatch time minus due time of every check dispatched (a copy: take two and
 *                         use {@link LogHistogram#since} for a period)
 * @param watermarkPauses  times a queue reached its high watermark: the ready queue (the schedule held due
 *                         monitors back) or the results queue (dispatch paused)
 */
public record EngineStats(Map<MonitorState, Integer> monitorsByState, long checksCompleted, int inFlight,
                          int runsInFlight, int waiting, long late, long missed, long staleDropped, long deadlinesExpired,
                          long backPressureWaits, long resultOverflows, long alertsRaised, int dispatchLimit,
                          CapacityPlan plan, LogHistogram lateness, long watermarkPauses) {

    public int monitors() {
        return monitorsByState.values().stream().mapToInt(Integer::intValue).sum();
    }
}
