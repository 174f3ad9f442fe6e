package io.cpra.engine;

import java.time.Duration;

/**
 * Tuning of the engine loop.
 *
 * @param maxInFlight        size of the check job pool: at most this many checks in flight
 * @param maxRunsInFlight    at most this many intervention runs in flight
 * @param expectedMonitors   presizes the store (it grows past this when needed)
 * @param maxParkNanos       longest idle sleep of the engine thread between ticks
 * @param graceNanos         added to a probe's or action's budget to make its deadline
 * @param lateToleranceNanos a check dispatched later than due + this counts as late
 * @param backoffInitialNanos first wait between intervention runs of one incident
 * @param backoffMaxNanos    cap of the doubling back-off
 * @param wheelBuckets       buckets per level of the timing wheels (level-0 rotation = buckets x resolution)
 * @param wheelResolutionNanos width of one wheel bucket
 * @param resultBatch        results drained per batch
 * @param targetWaitNanos    mean wait for a free check the capacity plan sizes the checks in flight for
 * @param planEveryNanos     how often the engine thread recomputes the capacity plan
 * @param readyHighWatermark due monitors queued for a job at which the schedule stops handing out more
 *                           (they wait in the wheel, unchanged) until the queue is down to half of it
 */
public record EngineSettings(int maxInFlight, int maxRunsInFlight, int expectedMonitors, long maxParkNanos,
                             long graceNanos, long lateToleranceNanos, long backoffInitialNanos,
                             long backoffMaxNanos, int wheelBuckets, long wheelResolutionNanos, int resultBatch,
                             long targetWaitNanos, long planEveryNanos, int readyHighWatermark) {

    public static final EngineSettings DEFAULTS = new EngineSettings(16_384, 1_024, 1_024,
            Duration.ofMillis(2).toNanos(), Duration.ofMillis(500).toNanos(), Duration.ofMillis(100).toNanos(),
            Duration.ofSeconds(10).toNanos(), Duration.ofMinutes(5).toNanos(), 1 << 12,
            Duration.ofMillis(1).toNanos(), 4_096, Duration.ofMillis(1).toNanos(), Duration.ofSeconds(2).toNanos(),
            65_536);

    public EngineSettings {
        if (maxInFlight < 1 || maxInFlight > 1 << 24) throw new IllegalArgumentException("maxInFlight must be 1..2^24");
        if (maxRunsInFlight < 1) throw new IllegalArgumentException("maxRunsInFlight must be positive");
        if (backoffInitialNanos <= 0 || backoffMaxNanos < backoffInitialNanos)
            throw new IllegalArgumentException("back-off must be positive and its cap at least the first wait");
        if (maxParkNanos <= 0 || graceNanos < 0 || lateToleranceNanos < 0 || wheelBuckets < 2
                || wheelResolutionNanos <= 0 || resultBatch < 1 || expectedMonitors < 0)
            throw new IllegalArgumentException("invalid engine settings");
        if (targetWaitNanos <= 0 || planEveryNanos <= 0 || readyHighWatermark < 2)
            throw new IllegalArgumentException("invalid capacity settings");
    }

    public EngineSettings withMaxInFlight(int n) {
        return new EngineSettings(n, maxRunsInFlight, expectedMonitors, maxParkNanos, graceNanos, lateToleranceNanos,
                backoffInitialNanos, backoffMaxNanos, wheelBuckets, wheelResolutionNanos, resultBatch,
                targetWaitNanos, planEveryNanos, readyHighWatermark);
    }

    public EngineSettings withExpectedMonitors(int n) {
        return new EngineSettings(maxInFlight, maxRunsInFlight, n, maxParkNanos, graceNanos, lateToleranceNanos,
                backoffInitialNanos, backoffMaxNanos, wheelBuckets, wheelResolutionNanos, resultBatch,
                targetWaitNanos, planEveryNanos, readyHighWatermark);
    }

    public EngineSettings withBackoff(Duration initial, Duration max) {
        return new EngineSettings(maxInFlight, maxRunsInFlight, expectedMonitors, maxParkNanos, graceNanos,
                lateToleranceNanos, initial.toNanos(), max.toNanos(), wheelBuckets, wheelResolutionNanos, resultBatch,
                targetWaitNanos, planEveryNanos, readyHighWatermark);
    }

    /** The capacity plan's target mean wait and how often it is recomputed. */
    public EngineSettings withCapacityPlan(Duration targetWait, Duration every) {
        return new EngineSettings(maxInFlight, maxRunsInFlight, expectedMonitors, maxParkNanos, graceNanos,
                lateToleranceNanos, backoffInitialNanos, backoffMaxNanos, wheelBuckets, wheelResolutionNanos, resultBatch,
                targetWait.toNanos(), every.toNanos(), readyHighWatermark);
    }

    public EngineSettings withReadyHighWatermark(int high) {
        return new EngineSettings(maxInFlight, maxRunsInFlight, expectedMonitors, maxParkNanos, graceNanos,
                lateToleranceNanos, backoffInitialNanos, backoffMaxNanos, wheelBuckets, wheelResolutionNanos, resultBatch,
                targetWaitNanos, planEveryNanos, high);
    }

    public EngineSettings withGrace(Duration grace) {
        return new EngineSettings(maxInFlight, maxRunsInFlight, expectedMonitors, maxParkNanos, grace.toNanos(),
                lateToleranceNanos, backoffInitialNanos, backoffMaxNanos, wheelBuckets, wheelResolutionNanos, resultBatch,
                targetWaitNanos, planEveryNanos, readyHighWatermark);
    }
}
