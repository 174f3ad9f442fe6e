/**
 * Capacity maths: how much work to keep in flight. A {@link io.cpra.engine.capacity.SlidingWindow} measures
 * arrivals and service times over the last seconds; a {@link io.cpra.engine.capacity.CapacityPlanner}
 * turns them into a {@link io.cpra.engine.capacity.CapacityPlan} with {@link io.cpra.engine.capacity.ErlangC}
 * (M/M/c) scaled by {@link io.cpra.engine.capacity.AllenCunneen} for the measured variability.
 *
 * <p>For the engine: record an arrival when a check becomes due, whether or not a slot is free for it.
 * Recording dispatches instead would measure throughput, which never exceeds the current limit, and the
 * plan would never raise it. Record a completion with the check's service time (dispatch to result).
 * Call {@code recompute} every few seconds from the same thread; an idle plan (no load measured) carries
 * the planner's floor.
 *
 * <p>The engine does so: it records arrivals at their due times (missed slots as counts, for λ only),
 * recomputes every {@code EngineSettings.planEveryNanos} and applies the plan's servers as its dispatch
 * limit, except while a backlog waits (then the arrivals are censored by back-pressure and the whole job
 * pool is used). {@link io.cpra.engine.capacity.Watermarks} is the hysteresis of its bounded queues and
 * {@link io.cpra.engine.capacity.LogHistogram} its lateness record.
 */
package io.cpra.engine.capacity;
