package io.cpra.engine;

import io.cpra.actions.Action;
import io.cpra.actions.ActionFactory;
import io.cpra.actions.ActionJob;
import io.cpra.actions.ActionResult;
import io.cpra.config.ActionType;
import io.cpra.checks.CheckJob;
import io.cpra.checks.CheckSink;
import io.cpra.checks.Probe;
import io.cpra.checks.ProbeFactory;
import io.cpra.config.CodeSpec;
import io.cpra.config.Colour;
import io.cpra.config.ConfigError;
import io.cpra.config.InterventionSpec;
import io.cpra.config.MonitorSpec;
import io.cpra.config.PulseSpec;
import io.cpra.config.PulseTarget;
import io.cpra.config.PulseType;
import io.cpra.config.SourcePosition;
import io.cpra.engine.OperatorViews.CheckNow;
import io.cpra.engine.OperatorViews.CheckRecord;
import io.cpra.engine.OperatorViews.Counters;
import io.cpra.engine.OperatorViews.Detail;
import io.cpra.engine.OperatorViews.GridCells;
import io.cpra.engine.OperatorViews.GridLayout;
import io.cpra.engine.OperatorViews.MaintenanceWindow;
import io.cpra.engine.OperatorViews.Outcome;
import io.cpra.engine.OperatorViews.Page;
import io.cpra.engine.OperatorViews.Query;
import io.cpra.engine.OperatorViews.Row;
import io.cpra.engine.capacity.CapacityPlan;
import io.cpra.engine.capacity.CapacityPlanner;
import io.cpra.engine.capacity.LogHistogram;
import io.cpra.engine.capacity.SlidingWindow;
import io.cpra.engine.capacity.Watermarks;
import io.cpra.engine.scheduler.IntRing;
import io.cpra.engine.scheduler.TimingWheel;
import io.cpra.engine.store.Interner;
import io.cpra.engine.store.MonitorStore;
import io.cpra.engine.systems.Lifecycle;
import io.cpra.notify.Alert;
import io.cpra.notify.AlertSink;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import static io.cpra.engine.MonitorState.PAUSED_CODE;
import static io.cpra.engine.MonitorState.REMEDIATING_CODE;
import static io.cpra.engine.MonitorState.UNHEALTHY_CODE;
import static io.cpra.engine.MonitorState.UNKNOWN_CODE;
import static io.cpra.engine.store.MonitorStore.CHECK_IN_FLIGHT;
import static io.cpra.engine.store.MonitorStore.INCIDENT_OPEN;
import static io.cpra.engine.store.MonitorStore.IN_READY;
import static io.cpra.engine.store.MonitorStore.IN_RUN_READY;
import static io.cpra.engine.store.MonitorStore.PAUSE_REASONS;
import static io.cpra.engine.store.MonitorStore.RUN_IN_FLIGHT;

/**
 * The engine: one thread owns the monitor store and runs the systems in a fixed order each tick:
 * schedule (due monitors), dispatch (checks, bounded by the job pool), apply check results, expire
 * deadlines, run interventions (start runs, apply their outcomes); alerts are handed to the sink as the
 * transitions raise them. Probes and actions work on other threads and only ever hand back finished jobs
 * through bounded queues; they never touch the store.
 *
 * <p>Tests call {@link #tick(long)} with a virtual clock; {@link #start()} runs the same loop on a thread.
 * Every other public method may be called from any thread: it runs on the engine thread when one is
 * running, inline otherwise.
 */
public final class Engine implements AutoCloseable {

    public static final String DEADLINE_EXCEEDED = "deadline exceeded";

