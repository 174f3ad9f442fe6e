package io.cpra.cli;

import io.cpra.actions.Actions;
import io.cpra.checks.ProbeRouter;
import io.cpra.config.ConfigError;
import io.cpra.config.Durations;
import io.cpra.config.LoadResult;
import io.cpra.config.MonitorLoader;
import io.cpra.config.MonitorSpec;
import io.cpra.engine.Clock;
import io.cpra.engine.Engine;
import io.cpra.engine.EngineSettings;
import io.cpra.notify.Alert;
import io.cpra.notify.AlertDispatcher;
import io.cpra.notify.DeliveryPolicy;
import io.cpra.notify.Notifiers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * dispatching, wait for in-flight work up to its deadlines, flush alerts and exit 0.
 */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = {"Run the monitors of the given files until SIGINT or SIGTERM."})
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

    @Option(names = "--intervention-backoff", defaultValue = "10s", converter = DurationConverter.class,
            description = "Wait before the second intervention run of an incident, doubling after each (default ${DEFAULT-VALUE}).")
    private Duration backoff;

    @Option(names = "--intervention-backoff-max", defaultValue = "5m", converter = DurationConverter.class,
            description = "Cap of the doubling intervention back-off (default ${DEFAULT-VALUE}).")
    private Duration backoffMax;

    @Override
    public Integer call() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        // Our own handlers instead of shutdown hooks: the drain below runs in order and the exit code stays 0.
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        Signal.handle(new Signal("TERM"), s -> stop.countDown());

        if (backoffMax.compareTo(backoff) < 0) {
            throw new ParameterException(spec.commandLine(), "--intervention-backoff-max must be at least --intervention-backoff");
        }
        EngineSettings settings = EngineSettings.DEFAULTS.withMaxInFlight(maxInFlight).withBackoff(backoff, backoffMax);
        try (Notifiers notifiers = new Notifiers();
             ProbeRouter probes = ProbeRouter.open();
             Actions actions = new Actions()) {
            AlertDispatcher alerts = new AlertDispatcher(notifiers::get, DeliveryPolicy.DEFAULT);
            Engine engine = new Engine(settings, Clock.SYSTEM, probes, actions, alerts);
            List<String> refused = new ArrayList<>();
            LoadResult result = MonitorLoader.load(paths, BuildCapabilities.CURRENT, monitor -> add(engine, monitor, refused));
            if (!result.ok() || !refused.isEmpty()) {
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
            StatusLine status = new StatusLine(engine::stats, Clock.SYSTEM);
            while (!stop.await(statusInterval.toMillis(), TimeUnit.MILLISECONDS)) {
                log.info(status.next());
            }
            log.info("stopping: no new checks, waiting up to {} for work in flight", Durations.format(drainTimeout.toNanos()));
            engine.stopDispatching();
            if (!engine.awaitDrain(drainTimeout)) log.warn("stopping with work still in flight after {}", Durations.format(drainTimeout.toNanos()));
            engine.close();
            List<Alert> unsent = alerts.close(drainTimeout);
            if (!unsent.isEmpty()) log.warn("{} alerts could not be delivered before exit", unsent.size());
            log.info(status.next());
            return ExitCode.OK;
        }
    }

    private static void add(Engine engine, MonitorSpec monitor, List<String> refused) {
        try {
            engine.add(monitor);
        } catch (IllegalArgumentException e) {
            refused.add(monitor.source() + ": monitor " + monitor.name() + ": " + e.getMessage());
        }
    }
}
