package io.cpra.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cpra.actions.Actions;
import io.cpra.checks.NettyProbeFactory;
import io.cpra.checks.ProbeSettings;
import io.cpra.cli.BuildCapabilities;
import io.cpra.cli.DurationConverter;
import io.cpra.cli.Main;
import io.cpra.config.ConfigError;
import io.cpra.config.Durations;
import io.cpra.config.LoadResult;
import io.cpra.config.MonitorLoader;
import io.cpra.engine.Clock;
import io.cpra.engine.Engine;
import io.cpra.engine.EngineSettings;
import io.cpra.engine.EngineStats;
import io.cpra.engine.capacity.CapacityPlan;
import io.cpra.engine.capacity.LogHistogram;
import io.cpra.fleet.FleetCommand;
import io.cpra.fleet.FleetSettings;
import io.cpra.fleet.PortRange;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code cpra bench}: N generated http monitors against a local fleet (a child process), checked by the
 * real engine and Netty probes for a bounded time, measured against a plain closed-loop HTTP load on the
 * same fleet in the same run. Prints the figures and writes them as one JSON object.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = {
                "Measure the engine: N http monitors (cpra generate --types http --path /health) against a cpra fleet",
                "child process on 127.0.0.1, after a plain keep-alive load on the same fleet as the reference (baseline).",
                "Stops by itself after warm-up + duration."
        })
public final class BenchCommand implements Callable<Integer> {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    /** File descriptors kept free for everything but the check connections (jars, epoll, the loader). */
    private static final long SPARE_DESCRIPTORS = 1_024;
    private static final String PATH = "/health";
    /** The fleet's connection bound: the checks', the baseline's still closing, and room. */
    private static final int SPARE_DESCRIPTORS_FOR_FLEET = 1_000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--monitors", defaultValue = "200000", paramLabel = "N", description = "Monitors (default ${DEFAULT-VALUE}).")
    private int monitors;

    @Option(names = "--interval", defaultValue = "10s", converter = DurationConverter.class, paramLabel = "D",
            description = "Every monitor's interval (default ${DEFAULT-VALUE}).")
    private Duration interval;

