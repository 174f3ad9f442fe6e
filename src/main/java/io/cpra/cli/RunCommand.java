package io.cpra.cli;

import io.cpra.actions.Actions;
import io.cpra.api.ApiServer;
import io.cpra.api.ApiSettings;
import io.cpra.checks.ProbeRouter;
import io.cpra.config.ConfigError;
import io.cpra.config.Durations;
import io.cpra.config.LoadResult;
import io.cpra.config.MonitorLoader;
import io.cpra.config.MonitorSpec;
import io.cpra.engine.Clock;
import io.cpra.engine.Engine;
import io.cpra.engine.EngineSettings;
import io.cpra.engine.ReloadWatcher;
import io.cpra.engine.Reloader;
import io.cpra.engine.ReloadReport;
import io.cpra.notify.Alert;
import io.cpra.notify.AlertDispatcher;
import io.cpra.notify.DeliveryPolicy;
import io.cpra.notify.Notifiers;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code cpra run}: load the monitor files, run every monitor until SIGINT or SIGTERM, then stop
 * dispatching, wait for in-flight work up to its deadlines, flush alerts and exit 0. SIGHUP reloads the
 * files ({@link Reloader}): an invalid file is refused and logged, the monitors keep running.
 */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = {"Run the monitors of the given files until SIGINT or SIGTERM; SIGHUP reloads the files."})
