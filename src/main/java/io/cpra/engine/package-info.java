/**
 * The engine: one thread owns every monitor's state and runs the systems in a fixed order each tick.
 *
 * <ul>
 *   <li>{@link io.cpra.engine.store.MonitorStore}: state as primitive columns per slot (no object per
 *       monitor), names in a byte arena with an int index, generations against stale handles, a free list;
 *       probes, code tables and actions are interned and referenced by int id.</li>
 *   <li>{@link io.cpra.engine.scheduler.TimingWheel}: a two-level timing wheel of int ids, for the
 *       fixed-rate schedule (phases spread by a hash of the name) and for job deadlines; a tick costs what is
 *       due, not what is scheduled.</li>
 *   <li>{@link io.cpra.engine.systems.Lifecycle}: LIFECYCLE.md's transition table as a pure function over
 *       one slot's columns, returning packed effect bits.</li>
 *   <li>{@link io.cpra.engine.Engine}: schedule, dispatch (a fixed pool of reusable check jobs, limited to
 *       the capacity plan's checks in flight: when they are out, due monitors wait oldest first), apply results
 *       (bounded MPSC queue, stale ones dropped and counted), expire deadlines, run interventions (with
 *       back-off), raise alerts. Back-pressure: the ready queue and the results queue have high and low
 *       watermarks; lateness goes into a histogram; {@code stuck()} checks nothing is pending past its
 *       deadline (docs/scale.md).</li>
 * </ul>
 */
package io.cpra.engine;