    @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class, paramLabel = "D",
            description = "Measured time, after the warm-up (default ${DEFAULT-VALUE}).")
    private Duration duration;

    @Option(names = "--warmup", converter = DurationConverter.class, paramLabel = "D",
            description = "Time before measuring (default: one interval, at most 30s): every monitor has run once.")
    private Duration warmup;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures to FILE as one JSON object.")
    private Path json;

    @Option(names = "--flap", defaultValue = "0", paramLabel = "FRACTION",
            description = "Fraction of the fleet's ports whose /health alternates failing and healthy (default ${DEFAULT-VALUE}).")
    private double flap;

    @Option(names = "--flap-period", defaultValue = "10s", converter = DurationConverter.class, paramLabel = "D",
            description = "How long a flapping port fails, then is healthy (default ${DEFAULT-VALUE}).")
    private Duration flapPeriod;

    @Option(names = "--ports", defaultValue = "12000-13999", converter = FleetCommand.PortRangeConverter.class, paramLabel = "A-B",
            description = {"The fleet's ports on 127.0.0.1, below the ephemeral range; monitors take them round-robin",
                    "(default ${DEFAULT-VALUE})."})
    private PortRange ports;

    @Option(names = "--connections-per-port", defaultValue = "2", paramLabel = "N",
            description = "Keep-alive connections per port, for the checks and for the baseline (default ${DEFAULT-VALUE}).")
    private int perPort;

    @Option(names = "--max-in-flight", paramLabel = "N",
            description = "The engine's job pool: most checks in flight (default: the connections, ports x per port).")
    private Integer maxInFlight;

    @Option(names = "--baseline", defaultValue = "10s", converter = DurationConverter.class, paramLabel = "D",
            description = "Measured time of the plain-load reference (default ${DEFAULT-VALUE}).")
    private Duration baselineTime;

    @Override
    public Integer call() throws Exception {
        if (monitors < 1) throw new ParameterException(spec.commandLine(), "--monitors must be at least 1");
        if (!(flap >= 0 && flap <= 1)) throw new ParameterException(spec.commandLine(), "--flap must be within 0-1");
        int connections = connectionsWithinDescriptors();
        Duration warm = warmup != null ? warmup : interval.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : interval;
        PrintWriter out = spec.commandLine().getOut();
        int ioThreads = Runtime.getRuntime().availableProcessors();

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("monitors", monitors);
        figures.put("interval_s", interval.toMillis() / 1e3);
        figures.put("offered_per_sec", round(monitors / (interval.toNanos() / 1e9)));
        figures.put("duration_s", duration.toSeconds());
        figures.put("warmup_s", warm.toSeconds());
        figures.put("ports", ports.toString());
        figures.put("connections", connections);
        figures.put("flap", flap);
        figures.put("cores", Runtime.getRuntime().availableProcessors());
        figures.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1 << 20));

        Path dir = Files.createTempDirectory("cpra-bench");
        try (FleetProcess fleet = FleetProcess.start(ports, 2 * connections + SPARE_DESCRIPTORS_FOR_FLEET, Duration.ofSeconds(60))) {
            note(out, "fleet: child process, %d ports on 127.0.0.1:%s", ports.size(), ports);

            ClosedLoopLoad baseline = new ClosedLoopLoad(FleetSettings.loopback("127.0.0.1"), ports, PATH, connections, ioThreads);
            DoubleSupplier machineCpu = () -> OS.getProcessCpuTime() / 1e9 + fleet.cpuSeconds();
            // the first seconds warm the fleet's JIT up too
            ClosedLoopLoad.Result before = baseline.run(Duration.ofSeconds(5), baselineTime, machineCpu);
            note(out, "baseline: %,.0f requests/s over %d keep-alive connections (%d not 200), %.3f CPU s per 1000",
                    before.requestsPerSecond(), before.connections(), before.notOk(), 1000 * before.cpuSecondsPerRequest());

            Path file = generate(dir);
            runEngine(fleet, file, connections / ports.size(), warm, figures, out);

            // once more after the engine, flapping stopped, the fleet's JIT warm: the machine is shared, so the
            // ceiling is the better of the two
            if (flap > 0) fleet.stopFlap();
            ClosedLoopLoad.Result after = baseline.run(Duration.ofSeconds(2), baselineTime, machineCpu);
            note(out, "baseline again: %,.0f requests/s, %.3f CPU s per 1000", after.requestsPerSecond(),
                    1000 * after.cpuSecondsPerRequest());
            double reference = Math.max(before.requestsPerSecond(), after.requestsPerSecond());
            figures.put("baseline_per_sec", round(reference));
            figures.put("baseline_before_per_sec", round(before.requestsPerSecond()));
            figures.put("baseline_after_per_sec", round(after.requestsPerSecond()));
            figures.put("baseline_connections", before.connections());
            figures.put("ratio", round3(((Number) figures.get("checks_per_sec")).doubleValue() / reference));
            // CPU per request of the plain load over CPU per check, both with the fleet's: the ratio the machine
            // would give if nothing else ran on it (the wall-clock ratio depends on what the neighbours do)
            double baselineCpu = (before.cpuSecondsPerRequest() + after.cpuSecondsPerRequest()) / 2;
            double checkCpu = ((Number) figures.get("cpu_sec_per_1000_checks")).doubleValue()
                    + ((Number) figures.get("fleet_cpu_sec_per_1000_checks")).doubleValue();
            figures.put("baseline_cpu_sec_per_1000", round5(1000 * baselineCpu));
            figures.put("cpu_ratio", round3(1000 * baselineCpu / checkCpu));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }

        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        StringWriter text = new StringWriter();
        mapper.writeValue(text, figures);
        out.println(text);
        out.flush();
        if (json != null) Files.writeString(json, text + System.lineSeparator());
        return ((Number) figures.get("stuck")).intValue() == 0 ? 0 : 1;
    }

    /** Connections per port, cut down when the descriptor limit (ulimit -n) cannot hold them. */
    private int connectionsWithinDescriptors() {
        if (perPort < 1) throw new ParameterException(spec.commandLine(), "--connections-per-port must be at least 1");
        long limit = OS instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : Long.MAX_VALUE;
        long fit = (limit - SPARE_DESCRIPTORS) / ports.size();
        if (fit < 1) {
            throw new ParameterException(spec.commandLine(), "ulimit -n is " + limit + ": too low for " + ports.size()
                    + " ports; raise it or use fewer ports");
        }
        return (int) Math.min(perPort, fit) * ports.size();
    }

    /** The monitors, through the generator and file of {@code cpra generate}. */
    private Path generate(Path dir) {
        Path file = dir.resolve("monitors.json");
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err)).execute("generate",
                "--count", Integer.toString(monitors), "--out", file.toString(), "--types", "http",
                "--interval", Durations.format(interval.toNanos()), "--path", PATH,
                "--targets", "127.0.0.1:" + ports.first() + "-" + ports.last());
        if (code != 0) throw new IllegalStateException("cpra generate failed: " + err);
        return file;
    }

    private void runEngine(FleetProcess fleet, Path file, int perPortConnections, Duration warm,
                           Map<String, Object> figures, PrintWriter out) throws Exception {
        LongAdder alerts = new LongAdder();
        // checks beyond the connections would only queue inside the keep-alive pools, where their timeout
        // runs: the engine's ready queue is where waiting is fair (oldest due first) and shows as lateness
        int pool = maxInFlight != null ? maxInFlight : perPortConnections * ports.size();
        figures.put("max_in_flight", pool);
        EngineSettings settings = EngineSettings.DEFAULTS.withMaxInFlight(pool).withExpectedMonitors(monitors);
        ProbeSettings probeSettings = ProbeSettings.defaults().withMaxConnectionsPerHost(perPortConnections);
        try (NettyProbeFactory probes = new NettyProbeFactory(probeSettings); Actions actions = new Actions()) {
            Engine engine = new Engine(settings, Clock.SYSTEM, probes, actions, alert -> alerts.increment());
            long loadStart = System.nanoTime();
            LoadResult loaded = MonitorLoader.load(List.of(file), BuildCapabilities.CURRENT, engine::add);
            if (!loaded.ok()) {
                throw new IllegalStateException("generated monitors did not load: "
                        + loaded.errors().stream().limit(3).map(ConfigError::toString).toList());
            }
            figures.put("load_s", round3((System.nanoTime() - loadStart) / 1e9));
            note(out, "engine: %,d monitors loaded in %.1f s; running %s warm-up, then %s measured",
                    loaded.monitors(), (System.nanoTime() - loadStart) / 1e9, Durations.format(warm.toNanos()),
                    Durations.format(duration.toNanos()));
            engine.start();
            if (flap > 0) note(out, "fleet: %s", fleet.flap(flap, flapPeriod).strip());

            Sampler sampler = new Sampler(engine, out);
            sampler.run(warm, false);
            EngineStats before = engine.stats();
            double cpu0 = OS.getProcessCpuTime() / 1e9;
            double fleetCpu0 = fleet.cpuSeconds();
            long start = System.nanoTime();
            sampler.run(duration, true);
            EngineStats after = engine.stats();
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = OS.getProcessCpuTime() / 1e9 - cpu0;
            double fleetCpu = fleet.cpuSeconds() - fleetCpu0;
            int stuckAtEnd = engine.stuck();

            long checks = after.checksCompleted() - before.checksCompleted();
            LogHistogram lateness = after.lateness().since(before.lateness());
            figures.put("checks_per_sec", round(checks / seconds));
            figures.put("checks", checks);
            figures.put("cpu_sec_per_1000_checks", round5(1000 * cpu / Math.max(1, checks)));
            figures.put("fleet_cpu_sec_per_1000_checks", round5(1000 * fleetCpu / Math.max(1, checks)));
            figures.put("lateness_p50_ms", millis(lateness.percentile(0.50)));
            figures.put("lateness_p99_ms", millis(lateness.percentile(0.99)));
            figures.put("lateness_max_ms", millis(lateness.max()));
            figures.put("in_flight", after.inFlight());
            figures.put("in_flight_mean", round(sampler.inFlight.mean()));
            figures.put("waiting_mean", round(sampler.waiting.mean()));
            figures.put("missed_slots", after.missed() - before.missed());
            figures.put("late_checks", after.late() - before.late());
            figures.put("deadlines_expired", after.deadlinesExpired() - before.deadlinesExpired());
            figures.put("watermark_pauses", after.watermarkPauses() - before.watermarkPauses());
            figures.put("alerts_raised", alerts.sum());

            figures.put("dispatch_limit", after.dispatchLimit());
            plan(after.plan(), figures);
            figures.put("rss_mb", round(ProcessMemory.rssBytes() / 1e6));
            figures.put("monitors_by_state", after.monitorsByState().entrySet().stream()
                    .filter(e -> e.getValue() > 0)
                    .collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey().name().toLowerCase(Locale.ROOT), e.getValue()), Map::putAll));

            engine.stopDispatching();
            engine.awaitDrain(Duration.ofSeconds(10));
            figures.put("stuck", Math.max(Math.max(stuckAtEnd, sampler.mostStuck), engine.stuck()));
            figures.put("heap_after_gc_mb", round(ProcessMemory.heapAfterGcBytes() / 1e6));
            figures.put("fleet", fleet.stats().strip());
            engine.close();
        }
    }

    private static void plan(CapacityPlan plan, Map<String, Object> figures) {
        figures.put("plan", plan.toString());
        figures.put("plan_servers", plan.servers());
        figures.put("plan_arrival_per_sec", round(plan.arrivalRate()));
        figures.put("plan_service_ms", plan.serviceRate() == 0 ? 0 : round3(1e3 / plan.serviceRate()));
        figures.put("plan_offered_load", round(plan.offeredLoad()));
        figures.put("plan_utilisation", round3(plan.utilisation()));
        figures.put("plan_wait_probability", round3(plan.waitProbability()));
        figures.put("plan_predicted_wait_ms", plan.predictedWaitNanos() == Long.MAX_VALUE ? -1 : round3(plan.predictedWaitNanos() / 1e6));
        figures.put("plan_ca", round3(plan.arrivalCv()));
        figures.put("plan_cs", round3(plan.serviceCv()));
    }

    /** Samples the engine every second: in flight, waiting, a status line every 5 s and the stuck scan. */
    private static final class Sampler {
        final Engine engine;
        final PrintWriter out;
        final Mean inFlight = new Mean();
        final Mean waiting = new Mean();
        int mostStuck;
        long lastChecks = -1;
        long lastNanos;

        Sampler(Engine engine, PrintWriter out) {
            this.engine = engine;
            this.out = out;
        }

        void run(Duration time, boolean measure) throws InterruptedException {
            long end = System.nanoTime() + time.toNanos();
            int tick = 0;
            while (true) {
                long left = end - System.nanoTime();
                if (left <= 0) return;
                Thread.sleep(Math.min(1_000, Math.max(1, left / 1_000_000)));
                EngineStats s = engine.stats();
                if (measure) {
                    inFlight.add(s.inFlight());
                    waiting.add(s.waiting());
                }
                if (++tick % 5 == 0) {
                    mostStuck = Math.max(mostStuck, engine.stuck());
                    status(s);
                }
            }
        }

        private void status(EngineStats s) {
            long now = System.nanoTime();
            double rate = lastChecks < 0 ? 0 : (s.checksCompleted() - lastChecks) * 1e9 / (now - lastNanos);
            lastChecks = s.checksCompleted();
            lastNanos = now;
            note(out, "%,.0f checks/s | in flight %d/%d | waiting %d | late %d | missed %d | stuck %d | lateness p99 %.1f ms | plan %s",
                    rate, s.inFlight(), s.dispatchLimit(), s.waiting(), s.late(), s.missed(), mostStuck,
                    s.lateness().percentile(0.99) / 1e6, s.plan());
        }
    }

    private static final class Mean {
        double sum;
        long n;

        void add(double v) {
            sum += v;
            n++;
        }

        double mean() {
            return n == 0 ? 0 : sum / n;
        }
    }

    private static void note(PrintWriter out, String format, Object... args) {
        out.println("bench: " + String.format(Locale.ROOT, format, args));
        out.flush();
    }

    private static double millis(long nanos) {
        return round3(nanos / 1e6);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round5(double v) {
        return Math.round(v * 100_000) / 100_000.0;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

}
