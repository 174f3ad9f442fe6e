package io.cpra.engine;

import io.cpra.config.Capabilities;
import io.cpra.config.ConfigError;
import io.cpra.config.LoadResult;
import io.cpra.config.MonitorLoader;
import io.cpra.config.MonitorSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Hot reload: reads the monitor files again and brings the running engine to them, without a restart and
 * without stalling checks (SIGHUP, {@code POST /-/reload}). One reload runs at a time.
 *
 * <ol>
 *   <li>Load and validate, streaming. Each spec is fingerprinted ({@link SpecFingerprint}) on the calling
 *       thread and classified against the running monitor of the same name on the engine thread, in batches:
 *       an equal fingerprint means unchanged and the spec is dropped at once; only added and changed specs
 *       are staged, plus one bit per running monitor named. So a million monitors with 1% changed never sit
 *       in memory twice. Nothing runs differently yet.</li>
 *   <li>If the files have any error, stop: the errors are logged and returned, the engine keeps its previous
 *       config (CONFIG.md). The same if a probe or action factory refuses a staged monitor.</li>
 *   <li>Apply: first the removed (their slots are reused), then the changed and added. A check due meanwhile
 *       runs on whichever config its monitor has at that moment.</li>
 *   <li>Compact: names of removed monitors and probes, code tables and actions no monitor uses any more are
 *       dropped, so reload after reload does not grow the engine.</li>
 * </ol>
 *
 * <p>Every step that touches the engine runs as commands of at most {@code chunk} monitors and
 * {@link #COMMAND_BUDGET_NANOS} each, between two engine ticks, so checks keep flowing during a reload.
 *
 * <p>What a reload does to a monitor, by name:
 * <table>
 *   <caption>reload rules</caption>
 *   <tr><th>in the new config</th><th>effect</th></tr>
 *   <tr><td>equal (where it stands in its file does not count)</td>
 *       <td>untouched: state, counters, next due time, check or run in flight</td></tr>
 *   <tr><td>interval changed</td>
 *       <td>re-phased: next check at the monitor's phase of the new interval; state and counters kept; a check
 *           in flight stays out; while REMEDIATING the run goes on and checks resume at the new interval</td></tr>
 *   <tr><td>type, target, timeout, retries or conditions changed</td>
 *       <td>the new (interned) probe from the next check on; state and counters kept; a check in flight
 *           completes on the old probe and counts</td></tr>
 *   <tr><td>thresholds changed (U, K, M, A)</td>
 *       <td>apply from the next result on; state and counters kept (VR capped at the new M)</td></tr>
 *   <tr><td>codes changed</td><td>the new code table from the next alert on</td></tr>
 *   <tr><td>intervention changed or added</td><td>the new action from the next run on; a run in flight completes</td></tr>
 *   <tr><td>intervention removed</td>
 *       <td>REMEDIATING: the run in flight is dropped, red, UNHEALTHY (threshold reached with no intervention
 *           left), checks resume; any other state goes on with the rules for no intervention</td></tr>
 *   <tr><td>enabled → disabled</td><td>PAUSED, gray, results in flight dropped (as a runtime disable)</td></tr>
 *   <tr><td>disabled → enabled</td>
 *       <td>UNKNOWN, checks resume at the monitor's phase; stays PAUSED while paused through the API or in
 *           maintenance</td></tr>
 *   <tr><td>only metadata, groups or notify_groups changed</td><td>counted as changed; nothing in the engine uses them</td></tr>
 *   <tr><td>absent</td>
 *       <td>removed: results in flight are dropped and counted stale; the slot is reused with a new generation</td></tr>
 *   <tr><td>new</td><td>added as at start: UNKNOWN (PAUSED when disabled), first check at its phase (spread by name)</td></tr>
 * </table>
 *
 * <p>The files are the whole config: a monitor added at runtime through the API and absent from them is
 * removed.
 */
public final class Reloader implements Supplier<ReloadReport>, AutoCloseable {

    /** Monitors read before they are classified, and at most classified or applied per engine command. */
    static final int CHUNK = 10_000;
    /** Longest an engine command of a reload may run: checks wait meanwhile. */
    static final long COMMAND_BUDGET_NANOS = 1_000_000;

    private static final Logger log = LoggerFactory.getLogger(Reloader.class);

    private final Engine engine;
    private final List<Path> paths;
    private final Capabilities capabilities;
    private final Map<String, String> env;
    private final int chunk;
    private boolean closed;

    /** Reloads {@code paths} with {@code ${VAR}} taken from the process environment. */
    public Reloader(Engine engine, List<Path> paths, Capabilities capabilities) {
        this(engine, paths, capabilities, System.getenv(), CHUNK);
    }

    Reloader(Engine engine, List<Path> paths, Capabilities capabilities, Map<String, String> env, int chunk) {
        this.engine = engine;
        this.paths = List.copyOf(paths);
        this.capabilities = capabilities;
        this.env = env;
        this.chunk = chunk;
    }

    @Override
    public ReloadReport get() {
        return reload();
    }

    /** Reloads the files; on any error nothing changes and the report says why. */
    public synchronized ReloadReport reload() {
        if (closed) return ReloadReport.failed(List.of(new ConfigError(null, 0, 0, null, null, "shutting down")), 0);
        long start = System.nanoTime();
        ReloadPlan plan = new ReloadPlan();
        Batch batch = new Batch(plan);
        LoadResult loaded = MonitorLoader.load(paths, capabilities, env, batch::add);
        batch.flush();
        List<ConfigError> errors = loaded.ok() ? prepare(plan) : loaded.errors();
        if (!errors.isEmpty()) {
            if (loaded.ok()) engine.compactAfterReload(); // what was prepared for nothing
            log.warn("reload of {} refused, still running the previous config: {} error(s)", paths, errors.size());
            for (ConfigError e : errors) log.warn("  {}", e);
            return ReloadReport.failed(errors, System.nanoTime() - start);
        }
        apply(plan);
        engine.compactAfterReload();
        long elapsed = System.nanoTime() - start;
        log.info("reloaded {}: {} added, {} changed, {} removed ({} with a check or run in flight, dropped), {} unchanged in {} ms",
                paths, plan.added, plan.changed, plan.removed, plan.inFlightDropped, plan.unchanged, elapsed / 1_000_000);
        return new ReloadReport(true, List.of(), plan.added, plan.changed, plan.removed, plan.unchanged, elapsed);
    }

    /** Waits for a reload in progress to finish; later ones are refused. Call before closing the engine. */
    @Override
    public synchronized void close() {
        closed = true;
    }

    private List<ConfigError> prepare(ReloadPlan plan) {
        List<ConfigError> refused = new ArrayList<>();
        for (int i = 0; i < plan.staged.size(); ) {
            i = engine.prepareForReload(plan, i, Math.min(plan.staged.size(), i + chunk), COMMAND_BUDGET_NANOS, refused);
        }
        return refused;
    }

    private void apply(ReloadPlan plan) {
        for (int slot = 0; slot >= 0; ) slot = engine.removeUnseen(plan, slot, COMMAND_BUDGET_NANOS);
        for (int i = 0; i < plan.staged.size(); ) {
            i = engine.applyStaged(plan, i, Math.min(plan.staged.size(), i + chunk), COMMAND_BUDGET_NANOS);
        }
    }

    /** The specs read but not yet classified, with their fingerprints. */
    private final class Batch {
        private final ReloadPlan plan;
        private final List<MonitorSpec> specs = new ArrayList<>();
        private final long[] fingerprints = new long[chunk];

        Batch(ReloadPlan plan) {
            this.plan = plan;
        }

        void add(MonitorSpec spec) {
            fingerprints[specs.size()] = SpecFingerprint.of(spec);
            specs.add(spec);
            if (specs.size() == chunk) flush();
        }

        void flush() {
            if (specs.isEmpty()) return;
            for (int i = 0; i < specs.size(); ) i = engine.classifyForReload(specs, fingerprints, i, plan, COMMAND_BUDGET_NANOS);
            specs.clear();
        }
    }
}
