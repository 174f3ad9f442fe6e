package io.cpra.engine;

import io.cpra.config.ActionType;
import io.cpra.config.Colour;
import io.cpra.config.PulseTarget;
import io.cpra.config.PulseType;

import java.time.Instant;
import java.util.List;

/** What the engine shows its operator (the API): read-only copies, made on the engine thread. */
public final class OperatorViews {

    private OperatorViews() {}

    /**
     * Which monitors a page lists; null fields do not filter.
     *
     * @param colour       last colour raised; {@link #NO_COLOUR} for monitors that raised none yet
     * @param nameContains substring of the name
     * @param openIncident only monitors with an open incident
     * @param from         first slot to scan (a cursor handed out by the previous page)
     * @param skip         matches to skip before the page starts (offset paging)
     */
    public record Query(MonitorState state, String colour, String group, String nameContains, boolean openIncident,
                        int from, int skip, int limit) {
        public static final String NO_COLOUR = "none";
    }

    /**
     * @param next    slot to continue from, or -1 when the scan reached the end
     * @param scanned slots looked at: a page stops early (with {@code next}) when its scan budget is used up
     */
    public record Page(List<Row> monitors, int next, int scanned) {}

    public record Row(String name, MonitorState state, Colour colour, List<String> groups, String incidentId,
                      Instant incidentSince, String lastError) {}

    /** One remembered check result; latency -1 when unknown (deadline exceeded), error null on success. */
    public record CheckRecord(Instant at, double latencyMs, String error) {}

    /** A monitor's config summary, state, counters and recent results (newest first). */
    public record Detail(MonitorView view, Colour colour, List<String> groups, PulseType type, PulseTarget target,
                         long intervalNanos, long timeoutNanos, int retries, int unhealthyThreshold,
                         int recoveryThreshold, int verifyThreshold, ActionType intervention, int maxFailedRuns,
                         List<Colour> colours, Instant incidentSince, List<CheckRecord> recent) {}

    /**
     * The grid's order: live slots grouped by primary group (first of {@code pulse_check.groups}, sorted by
     * name, ungrouped last), slot order within a group.
     *
     * @param slots       slot per grid position
     * @param groupNames  group per run of positions, "" for ungrouped
     * @param groupCounts positions per group
     */
    public record GridLayout(long version, int[] slots, List<String> groupNames, int[] groupCounts) {}

    /**
     * One byte per slot below the high water: {@code state | colour << 3} (colour as ordinal + 1, 0 = none);
     * {@link #FREE} for a slot without a monitor.
     */
    public record GridCells(long version, byte[] cells) {
        public static final byte FREE = (byte) 0xFF;
    }

    public record MaintenanceWindow(long id, List<String> monitors, List<String> groups, Instant start, Instant end,
                                    boolean active) {}

    public enum CheckNow { QUEUED, NO_SUCH_MONITOR, PAUSED, REMEDIATING, ALREADY_DUE }

    /** Outcomes counted per pulse type and per action type. */
    public enum Outcome { SUCCESS, FAILURE, DEADLINE }

    /**
     * Totals since start, for metrics.
     *
     * @param checks         by {@code type.ordinal() * 3 + outcome.ordinal()}
     * @param latencyBuckets non-cumulative counts by {@code type.ordinal() * (bounds + 1) + bucket}, the last
     *                       bucket of each type being +Inf
     * @param latencySumNanos per type
     * @param runs           by {@code action.ordinal() * 3 + outcome.ordinal()}
     */
    public record Counters(long[] checks, double[] latencyBoundsSeconds, long[] latencyBuckets,
                           long[] latencySumNanos, long[] runs, int maintenanceActive) {

        public long checks(PulseType type, Outcome outcome) {
            return checks[type.ordinal() * Outcome.values().length + outcome.ordinal()];
        }

        public long runs(ActionType action, Outcome outcome) {
            return runs[action.ordinal() * Outcome.values().length + outcome.ordinal()];
        }
    }
}