    private static final Logger log = LoggerFactory.getLogger(Engine.class);
    private static final long NO_JOB = 0;
    private static final int OUTCOMES = Outcome.values().length;
    private static final double[] LATENCY_BOUNDS_SECONDS =
            {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    private static final long[] LATENCY_BOUNDS_NANOS = Arrays.stream(LATENCY_BOUNDS_SECONDS)
            .mapToLong(s -> (long) (s * 1e9)).toArray();
    /** Slots a page looks at, at most, per request: a filtered list of a million monitors comes in parts. */
    private static final int PAGE_SCAN_BUDGET = 250_000;
    /** The plan never sizes the checks in flight below this (nor above the pool). */
    private static final int MIN_PLANNED_IN_FLIGHT = 64;

    private final EngineSettings settings;
    private final Clock clock;
    private final ProbeFactory probeFactory;
    private final ActionFactory actionFactory;
    private final AlertSink alertSink;

    private final MonitorStore store;
    private final Interner<ProbeKey, Probe> probes = new Interner<>();
    private final Interner<Map<Colour, CodeSpec>, CodeSpec[]> codeTables = new Interner<>();
    private final Interner<InterventionSpec, PreparedAction> actions = new Interner<>();
    private final Interner<List<String>, List<String>> groupTables = new Interner<>();
    /** Phases are offsets from this instant. */
    private final long origin;
    /** Per monitor: the next check; while REMEDIATING the next run start, or the deadline of the run in flight. */
    private final TimingWheel schedule;
    /** Due monitors waiting for a free job, oldest due first. */
    private final IntRing ready;
    /** REMEDIATING monitors whose next run may start. */
    private final IntRing runReady = new IntRing(64);

    // the check job pool: job ids carry the pool index in their low bits
    private final CheckJob[] pool;
    private final long[] poolJobId;
    private final int[] poolSlot;
    private final int[] poolGeneration;
    private final int[] freeJobs;
    private int freeJobCount;
    private final int jobIndexBits;
    private final long jobIndexMask;
    private long jobSequence;
    /** Deadlines of the jobs out, by pool index. */
    private final TimingWheel deadlines;

    private final MpscAtomicArrayQueue<CheckJob> results;
    private final MpscAtomicArrayQueue<ActionResult> runResults;
    private final CheckSink checkSink = this::complete;
    private final Consumer<ActionResult> runSink = this::runDone;
    private final MessagePassingQueue.Consumer<CheckJob> applyResult = this::applyResult;
    private final MessagePassingQueue.Consumer<ActionResult> applyRunResult = this::applyRunResult;
    private final TimingWheel.DueHandler onDue = this::onDue;
    private final TimingWheel.DueHandler onDeadline = this::onDeadline;

    // counters, written by the engine thread only
    private long checksCompleted;
    private long late;
    private long missed;
    private long staleDropped;
    private long deadlinesExpired;
    private long backPressureWaits;
    private long alertsRaised;
    private int inFlight;
    private int runsInFlight;
    private final LongAdder resultOverflows = new LongAdder();
    // operator counters (see counters()): by pulse or action type and outcome, check latency by type
    private final long[] checksByOutcome = new long[PulseType.values().length * OUTCOMES];
    private final long[] latencyBuckets = new long[PulseType.values().length * (LATENCY_BOUNDS_NANOS.length + 1)];
    private final long[] latencySumNanos = new long[PulseType.values().length];
    private final long[] runsByOutcome = new long[ActionType.values().length * OUTCOMES];
    private final Maintenance maintenance = new Maintenance();
    /** Wall time at {@link #origin}: the engine's clock turns monotonic time into wall time for maintenance. */
    private final long wallOrigin;

    // capacity and back-pressure, engine thread only
    /** Checks becoming due (arrivals) and dispatch-to-result times (service), for the plan. */
    private final SlidingWindow window = new SlidingWindow();
    private final CapacityPlanner planner;
    /** Checks allowed in flight: the plan's servers, within the pool. */
    private int dispatchLimit;
    private long nextPlanNanos;
    /** Latest due time recorded as an arrival: the window takes times in order. */
    private long lastArrivalNanos = Long.MIN_VALUE;
    /** Dispatch time of the job out, by pool index. */
    private final long[] poolDispatchNanos;
    private final LogHistogram lateness = new LogHistogram();
    /** The ready queue's: the schedule hands out due monitors up to the high one, then none until the low one. */
    private final Watermarks readyMarks;
    /** The results queue's: at the high one dispatch pauses until the engine has caught up. */
    private final Watermarks resultMarks;
    /** Time of the last finished tick: every deadline up to it has been handled. */
    private long lastTickNanos;

    /** Time of the current tick. */
    private long now;

    private final ConcurrentLinkedQueue<FutureTask<?>> commands = new ConcurrentLinkedQueue<>();
    private volatile Thread loop;
    private volatile boolean running;
    private volatile boolean dispatching = true;
    private volatile boolean parked;
    /** Checks and runs in flight, published after each tick for {@link #awaitDrain}. */
    private volatile int outstanding;

    public Engine(EngineSettings settings, Clock clock, ProbeFactory probeFactory, ActionFactory actionFactory,
                  AlertSink alertSink) {
        this.settings = settings;
        this.clock = clock;
        this.probeFactory = probeFactory;
        this.actionFactory = actionFactory;
        this.alertSink = alertSink;
        this.now = clock.nanoTime();
        this.origin = now;
        this.wallOrigin = clock.wallMillis();
        this.store = new MonitorStore(settings.expectedMonitors());
        this.schedule = new TimingWheel(Math.max(16, settings.expectedMonitors()), settings.wheelBuckets(),
                settings.wheelResolutionNanos(), now);
        this.ready = new IntRing(Math.max(1_024, settings.maxInFlight()));

        int poolSize = settings.maxInFlight();
        this.jobIndexBits = 32 - Integer.numberOfLeadingZeros(Math.max(1, poolSize - 1));
        this.jobIndexMask = (1L << jobIndexBits) - 1;
        this.pool = new CheckJob[poolSize];
        this.poolJobId = new long[poolSize];
        this.poolSlot = new int[poolSize];
        this.poolGeneration = new int[poolSize];
        this.freeJobs = new int[poolSize];
        for (int i = poolSize - 1; i >= 0; i--) {
            pool[i] = new CheckJob();
            freeJobs[freeJobCount++] = i;
        }
        this.deadlines = new TimingWheel(poolSize, settings.wheelBuckets(), settings.wheelResolutionNanos(), now);
        // room for every job out plus as many abandoned at their deadline, so a late result rarely overflows
        this.results = new MpscAtomicArrayQueue<>(Math.max(1_024, 2 * poolSize));
        this.runResults = new MpscAtomicArrayQueue<>(Math.max(64, 2 * settings.maxRunsInFlight()));
        this.poolDispatchNanos = new long[poolSize];
        this.planner = new CapacityPlanner(window, settings.targetWaitNanos(), Math.min(poolSize, MIN_PLANNED_IN_FLIGHT),
                poolSize);
        this.dispatchLimit = poolSize;
        this.nextPlanNanos = now + settings.planEveryNanos();
        this.readyMarks = new Watermarks(settings.readyHighWatermark(), settings.readyHighWatermark() / 2);
        // results can only back up to the jobs out (plus abandoned ones): half the pool waiting means the
        // engine thread is behind, and more checks out would only add to it
        this.resultMarks = new Watermarks(Math.max(2, results.capacity() / 4), results.capacity() / 16);
        this.lastTickNanos = now;
    }

    // ---------------------------------------------------------------- configuration

    /**
     * Adds a monitor, preparing (or reusing) its probe, code table and action. A disabled monitor starts
     * PAUSED without an alert.
     *
     * @throws IllegalArgumentException on a duplicate name or a pulse/action the factories cannot run
     */
    public void add(MonitorSpec spec) {
        long fingerprint = SpecFingerprint.of(spec); // on the caller's thread, not the engine's
        onEngineThread(() -> {
            addNow(spec, fingerprint);
            return null;
        });
    }

    private void addNow(MonitorSpec spec, long fingerprint) {
        Parts parts = prepareParts(spec);
        int slot = store.allocate(spec.name(), spec.enabled() ? UNKNOWN_CODE : PAUSED_CODE);
        setParts(slot, spec, parts);
        store.intervalNanos[slot] = spec.pulse().intervalNanos();
        store.fingerprint[slot] = fingerprint;
        schedule.ensureCapacity(slot + 1);
        if (spec.enabled()) {
            schedule.schedule(slot, nextAlignedDue(slot));
        } else {
            store.set(slot, PauseReason.DISABLED.flag);
        }
        if (maintenance.covered(spec.name(), spec.pulse().groups())) setPausedAt(slot, PauseReason.MAINTENANCE.flag, true);
    }

    /** Removes a monitor; results still out for it are dropped when they arrive. */
    public boolean remove(String name) {
        return onEngineThread(() -> {
            int slot = store.find(name);
            if (slot < 0) return false;
            forget(slot);
            store.free(slot);
            return true;
        });
    }

    /** Pauses through the API: gray, in-flight results dropped. @return false if unknown or already paused */
    public boolean pause(String name) {
        return setPaused(name, PauseReason.API, true);
    }

    /** @return false if unknown or not paused by the API (or still paused for another reason) */
    public boolean resume(String name) {
        return setPaused(name, PauseReason.API, false);
    }

    public boolean disable(String name) {
        return setPaused(name, PauseReason.DISABLED, true);
    }

    public boolean enable(String name) {
        return setPaused(name, PauseReason.DISABLED, false);
    }

    /**
     * Sets or clears one pause reason. The monitor is PAUSED while any reason holds: gray when the first
     * is set, UNKNOWN and checks resume when the last is cleared.
     *
     * @return whether the monitor entered or left PAUSED
     */
    public boolean setPaused(String name, PauseReason why, boolean paused) {
        return onEngineThread(() -> {
            int slot = store.find(name);
            return slot >= 0 && setPausedAt(slot, why.flag, paused);
        });
    }

    private boolean setPausedAt(int slot, byte reason, boolean paused) {
        boolean wasPaused = (store.flags[slot] & PAUSE_REASONS) != 0;
        if (paused) {
            store.set(slot, reason);
            if (wasPaused) return false;
            raise(slot, Colour.GRAY);
            forget(slot);
            store.setState(slot, PAUSED_CODE);
            return true;
        }
        if (!store.has(slot, reason)) return false;
        store.clear(slot, reason);
        if ((store.flags[slot] & PAUSE_REASONS) != 0) return false;
        store.setState(slot, UNKNOWN_CODE);
        schedule.schedule(slot, nextAlignedDue(slot));
        return true;
    }

    /** A copy of one monitor's state, or null when there is no such monitor. */
    public MonitorView lookup(String name) {
        return onEngineThread(() -> {
            int slot = store.find(name);
            if (slot < 0) return null;
            boolean scheduled = schedule.isScheduled(slot) || store.has(slot, IN_READY);
            return new MonitorView(store.name(slot), MonitorState.of(store.state[slot]), store.failures[slot],
                    store.successes[slot], store.verifyLeft[slot], store.failedRuns[slot],
                    store.has(slot, CHECK_IN_FLIGHT), store.has(slot, RUN_IN_FLIGHT), incidentId(slot),
                    store.alertSequence[slot], scheduled ? schedule.dueNanos(slot) : Long.MIN_VALUE,
                    store.deadlineNanos[slot], store.lastError[slot]);
        });
    }

    public EngineStats stats() {
        return onEngineThread(() -> {
            Map<MonitorState, Integer> byState = new EnumMap<>(MonitorState.class);
            for (MonitorState s : MonitorState.values()) byState.put(s, store.count(s.code()));
            return new EngineStats(byState, checksCompleted, inFlight, runsInFlight, ready.size(), late, missed,
                    staleDropped, deadlinesExpired, backPressureWaits, resultOverflows.sum(), alertsRaised,
                    dispatchLimit, planner.current(), lateness.copy(), readyMarks.pauses() + resultMarks.pauses());
        });
    }

    /** Distinct probes, code tables and actions held: what interning saved. */
    public int[] internedCounts() {
        return onEngineThread(() -> new int[] {probes.size(), codeTables.size(), actions.size()});
    }

    // ---------------------------------------------------------------- operator views (the API)

    /** A monitor's config summary, state, counters and recent results, or null when there is none. */
    public Detail detail(String name) {
        MonitorView view = lookup(name);
        if (view == null) return null;
        return onEngineThread(() -> {
            int slot = store.find(name);
            if (slot < 0) return null;
            ProbeKey probe = probes.key(store.probeId[slot]);
            List<CheckRecord> recent = store.history.results(slot).stream()
                    .map(r -> new CheckRecord(wallAt(r.tenths()), r.latencyMs(), r.error())).toList();
            int actionId = store.actionId[slot];
            List<Colour> colours = Arrays.stream(codeTables.get(store.codesId[slot]))
                    .filter(Objects::nonNull).map(CodeSpec::colour).toList();
            return new Detail(view, store.history.colour(slot), groupTables.get(store.groupsId[slot]), probe.type(),
                    probe.target(), store.intervalNanos[slot], probe.timeoutNanos(), probe.retries(),
                    store.unhealthyThreshold[slot], store.recoveryThreshold[slot], store.verifyThreshold[slot],
                    actionId == MonitorStore.NO_ACTION ? null : actions.key(actionId).action(),
                    store.maxFailedRuns[slot], colours, incidentSince(slot), recent);
        });
    }

    /**
     * One page of monitors in slot order. The scan stops at {@code limit} matches or after a fixed budget of
     * slots, whichever comes first; {@link Page#next()} continues it.
     */
    public Page monitors(Query q) {
        return onEngineThread(() -> {
            byte state = q.state() == null ? -1 : q.state().code();
            int colour = q.colour() == null ? -1
                    : Query.NO_COLOUR.equals(q.colour()) ? 0 : Colour.parse(q.colour()).ordinal() + 1;
            byte[] needle = q.nameContains() == null ? null : q.nameContains().getBytes(StandardCharsets.UTF_8);
            boolean[] inGroup = q.group() == null ? null : groupsContaining(q.group());
            List<Row> rows = new ArrayList<>(Math.min(q.limit(), 1_000));
            int skip = q.skip();
            int end = store.highWater();
            int slot = Math.max(0, q.from());
            int budgetEnd = (int) Math.min(end, (long) slot + PAGE_SCAN_BUDGET);
            for (; slot < budgetEnd && rows.size() < q.limit(); slot++) {
                if (!store.history.isLive(slot)) continue;
                if (state >= 0 && store.state[slot] != state) continue;
                if (colour >= 0 && store.history.colourCode(slot) != colour) continue;
                if (q.openIncident() && !store.has(slot, INCIDENT_OPEN)) continue;
                if (inGroup != null && !inGroup[store.groupsId[slot]]) continue;
                if (needle != null && !store.nameContains(slot, needle)) continue;
                if (skip > 0) {
                    skip--;
                    continue;
                }
                rows.add(new Row(store.name(slot), MonitorState.of(store.state[slot]), store.history.colour(slot),
                        groupTables.get(store.groupsId[slot]), incidentId(slot), incidentSince(slot),
                        store.lastError[slot]));
            }
            return new Page(rows, slot >= end ? -1 : slot, slot - Math.max(0, q.from()));
        });
    }

    /** Live monitors whose last colour is {@code colour} (null: none raised yet). */
    public int countByColour(Colour colour) {
        return onEngineThread(() -> store.history.countByColour(colour));
    }

    /** The grid's order; cheap to keep while {@link GridCells#version()} stays the same. */
    public GridLayout gridLayout() {
        return onEngineThread(() -> {
            int tables = groupTables.size();
            TreeMap<String, Integer> groupIndex = new TreeMap<>(
                    Comparator.comparing(String::isEmpty).thenComparing(Comparator.naturalOrder()));
            for (int id = 0; id < tables; id++) groupIndex.put(primaryGroup(id), 0);
            List<String> names = List.copyOf(groupIndex.keySet());
            for (int i = 0; i < names.size(); i++) groupIndex.put(names.get(i), i);
            int[] groupOfTable = new int[tables];
            for (int id = 0; id < tables; id++) groupOfTable[id] = groupIndex.get(primaryGroup(id));
            int[] counts = new int[names.size()];
            int end = store.highWater();
            for (int slot = 0; slot < end; slot++) {
                if (store.history.isLive(slot)) counts[groupOfTable[store.groupsId[slot]]]++;
            }
            int[] offsets = new int[names.size()];
            for (int g = 1; g < names.size(); g++) offsets[g] = offsets[g - 1] + counts[g - 1];
            int[] slots = new int[store.size()];
            for (int slot = 0; slot < end; slot++) {
                if (store.history.isLive(slot)) slots[offsets[groupOfTable[store.groupsId[slot]]]++] = slot;
            }
            // groups without live monitors are left out
            List<String> shownNames = new ArrayList<>();
            int shown = 0;
            for (int g = 0; g < names.size(); g++) if (counts[g] > 0) shown++;
            int[] shownCounts = new int[shown];
            for (int g = 0, k = 0; g < names.size(); g++) {
                if (counts[g] == 0) continue;
                shownNames.add(names.get(g));
                shownCounts[k++] = counts[g];
            }
            return new GridLayout(store.layoutVersion(), slots, List.copyOf(shownNames), shownCounts);
        });
    }

    /** Changes whenever the grid's layout does (monitors added or removed, groups changed). */
    public long gridVersion() {
        return onEngineThread(store::layoutVersion);
    }

    /** Every slot's state and last colour, one byte each. */
    public GridCells gridCells() {
        return onEngineThread(() -> {
            byte[] cells = new byte[store.highWater()];
            for (int slot = 0; slot < cells.length; slot++) {
                cells[slot] = store.history.isLive(slot)
                        ? (byte) (store.state[slot] | store.history.colourCode(slot) << 3) : GridCells.FREE;
            }
            return new GridCells(store.layoutVersion(), cells);
        });
    }

    /** Names of the given slots, or null when the layout changed since {@code version}. */
    public List<String> names(long version, int[] slots) {
        return onEngineThread(() -> {
            if (version != store.layoutVersion()) return null;
            List<String> out = new ArrayList<>(slots.length);
            for (int slot : slots) out.add(store.name(slot));
            return out;
        });
    }

    /**
     * Queues a check of the monitor now. The fixed-rate schedule keeps its phase: the next due check is
     * taken by this one.
     */
    public CheckNow checkNow(String name) {
        return onEngineThread(() -> {
            int slot = store.find(name);
            if (slot < 0) return CheckNow.NO_SUCH_MONITOR;
            if (store.state[slot] == PAUSED_CODE) return CheckNow.PAUSED;
            if (store.state[slot] == REMEDIATING_CODE) return CheckNow.REMEDIATING;
            if (store.has(slot, (byte) (CHECK_IN_FLIGHT | IN_READY))) return CheckNow.ALREADY_DUE;
            store.set(slot, IN_READY);
            ready.add(slot);
            return CheckNow.QUEUED;
        });
    }

    /**
     * Adds a maintenance window: its monitors (named, or in one of the groups) are PAUSED with gray from
     * start to end, then UNKNOWN, as the engine's clock passes those times.
     *
     * @throws IllegalArgumentException for unknown monitors, groups without monitors, or bad times
     */
    public MaintenanceWindow addMaintenance(List<String> monitors, List<String> groups, Instant start,
                                            Instant end) {
        if (monitors.isEmpty() && groups.isEmpty()) throw new IllegalArgumentException("name at least one monitor or group");
        if (!end.isAfter(start)) throw new IllegalArgumentException("end must be after start");
        return onEngineThread(() -> {
            if (end.toEpochMilli() <= wallNow()) throw new IllegalArgumentException("end is in the past");
            List<String> unknown = monitors.stream().filter(n -> store.find(n) < 0).toList();
            if (!unknown.isEmpty()) throw new IllegalArgumentException("unknown monitors: " + String.join(", ", unknown));
            List<String> empty = groups.stream().filter(g -> !anyGroupContains(g)).toList();
            if (!empty.isEmpty()) throw new IllegalArgumentException("no monitor in groups: " + String.join(", ", empty));
            Maintenance.Window w = maintenance.add(Set.copyOf(monitors), Set.copyOf(groups),
                    start.toEpochMilli(), end.toEpochMilli());
            updateMaintenance();
            return view(w);
        });
    }

    public List<MaintenanceWindow> maintenanceWindows() {
        return onEngineThread(() -> maintenance.windows.stream().map(Engine::view).toList());
    }

    /** Ends (or cancels) a window: its monitors leave maintenance unless another window covers them. */
    public boolean removeMaintenance(long id) {
        return onEngineThread(() -> {
            Maintenance.Window w = maintenance.remove(id);
            if (w == null) return false;
            if (w.active) {
                w.active = false;
                applyMaintenance(List.of(w));
            }
            return true;
        });
    }

    /** Totals for metrics, copied on the engine thread. */
    public Counters counters() {
        return onEngineThread(() -> new Counters(checksByOutcome.clone(), LATENCY_BOUNDS_SECONDS.clone(),
                latencyBuckets.clone(), latencySumNanos.clone(), runsByOutcome.clone(), maintenance.active()));
    }

    /** Whether the engine thread runs. */
    public boolean isRunning() {
        return running && loop != null && loop.isAlive();
    }

    private void recordCheck(int slot, boolean success, String error, long latencyNanos) {
        int type = probes.key(store.probeId[slot]).type().ordinal();
        Outcome outcome = success ? Outcome.SUCCESS : error == DEADLINE_EXCEEDED ? Outcome.DEADLINE : Outcome.FAILURE;
        checksByOutcome[type * OUTCOMES + outcome.ordinal()]++;
        if (latencyNanos >= 0) {
            int bucket = 0;
            while (bucket < LATENCY_BOUNDS_NANOS.length && latencyNanos > LATENCY_BOUNDS_NANOS[bucket]) bucket++;
            latencyBuckets[type * (LATENCY_BOUNDS_NANOS.length + 1) + bucket]++;
            latencySumNanos[type] += latencyNanos;
        }
        store.history.record(slot, tenths(), latencyNanos, success ? null : error == null ? "check failed" : error);
    }

    private void updateMaintenance() {
        applyMaintenance(maintenance.advance(wallNow()));
    }

    /** Re-evaluates every monitor the changed windows name or group: paused while any active window covers it. */
    private void applyMaintenance(List<Maintenance.Window> changed) {
        if (changed.isEmpty()) return;
        BitSet affected = new BitSet();
        boolean anyGroups = false;
        for (Maintenance.Window w : changed) {
            for (String n : w.monitors) {
                int slot = store.find(n);
                if (slot >= 0) affected.set(slot);
            }
            anyGroups |= !w.groups.isEmpty();
        }
        if (anyGroups) {
            boolean[] match = new boolean[groupTables.size()];
            for (int id = 0; id < match.length; id++) {
                for (Maintenance.Window w : changed) match[id] |= w.coversGroups(groupTables.get(id));
            }
            for (int slot = 0; slot < store.highWater(); slot++) {
                if (store.history.isLive(slot) && match[store.groupsId[slot]]) affected.set(slot);
            }
        }
        for (int slot = affected.nextSetBit(0); slot >= 0; slot = affected.nextSetBit(slot + 1)) {
            boolean covered = maintenance.covered(store.name(slot), groupTables.get(store.groupsId[slot]));
            setPausedAt(slot, PauseReason.MAINTENANCE.flag, covered);
        }
    }

    private static MaintenanceWindow view(Maintenance.Window w) {
        return new MaintenanceWindow(w.id, w.monitors.stream().sorted().toList(), w.groups.stream().sorted().toList(),
                Instant.ofEpochMilli(w.startMillis), Instant.ofEpochMilli(w.endMillis), w.active);
    }

    private boolean anyGroupContains(String group) {
        for (int id = 0; id < groupTables.size(); id++) if (groupTables.get(id).contains(group)) return true;
        return false;
    }

    private boolean[] groupsContaining(String group) {
        boolean[] in = new boolean[groupTables.size()];
        for (int id = 0; id < in.length; id++) in[id] = groupTables.get(id).contains(group);
        return in;
    }

    private String primaryGroup(int groupsId) {
        List<String> groups = groupTables.get(groupsId);
        return groups.isEmpty() ? "" : groups.getFirst();
    }

    private Instant incidentSince(int slot) {
        long since = store.history.incidentSince(slot);
        return since < 0 || !store.has(slot, INCIDENT_OPEN) ? null : wallAt(since);
    }

    /** The engine's time in tenths of a second since its origin: how the history stamps results. */
    private long tenths() {
        return (now - origin) / 100_000_000L;
    }

    private Instant wallAt(long tenths) {
        return Instant.ofEpochMilli(wallOrigin + tenths * 100);
    }

    private long wallNow() {
        return wallOrigin + (now - origin) / 1_000_000L;
    }

    // ---------------------------------------------------------------- the loop

    /** Runs one pass of every system at {@code nowNanos}. Only one thread may tick. */
    public void tick(long nowNanos) {
        now = Math.max(now, nowNanos);
        runCommands();
        if (maintenance.due(wallNow())) updateMaintenance();
        if (!readyMarks.holds(ready.size())) schedule.poll(now, onDue, readyMarks.high() - ready.size());
        dispatch();
        replanIfDue();
        drainInBatches(results, applyResult);
        deadlines.poll(now, onDeadline);
        runInterventions();
        drainInBatches(runResults, applyRunResult);
        outstanding = inFlight + runsInFlight;
        lastTickNanos = now;
    }

    /**
     * Starts the engine thread; it ticks, then parks until a result arrives or at most the max park. Checks
     * first fall due at their phase after the start, however long loading took, so a million monitors
     * loaded over seconds do not all fire at once.
     */
    public synchronized void start() {
        if (loop != null) throw new IllegalStateException("engine already started");
        realignSchedule();
        running = true;
        Thread t = new Thread(this::runLoop, "cpra-engine");
        t.setDaemon(true);
        loop = t;
        t.start();
    }

    /** No new checks or runs from now on; results still in flight are applied. */
    public void stopDispatching() {
        dispatching = false;
    }

    /** @return true when no check or run is in flight any more before the timeout */
    public boolean awaitDrain(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (outstanding > 0) {
            if (System.nanoTime() - end > 0) return false;
            Thread.sleep(1);
        }
        return true;
    }

    /** Stops the engine thread. The factories belong to the caller, who closes them. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            t = loop;
            running = false;
        }
        if (t == null) return;
        LockSupport.unpark(t);
        try {
            t.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void realignSchedule() {
        now = Math.max(now, clock.nanoTime());
        for (int slot = 0; slot < store.highWater(); slot++) {
            if (schedule.isScheduled(slot) && store.state[slot] != REMEDIATING_CODE) {
                schedule.schedule(slot, nextAlignedDue(slot));
            }
        }
    }

    private void runLoop() {
        while (running) {
            try {
                tick(clock.nanoTime());
            } catch (RuntimeException e) { // a bug in one system must not stop every monitor
                log.error("engine tick failed; continuing", e);
            }
            if (idle()) {
                parked = true;
                // re-check after publishing "parked": a result offered meanwhile has seen it and unparks us
                if (idle() && running) {
                    LockSupport.parkNanos(this, settings.maxParkNanos());
                }
                parked = false;
            }
        }
        runCommands(); // whoever queued a command after the last tick still gets an answer
    }

    /** Nothing to do before the next due time: no result, no command, no waiting work that could go now. */
    private boolean idle() {
        boolean canDispatch = dispatching && ((!ready.isEmpty() && mayDispatchCheck())
                || (!runReady.isEmpty() && runsInFlight < settings.maxRunsInFlight()));
        return !canDispatch && results.isEmpty() && runResults.isEmpty() && commands.isEmpty();
    }

    private void runCommands() {
        FutureTask<?> task;
        while ((task = commands.poll()) != null) task.run();
    }

    private <T> T onEngineThread(Callable<T> command) {
        Thread t = loop;
        if (t == null || t == Thread.currentThread() || !running) return callInline(command);
        FutureTask<T> task = new FutureTask<>(command);
        commands.add(task);
        LockSupport.unpark(t);
        try {
            while (true) {
                try {
                    return task.get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (!t.isAlive()) runCommands();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the engine thread", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        }
    }

    private static <T> T callInline(Callable<T> command) {
        try {
            return command.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- systems: schedule and dispatch

    private void onDue(int slot, long due) {
        if (store.state[slot] == REMEDIATING_CODE) {
            if (store.has(slot, RUN_IN_FLIGHT)) {
                deadlinesExpired++;
                finishRun(slot, false, DEADLINE_EXCEEDED);
            } else {
                queueRun(slot);
            }
        } else if (store.has(slot, CHECK_IN_FLIGHT)) {
            schedule.schedule(slot, skipMissed(slot, due));
        } else {
            recordArrival(due);
            store.set(slot, IN_READY);
            ready.add(slot);
        }
    }

    /**
     * @return the first due time after now from {@code due} on, counting the skipped ones as missed; they
     *         still arrived, so the capacity plan sees the demand even while the limit holds it back
     */
    private long skipMissed(int slot, long due) {
        if (due > now) return due;
        long interval = store.intervalNanos[slot];
        long skipped = (now - due) / interval + 1;
        missed += skipped;
        window.recordArrivals(now, skipped);
        return due + skipped * interval;
    }

    private void dispatch() {
        if (!dispatching) return;
        while (!ready.isEmpty()) {
            int slot = ready.peek();
            if (!store.has(slot, IN_READY)) { // paused or removed while waiting
                ready.poll();
                continue;
            }
            if (!mayDispatchCheck()) {
                if (planHoldsLateMonitor(slot)) continue;
                backPressureWaits++;
                return;
            }
            ready.poll();
            store.clear(slot, IN_READY);
            dispatchCheck(slot);
        }
    }

    private void dispatchCheck(int slot) {
        long due = schedule.dueNanos(slot);
        if (now - due > settings.lateToleranceNanos()) late++;
        lateness.record(now - due);
        schedule.schedule(slot, skipMissed(slot, due + store.intervalNanos[slot]));

        Probe probe = probes.get(store.probeId[slot]);
        int index = freeJobs[--freeJobCount];
        long id = (++jobSequence << jobIndexBits) | index;
        long deadline = now + probe.budgetNanos() + settings.graceNanos();
        CheckJob job = pool[index];
        job.slot = slot;
        job.generation = store.generation[slot];
        job.jobId = id;
        job.deadlineNanos = deadline;
        job.probe = probe;
        poolJobId[index] = id;
        poolSlot[index] = slot;
        poolGeneration[index] = store.generation[slot];
        poolDispatchNanos[index] = now;
        deadlines.schedule(index, deadline);
        store.jobId[slot] = id;
        store.deadlineNanos[slot] = deadline;
        store.set(slot, CHECK_IN_FLIGHT);
        inFlight++;
        try {
            probe.start(job, checkSink);
        } catch (RuntimeException e) { // a probe must not throw; if one does, it costs one failed check
            log.warn("probe for {} threw instead of failing", store.name(slot), e);
            job.success = false;
            job.error = "probe failed to start: " + e;
            complete(job);
        }
    }

    /** Called by probes from any thread. */
    private void complete(CheckJob job) {
        if (!results.offer(job)) {
            resultOverflows.increment(); // the job's deadline fails the check and replaces the job
        } else if (parked) {
            LockSupport.unpark(loop);
        }
    }

    // ---------------------------------------------------------------- capacity and back-pressure

    /** A free job, room under the planned limit, and the results queue not backed up. */
    private boolean mayDispatchCheck() {
        return freeJobCount > 0 && inFlight < dispatchLimit && !resultMarks.holds(results.size());
    }

    /**
     * The plan may hold a due monitor back by at most half the late tolerance: past that the plan was too
     * tight for this load (bursts it averages away), and the limit gives way to the whole pool until the next
     * plan. Never when the pool itself or the results queue is what holds.
     *
     * @return whether the limit was lifted
     */
    private boolean planHoldsLateMonitor(int slot) {
        if (dispatchLimit >= pool.length || freeJobCount == 0 || resultMarks.holding()) return false;
        if (now - schedule.dueNanos(slot) <= settings.lateToleranceNanos() / 2) return false;
        dispatchLimit = pool.length;
        return true;
    }

    /**
     * Arrivals are checks falling due, at their due times (not at the tick that found them, which would
     * bunch them per tick and inflate their variability), kept in order for the window.
     */
    private void recordArrival(long due) {
        lastArrivalNanos = Math.max(lastArrivalNanos, due);
        window.recordArrival(lastArrivalNanos);
    }

    /**
     * Every few seconds: the M/M/c plan (Allen-Cunneen) becomes the dispatch limit. With no load measured, or
     * with due monitors still waiting after dispatch (a backlog), the limit is the whole pool: a backlog
     * holds monitors back in the ready queue and the wheel, so the arrivals the plan sees are only what got
     * through, and a plan from them would shrink the limit while the backlog grows.
     */
    private void replanIfDue() {
        if (now < nextPlanNanos) return;
        nextPlanNanos = now + settings.planEveryNanos();
        CapacityPlan plan = planner.recompute(now);
        boolean backlog = !ready.isEmpty() || readyMarks.holding();
        dispatchLimit = plan.idle() || backlog ? pool.length : Math.min(pool.length, plan.servers());
    }

    /** The latest capacity plan; recomputed every {@link EngineSettings#planEveryNanos()} on the engine thread. */
    public CapacityPlan capacityPlan() {
        return planner.current();
    }

    /**
     * Monitors with a check or intervention run in flight whose deadline passed before the last tick: each
     * tick expires every deadline up to its time, so this must always be 0. A full scan of the store.
     */
    public int stuck() {
        return onEngineThread(() -> {
            int count = 0;
            byte inFlightFlags = CHECK_IN_FLIGHT | RUN_IN_FLIGHT;
            for (int slot = 0; slot < store.highWater(); slot++) {
                if ((store.flags[slot] & inFlightFlags) != 0 && store.deadlineNanos[slot] < lastTickNanos) count++;
            }
            return count;
        });
    }

    // ---------------------------------------------------------------- systems: results and deadlines

    /** Applies what is queued, in batches, at most one queue's worth per tick so a flood cannot stall the loop. */
    private <T> void drainInBatches(MpscAtomicArrayQueue<T> queue, MessagePassingQueue.Consumer<T> apply) {
        int batch = settings.resultBatch();
        int drained = 0;
        int n;
        do {
            n = queue.drain(apply, batch);
            drained += n;
        } while (n == batch && drained < queue.capacity());
    }

    private void applyResult(CheckJob job) {
        long id = job.jobId;
        int index = (int) (id & jobIndexMask);
        if (pool[index] != job || poolJobId[index] != id) { // abandoned at its deadline, or handed back twice
            staleDropped++;
            return;
        }
        deadlines.cancel(index);
        window.recordCompletion(now, now - poolDispatchNanos[index]);
        int slot = job.slot;
        if (!waitsFor(slot, job.generation, id)) {
            staleDropped++;
        } else if (now > job.deadlineNanos) {
            staleDropped++;
            deadlinesExpired++;
            applyCheck(slot, false, DEADLINE_EXCEEDED, -1);
        } else {
            applyCheck(slot, job.success, job.error, job.latencyNanos);
        }
        job.resetOutcome();
        job.probe = null;
        release(index);
    }

    private void onDeadline(int index, long deadline) {
        int slot = poolSlot[index];
        if (waitsFor(slot, poolGeneration[index], poolJobId[index])) applyCheck(slot, false, DEADLINE_EXCEEDED, -1);
        deadlinesExpired++;
        window.recordCompletion(now, now - poolDispatchNanos[index]); // it held its place until now
        // the probe may still hand the old job back some day: it no longer belongs to the pool
        pool[index] = new CheckJob();
        release(index);
    }

    private boolean waitsFor(int slot, int generation, long id) {
        return store.generation[slot] == generation && store.has(slot, CHECK_IN_FLIGHT) && store.jobId[slot] == id;
    }

    private void release(int index) {
        poolJobId[index] = NO_JOB;
        freeJobs[freeJobCount++] = index;
        inFlight--;
    }

    private void applyCheck(int slot, boolean success, String error, long latencyNanos) {
        store.clear(slot, CHECK_IN_FLIGHT);
        checksCompleted++;
        recordCheck(slot, success, error, latencyNanos);
        if (!success) store.lastError[slot] = error;
        int effects = Lifecycle.onCheck(store, slot, success);
        if (effects != Lifecycle.NONE) {
            applyEffects(slot, effects);
        } else if (store.state[slot] == UNHEALTHY_CODE) {
            remindIfDue(slot);
        }
    }

    // ---------------------------------------------------------------- systems: interventions

    private void queueRun(int slot) {
        store.set(slot, IN_RUN_READY);
        runReady.add(slot);
    }

    private void runInterventions() {
        while (!runReady.isEmpty()) {
            int slot = runReady.peek();
            if (!store.has(slot, IN_RUN_READY)) { // paused or removed while waiting
                runReady.poll();
                continue;
            }
            if (!dispatching) return;
            if (runsInFlight >= settings.maxRunsInFlight()) {
                backPressureWaits++;
                return;
            }
            runReady.poll();
            store.clear(slot, IN_RUN_READY);
            startRun(slot);
        }
    }

    private void startRun(int slot) {
        PreparedAction prepared = actions.get(store.actionId[slot]);
        long id = ++jobSequence << jobIndexBits;
        long deadline = now + prepared.action().budgetNanos() + settings.graceNanos();
        store.jobId[slot] = id;
        store.deadlineNanos[slot] = deadline;
        store.set(slot, RUN_IN_FLIGHT);
        runsInFlight++;
        schedule.schedule(slot, deadline);
        ActionJob job = new ActionJob(slot, store.generation[slot], id, store.name(slot), store.failedRuns[slot] + 1,
                MonitorState.REMEDIATING.name(), store.lastError[slot], deadline);
        try {
            prepared.action().start(job, runSink);
        } catch (RuntimeException e) {
            log.warn("action for {} threw instead of failing", job.monitor(), e);
            runDone(new ActionResult(job, false, "action failed to start: " + e, null, 0));
        }
    }

    /** Called by actions from any thread. */
    private void runDone(ActionResult result) {
        if (!runResults.offer(result)) {
            resultOverflows.increment(); // the run's deadline fails it
        } else if (parked) {
            LockSupport.unpark(loop);
        }
    }

    private void applyRunResult(ActionResult result) {
        ActionJob job = result.job();
        int slot = job.slot();
        if (slot >= store.highWater() || store.generation[slot] != job.generation()
                || !store.has(slot, RUN_IN_FLIGHT) || store.jobId[slot] != job.runId()) {
            staleDropped++;
        } else if (now > store.deadlineNanos[slot]) {
            staleDropped++;
            deadlinesExpired++;
            finishRun(slot, false, DEADLINE_EXCEEDED);
        } else {
            finishRun(slot, result.success(), result.error());
        }
    }

    private void finishRun(int slot, boolean success, String error) {
        store.clear(slot, RUN_IN_FLIGHT);
        runsInFlight--;
        schedule.cancel(slot);
        if (!success) store.lastError[slot] = error == null ? "intervention failed" : error;
        Outcome outcome = success ? Outcome.SUCCESS : error == DEADLINE_EXCEEDED ? Outcome.DEADLINE : Outcome.FAILURE;
        runsByOutcome[actions.key(store.actionId[slot]).action().ordinal() * OUTCOMES + outcome.ordinal()]++;
        applyEffects(slot, Lifecycle.onRun(store, slot, success));
        if (store.state[slot] != REMEDIATING_CODE) schedule.schedule(slot, nextAlignedDue(slot)); // checks resume
    }

    private long backoffNanos(int slot) {
        int level = store.backoffLevel[slot];
        long initial = settings.backoffInitialNanos();
        long max = settings.backoffMaxNanos();
        if (level >= 62 || initial > max >> level) return max;
        return Math.min(max, initial << level);
    }

    // ---------------------------------------------------------------- effects and alerts

    private void applyEffects(int slot, int effects) {
        if ((effects & Lifecycle.OPEN_INCIDENT) != 0) {
            store.incidentNumber[slot]++;
            store.set(slot, INCIDENT_OPEN);
            store.history.incidentOpened(slot, tenths());
            store.timerNanos[slot] = now + redRepeatNanos(slot);
        }
        Colour colour = Lifecycle.colourOf(effects);
        if (colour != null) raise(slot, colour);
        if ((effects & Lifecycle.CLOSE_INCIDENT) != 0) store.clear(slot, INCIDENT_OPEN);
        if ((effects & Lifecycle.START_RUN) != 0) {
            schedule.cancel(slot);
            queueRun(slot);
        }
        if ((effects & Lifecycle.RUN_AFTER_BACKOFF) != 0) {
            schedule.schedule(slot, now + backoffNanos(slot));
            if (store.backoffLevel[slot] < Byte.MAX_VALUE) store.backoffLevel[slot]++;
        }
    }

    /** The optional red reminder ({@code codes.red.repeat}) while the incident stays open. */
    private void remindIfDue(int slot) {
        long repeat = redRepeatNanos(slot);
        if (repeat <= 0 || now < store.timerNanos[slot]) return;
        raise(slot, Colour.RED);
        store.timerNanos[slot] = Math.max(store.timerNanos[slot] + repeat, now + 1);
    }

    private long redRepeatNanos(int slot) {
        CodeSpec red = codeTables.get(store.codesId[slot])[Colour.RED.ordinal()];
        return red == null ? 0 : red.repeatNanos();
    }

    /** Hands the colour to the sink when the monitor configures it with dispatch on. */
    private void raise(int slot, Colour colour) {
        store.history.raised(slot, colour);
        CodeSpec code = codeTables.get(store.codesId[slot])[colour.ordinal()];
        if (code == null || !code.dispatch()) return;
        long sequence = ++store.alertSequence[slot];
        alertsRaised++;
        String error = colour == Colour.YELLOW || colour == Colour.RED ? store.lastError[slot] : null;
        int actionId = store.actionId[slot];
        String action = actionId == MonitorStore.NO_ACTION ? null : actions.get(actionId).key();
        Alert alert = new Alert(store.name(slot), sequence, colour, code, store.jobId[slot], incidentId(slot), error,
                action, clock.wallMillis());
        try {
            alertSink.submit(alert);
        } catch (RuntimeException e) { // the sink must not throw; the engine must survive it if it does
            // not the alert itself: its code carries notifier settings, which may hold secrets
            log.error("alert sink rejected {} #{} of {}", colour.key(), sequence, alert.monitor(), e);
        }
    }

    private String incidentId(int slot) {
        return store.has(slot, INCIDENT_OPEN) ? store.name(slot) + "-" + store.incidentNumber[slot] : null;
    }

    // ---------------------------------------------------------------- hot reload, driven by Reloader

    /**
     * Sorts specs [from, end of batch) of the new config against the running monitors: marks those it names
     * as seen and stages the added and changed ones. Nothing changes yet.
     *
     * @return the index reached when the budget ran out, or the batch size
     */
    int classifyForReload(List<MonitorSpec> batch, long[] fingerprints, int from, ReloadPlan plan, long budgetNanos) {
        return onEngineThread(() -> withinBudget(from, batch.size(), budgetNanos, i -> {
            MonitorSpec spec = batch.get(i);
            int slot = store.find(spec.name());
            if (slot < 0) {
                plan.added++;
                plan.stage(spec, fingerprints[i]);
            } else {
                plan.seen.set(slot);
                if (store.fingerprint[slot] == fingerprints[i]) {
                    plan.unchanged++;
                } else {
                    plan.changed++;
                    plan.stage(spec, fingerprints[i]);
                }
            }
        }));
    }

    /**
     * Prepares the probes, code tables and actions of staged monitors [from, to) ahead of applying any; the
     * monitors the factories refuse go to {@code refused}. Entries prepared for a refused reload go at the
     * next compaction.
     *
     * @return the index reached
     */
    int prepareForReload(ReloadPlan plan, int from, int to, long budgetNanos, List<ConfigError> refused) {
        return onEngineThread(() -> withinBudget(from, to, budgetNanos, i -> {
            MonitorSpec spec = plan.staged.get(i);
            try {
                prepareParts(spec);
            } catch (IllegalArgumentException e) {
                SourcePosition at = spec.source();
                refused.add(new ConfigError(at.file(), at.line(), at.column(), spec.name(), null, e.getMessage()));
            }
        }));
    }

    /**
     * Removes the monitors the new config does not name, scanning slots from {@code from} on.
     *
     * @return the slot to go on from, or -1 when every slot is done
     */
    int removeUnseen(ReloadPlan plan, int from, long budgetNanos) {
        return onEngineThread(() -> {
            int end = store.highWater();
            int reached = withinBudget(from, end, budgetNanos, slot -> {
                if (plan.seen.get(slot) || !store.isLive(slot)) return;
                if (store.has(slot, (byte) (CHECK_IN_FLIGHT | RUN_IN_FLIGHT))) plan.inFlightDropped++;
                forget(slot);
                store.free(slot);
                plan.removed++;
            });
            return reached < end ? reached : -1;
        });
    }

    /** Adds or updates the staged monitors [from, to), already prepared. @return the index reached */
    int applyStaged(ReloadPlan plan, int from, int to, long budgetNanos) {
        return onEngineThread(() -> withinBudget(from, to, budgetNanos, i -> {
            MonitorSpec spec = plan.staged.get(i);
            int slot = store.find(spec.name());
            if (slot < 0) addNow(spec, plan.fingerprint(i));
            else updateNow(slot, spec, plan.fingerprint(i));
        }));
    }

    /**
     * Runs {@code step} for indexes from {@code from} up to {@code to}, stopping early once the budget is
     * spent, so one command never holds the engine thread long. @return the index reached
     */
    private static int withinBudget(int from, int to, long budgetNanos, IntConsumer step) {
        long start = System.nanoTime();
        int i = from;
        while (i < to) {
            step.accept(i++);
            if ((i & 63) == 0 && System.nanoTime() - start > budgetNanos) break;
        }
        return i;
    }

    /** Drops what no monitor refers to any more: names of removed monitors, unused probes, code tables, actions. */
    void compactAfterReload() {
        onEngineThread(() -> {
            store.compactNames();
            boolean[] probeUsed = new boolean[probes.idLimit()];
            boolean[] codesUsed = new boolean[codeTables.idLimit()];
            boolean[] actionUsed = new boolean[actions.idLimit()];
            for (int slot = 0; slot < store.highWater(); slot++) {
                if (!store.isLive(slot)) continue;
                probeUsed[store.probeId[slot]] = true;
                codesUsed[store.codesId[slot]] = true;
                if (store.actionId[slot] != MonitorStore.NO_ACTION) actionUsed[store.actionId[slot]] = true;
            }
            probes.retain(id -> probeUsed[id]);
            codeTables.retain(id -> codesUsed[id]);
            actions.retain(id -> actionUsed[id]);
            return null;
        });
    }

    /** What the store and interned tables hold: slots ever used, name bytes, probes, code tables, actions. */
    Footprint footprint() {
        return onEngineThread(() -> new Footprint(store.highWater(), store.nameBytes(), probes.size(),
                codeTables.size(), actions.size()));
    }

    record Footprint(int slots, int nameBytes, int probes, int codeTables, int actions) {}

    /** Applies a changed spec to a running monitor, resetting only what changed (the table in {@link Reloader}). */
    private void updateNow(int slot, MonitorSpec spec, long fingerprint) {
        Parts parts = prepareParts(spec);
        boolean interventionRemoved = store.actionId[slot] != MonitorStore.NO_ACTION
                && parts.actionId() == MonitorStore.NO_ACTION;
        setParts(slot, spec, parts);
        store.verifyLeft[slot] = (short) Math.min(store.verifyLeft[slot], store.verifyThreshold[slot]);
        store.fingerprint[slot] = fingerprint;
        if (interventionRemoved) withdrawIntervention(slot);
        long interval = spec.pulse().intervalNanos();
        if (store.intervalNanos[slot] != interval) {
            store.intervalNanos[slot] = interval;
            rephase(slot);
        }
        setPausedAt(slot, PauseReason.DISABLED.flag, !spec.enabled());
        setPausedAt(slot, PauseReason.MAINTENANCE.flag, maintenance.covered(spec.name(), spec.pulse().groups()));
    }

    /** REMEDIATING without an intervention any more: the run out is dropped, the incident opens, checks resume. */
    private void withdrawIntervention(int slot) {
        if (store.state[slot] != REMEDIATING_CODE) return;
        if (store.has(slot, RUN_IN_FLIGHT)) runsInFlight--; // its result will be dropped as stale
        store.clear(slot, (byte) (RUN_IN_FLIGHT | IN_RUN_READY));
        schedule.cancel(slot);
        applyEffects(slot, Lifecycle.onInterventionRemoved(store, slot));
        schedule.schedule(slot, nextAlignedDue(slot));
    }

    /** The next check moves to the monitor's phase of its new interval; a check in flight stays out. */
    private void rephase(int slot) {
        byte state = store.state[slot];
        if (state == PAUSED_CODE || state == REMEDIATING_CODE) return; // not scheduled for checks now
        store.clear(slot, IN_READY); // dispatch skips its entry in the ready queue
        schedule.schedule(slot, nextAlignedDue(slot));
    }

    /** Interns the spec's probe, code table and action, preparing the ones not seen before. */
    private Parts prepareParts(MonitorSpec spec) {
        PulseSpec pulse = spec.pulse();
        if (pulse.intervalNanos() <= 0) throw new IllegalArgumentException(spec.name() + ": interval must be positive");
        int probeId = probes.intern(ProbeKey.of(pulse), key -> probeFactory.prepare(pulse));
        int codesId = codeTables.intern(spec.codes(), Engine::codeTable);
        int actionId = spec.hasIntervention()
                ? actions.intern(spec.intervention(), s -> new PreparedAction(actionFactory.prepare(s), s.action().key()))
                : MonitorStore.NO_ACTION;
        return new Parts(probeId, codesId, actionId);
    }

    /** Thresholds and interned ids; state and counters are left alone. */
    private void setParts(int slot, MonitorSpec spec, Parts parts) {
        PulseSpec pulse = spec.pulse();
        store.unhealthyThreshold[slot] = threshold(pulse.unhealthyThreshold());
        store.recoveryThreshold[slot] = threshold(pulse.recoveryThreshold());
        store.verifyThreshold[slot] = threshold(pulse.verifyThreshold());
        store.maxFailedRuns[slot] = threshold(spec.hasIntervention() ? spec.intervention().maxFailures() : 1);
        store.probeId[slot] = parts.probeId();
        store.codesId[slot] = parts.codesId();
        store.actionId[slot] = parts.actionId();
        store.setGroups(slot, groupTables.intern(pulse.groups(), List::copyOf));
    }

    private record Parts(int probeId, int codesId, int actionId) {}

    // ---------------------------------------------------------------- helpers

    /** Stops waiting for anything of this monitor: in-flight results will be dropped as stale. */
    private void forget(int slot) {
        if (store.has(slot, RUN_IN_FLIGHT)) runsInFlight--;
        store.clear(slot, (byte) (CHECK_IN_FLIGHT | RUN_IN_FLIGHT | IN_READY | IN_RUN_READY | INCIDENT_OPEN));
        schedule.cancel(slot);
        store.failures[slot] = 0;
        store.successes[slot] = 0;
        store.verifyLeft[slot] = 0;
        store.failedRuns[slot] = 0;
        store.backoffLevel[slot] = 0;
    }

    /** The monitor's first phase-aligned due time at or after now. */
    private long nextAlignedDue(int slot) {
        long interval = store.intervalNanos[slot];
        long first = origin + Math.floorMod(store.nameHash(slot), interval);
        if (first >= now) return first;
        return first + Math.ceilDiv(now - first, interval) * interval;
    }

    private static short threshold(int value) {
        return (short) Math.clamp(value, 1, Short.MAX_VALUE);
    }

    private static CodeSpec[] codeTable(Map<Colour, CodeSpec> codes) {
        CodeSpec[] table = new CodeSpec[Colour.values().length];
        codes.forEach((colour, code) -> table[colour.ordinal()] = code);
        return table;
    }

    /** What makes two pulse specs share one probe: everything the probe does, nothing of the schedule. */
    private record ProbeKey(PulseType type, PulseTarget target, long timeoutNanos, int retries, List<String> conditions) {
        static ProbeKey of(PulseSpec p) {
            return new ProbeKey(p.type(), p.target(), p.timeoutNanos(), p.retries(), p.conditions());
        }
    }

    private record PreparedAction(Action action, String key) {}
}