final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger("io.cpra");

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE_OR_DIR",
            description = "Monitor files (.yaml, .yml, .json, optionally .gz) or directories of them.")
    private List<Path> paths;

    @Option(names = "--status-interval", defaultValue = "10s", converter = DurationConverter.class,
            description = "How often to log the status line (default ${DEFAULT-VALUE}).")
    private Duration statusInterval;

    @Option(names = "--max-in-flight", defaultValue = "16384",
            description = "Most checks in flight at once (default ${DEFAULT-VALUE}).")
    private int maxInFlight;

    @Option(names = "--drain-timeout", defaultValue = "30s", converter = DurationConverter.class,
            description = "On shutdown, longest wait for checks, runs and alert deliveries in flight (default ${DEFAULT-VALUE}).")
    private Duration drainTimeout;

    @Option(names = "--api", defaultValue = ApiSettings.DEFAULT_ADDRESS, paramLabel = "HOST:PORT",
            description = "Serve the HTTP API, metrics and dashboard here (default ${DEFAULT-VALUE}; when that "
                    + "default is busy, cpra runs without the API and warns). Changes through the API need the token "
                    + "in " + ApiSettings.TOKEN_VARIABLE + "; without it only a loopback address may be bound.")
    private String api;

    @Option(names = "--no-api", description = "Do not serve the HTTP API.")
    private boolean noApi;

    @Option(names = "--intervention-backoff", defaultValue = "10s", converter = DurationConverter.class,
            description = "Wait before the second intervention run of an incident, doubling after each (default ${DEFAULT-VALUE}).")
    private Duration backoff;

    @Option(names = "--intervention-backoff-max", defaultValue = "5m", converter = DurationConverter.class,
            description = "Cap of the doubling intervention back-off (default ${DEFAULT-VALUE}).")
    private Duration backoffMax;

    @Option(names = "--delivery-attempts", defaultValue = "10",
            description = "Attempts per alert and destination before it is given up (default ${DEFAULT-VALUE}).")
    private int deliveryAttempts;

    @Option(names = "--delivery-backoff", defaultValue = "1s", converter = DurationConverter.class,
            description = "Wait before an alert's first retry, doubling after each (default ${DEFAULT-VALUE}).")
    private Duration deliveryBackoff;

    @Option(names = "--delivery-backoff-max", defaultValue = "5m", converter = DurationConverter.class,
            description = "Cap of the doubling delivery back-off (default ${DEFAULT-VALUE}).")
    private Duration deliveryBackoffMax;

    @Option(names = "--watch",
            description = "Also reload when a monitor file changes, once it has been quiet for 1 s (SIGHUP always reloads).")
    private boolean watch;

    @Override
    public Integer call() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        // Our own handlers instead of shutdown hooks: the drain below runs in order and the exit code stays 0.
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        HangUp hangUp = new HangUp(); // from the start: an unhandled SIGHUP would end the JVM mid-load
        Signal.handle(new Signal("HUP"), s -> hangUp.signalled());

        if (backoffMax.compareTo(backoff) < 0) {
            throw new ParameterException(spec.commandLine(), "--intervention-backoff-max must be at least --intervention-backoff");
        }
        if (deliveryAttempts < 1 || deliveryBackoffMax.compareTo(deliveryBackoff) < 0) {
            throw new ParameterException(spec.commandLine(),
                    "--delivery-attempts must be at least 1 and --delivery-backoff-max at least --delivery-backoff");
        }
        DeliveryPolicy delivery = new DeliveryPolicy(deliveryBackoff, deliveryBackoffMax, deliveryAttempts,
                DeliveryPolicy.DEFAULT.jitter(), DeliveryPolicy.DEFAULT.perDestination(), DeliveryPolicy.DEFAULT.maxBatch());
        EngineSettings settings = EngineSettings.DEFAULTS.withMaxInFlight(maxInFlight).withBackoff(backoff, backoffMax);
        ApiSettings apiSettings = noApi ? null : apiSettings();
        try (Notifiers notifiers = new Notifiers();
             ProbeRouter probes = ProbeRouter.open();
             Actions actions = new Actions()) {
            AlertDispatcher alerts = new AlertDispatcher(notifiers::get, delivery);
            Engine engine = new Engine(settings, Clock.SYSTEM, probes, actions, alerts);
            AtomicBoolean loaded = new AtomicBoolean();
            ApiServer apiServer = startApi(apiSettings, engine, loaded, hangUp);
            if (apiServer != null) {
                apiServer.watch(alerts);
                log.info("API, metrics and dashboard on http://{}", hostPort(apiServer.address()));
            }
            List<String> refused = new ArrayList<>();
            LoadResult result = MonitorLoader.load(paths, BuildCapabilities.CURRENT, monitor -> add(engine, monitor, refused));
            if (!result.ok() || !refused.isEmpty()) {
                if (apiServer != null) apiServer.close();
                PrintWriter err = spec.commandLine().getErr();
                for (ConfigError e : result.errors()) err.println(e);
                for (String r : refused) err.println(r);
                err.flush();
                engine.close();
                alerts.close(Duration.ZERO);
                return ExitCode.INVALID_CONFIG;
            }
            log.info("cpra {} running {} monitors from {}", ManifestVersion.version(), result.monitors(), paths);
            if (!probes.warmUp(Duration.ofSeconds(5))) log.warn("probe warm-up did not finish in 5s; first checks may be slow");
            engine.start();
            Reloader reloader = new Reloader(engine, paths, BuildCapabilities.CURRENT);
            hangUp.ready(reloader);
            ReloadWatcher watcher = watch ? new ReloadWatcher(paths, Duration.ofSeconds(1), () -> reload(reloader)) : null;
            loaded.set(true);
            StatusLine status = new StatusLine(engine::stats, Clock.SYSTEM);
            while (!stop.await(statusInterval.toMillis(), TimeUnit.MILLISECONDS)) {
                log.info(status.next());
            }
            if (watcher != null) watcher.close();
            reloader.close();
            log.info("stopping: no new checks, waiting up to {} for work in flight", Durations.format(drainTimeout.toNanos()));
            if (apiServer != null) apiServer.close();
            engine.stopDispatching();
            if (!engine.awaitDrain(drainTimeout)) log.warn("stopping with work still in flight after {}", Durations.format(drainTimeout.toNanos()));
            engine.close();
            List<Alert> unsent = alerts.close(drainTimeout);
            if (!unsent.isEmpty()) log.warn("{} alerts could not be delivered before exit", unsent.size());
            log.info(status.next());
            return ExitCode.OK;
        }
    }

    /** SIGHUP reloads once the engine runs; one received while loading reloads right after. */
    private static final class HangUp {
        private final AtomicReference<Reloader> reloader = new AtomicReference<>();
        private final AtomicBoolean pending = new AtomicBoolean();

        /** On the signal's own handler thread. */
        void signalled() {
            pending.set(true);
            Reloader r = reloader.get();
            if (r != null) reloadIfPending(r);
        }

        void ready(Reloader r) {
            reloader.set(r);
            reloadIfPending(r);
        }

        private void reloadIfPending(Reloader r) {
            if (pending.getAndSet(false)) reload(r);
        }

        /** {@code POST /-/reload}: the report goes back to the caller. */
        ReloadReport reloadNow() {
            Reloader r = reloader.get();
            if (r == null) throw new UnsupportedOperationException("the monitor files are still loading; reload after start");
            return r.reload();
        }
    }

    /** A reload that fails has already logged its errors. */
    private static void reload(Reloader reloader) {
        log.info("reloading the monitor files");
        try {
            reloader.reload();
        } catch (RuntimeException e) { // a bug must not take the running monitors down with it
            log.error("reload failed, still running the previous config", e);
        }
    }

    /**
     * Serves the API, or not with {@code --no-api}. When the default address is busy cpra keeps monitoring
     * without it (a warning says so); an address asked for with {@code --api} must be served.
     */
    private ApiServer startApi(ApiSettings settings, Engine engine, AtomicBoolean loaded, HangUp hangUp)
            throws IOException {
        if (settings == null) return null;
        try {
            return ApiServer.start(settings, engine, hangUp::reloadNow, loaded::get);
        } catch (BindException e) {
            if (spec.commandLine().getParseResult().hasMatchedOption("--api")) throw e;
            log.warn("{}; running without the API", e.getMessage());
            return null;
        }
    }

    private ApiSettings apiSettings() {
        try {
            return ApiSettings.parse(api, System.getenv(ApiSettings.TOKEN_VARIABLE));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static String hostPort(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static void add(Engine engine, MonitorSpec monitor, List<String> refused) {
        try {
            engine.add(monitor);
        } catch (IllegalArgumentException e) {
            refused.add(monitor.source() + ": monitor " + monitor.name() + ": " + e.getMessage());
        }
    }
}
