package io.cpra.engine;

import io.cpra.actions.Action;
import io.cpra.actions.ActionFactory;
import io.cpra.actions.ActionJob;
import io.cpra.actions.ActionResult;
import io.cpra.checks.CheckJob;
import io.cpra.checks.CheckSink;
import io.cpra.checks.Probe;
import io.cpra.checks.ProbeFactory;
import io.cpra.config.CodeSpec;
import io.cpra.config.Colour;
import io.cpra.config.InterventionSpec;
import io.cpra.config.MonitorSpec;
import io.cpra.config.PulseSpec;
import io.cpra.config.PulseTarget;
import io.cpra.config.PulseType;
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

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

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
        onEngineThread(() -> {
            addNow(spec);
            return null;
        });
    }

    private void addNow(MonitorSpec spec) {
        PulseSpec pulse = spec.pulse();
        if (pulse.intervalNanos() <= 0) throw new IllegalArgumentException(spec.name() + ": interval must be positive");
        int probeId = probes.intern(ProbeKey.of(pulse), key -> probeFactory.prepare(pulse));
        int codesId = codeTables.intern(spec.codes(), Engine::codeTable);
        int actionId = spec.hasIntervention()
                ? actions.intern(spec.intervention(), s -> new PreparedAction(actionFactory.prepare(s), s.action().key()))
                : MonitorStore.NO_ACTION;

        int slot = store.allocate(spec.name(), spec.enabled() ? UNKNOWN_CODE : PAUSED_CODE);
        store.unhealthyThreshold[slot] = threshold(pulse.unhealthyThreshold());
        store.recoveryThreshold[slot] = threshold(pulse.recoveryThreshold());
        store.verifyThreshold[slot] = threshold(pulse.verifyThreshold());
        store.maxFailedRuns[slot] = threshold(spec.hasIntervention() ? spec.intervention().maxFailures() : 1);
        store.intervalNanos[slot] = pulse.intervalNanos();
        store.probeId[slot] = probeId;
        store.codesId[slot] = codesId;
        store.actionId[slot] = actionId;
        schedule.ensureCapacity(slot + 1);
        if (spec.enabled()) {
            schedule.schedule(slot, nextAlignedDue(slot));
        } else {
            store.set(slot, PauseReason.DISABLED.flag);
        }
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
        byte reason = why.flag;
        return onEngineThread(() -> {
            int slot = store.find(name);
            if (slot < 0) return false;
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
        });
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

    // ---------------------------------------------------------------- the loop

    /** Runs one pass of every system at {@code nowNanos}. Only one thread may tick. */
    public void tick(long nowNanos) {
        now = Math.max(now, nowNanos);
        runCommands();
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
            applyCheck(slot, false, DEADLINE_EXCEEDED);
        } else {
            applyCheck(slot, job.success, job.error);
        }
        job.resetOutcome();
        job.probe = null;
        release(index);
    }

    private void onDeadline(int index, long deadline) {
        int slot = poolSlot[index];
        if (waitsFor(slot, poolGeneration[index], poolJobId[index])) applyCheck(slot, false, DEADLINE_EXCEEDED);
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

    private void applyCheck(int slot, boolean success, String error) {
        store.clear(slot, CHECK_IN_FLIGHT);
        checksCompleted++;
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
