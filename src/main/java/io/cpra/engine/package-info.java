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
 *   <li>{@link io.cpra.engine.Reloader}: hot reload (SIGHUP, the API, {@link io.cpra.engine.ReloadWatcher} on
 *       file change). Validates the whole new config first, diffs it by name against a 64-bit
 *       {@link io.cpra.engine.SpecFingerprint} per monitor (a primitive column, no old spec kept), applies the
 *       difference in short engine commands between ticks, then drops names and interned entries no monitor
 *       uses any more. Its class doc has the rule for each kind of change.</li>
 *   <li>{@link io.cpra.engine.OperatorViews}: what the API reads, copied on the engine thread: a monitor's
 *       detail with its last results ({@link io.cpra.engine.store.History}, a ring of primitive columns), pages
 *       of monitors under a scan budget, the dashboard grid as one byte per monitor, check-now, maintenance
 *       windows ({@link io.cpra.engine.Maintenance}, started and ended by the engine's clock) and the
 *       counters by type and outcome behind the metrics.</li>
 * </ul>
 */
package io.cpra.engine;
