package io.cpra.engine;

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
 */
public record EngineStats(Map<MonitorState, Integer> monitorsByState, long checksCompleted, int inFlight,
                          int runsInFlight, int waiting, long late, long missed, long staleDropped, long deadlinesExpired,
                          long backPressureWaits, long resultOverflows, long alertsRaised) {

    public int monitors() {
        return monitorsByState.values().stream().mapToInt(Integer::intValue).sum();
    }
}
