package io.cpra.cli;

import io.cpra.config.PulseType;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code cpra generate}: write a synthetic monitor file for load tests, streaming, in flat memory. */
@Command(name = "generate",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = {
                "Write a synthetic monitor file: 80%% http every 5s, 10%% tcp every 10s, 10%% icmp every 15s.",
                "Red pages PagerDuty, yellow goes to " + MonitorGenerator.ALERT_LOG + ".",
                "--types, --interval and --path narrow this for load tests, e.g. http only on /health every 10s."
        })
final class GenerateCommand implements Callable<Integer> {

    enum Format {
        YAML, JSON;

        /** JSON for {@code .json} and {@code .json.gz}, YAML otherwise, as the loader decides. */
        static Format of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".gz")) name = name.substring(0, name.length() - 3);
            return name.endsWith(".json") ? JSON : YAML;
        }

        TreeWriter open(OutputStream out) throws IOException {
            return switch (this) {
                case JSON -> new JsonTreeWriter(out);
                case YAML -> new YamlTreeWriter(out);
            };
        }
    }

    private static final int BUFFER_BYTES = 1 << 16;

    @Spec
    private CommandSpec spec;

    @Option(names = "--count", required = true, paramLabel = "N", description = "Number of monitors (at least 1).")
    private long count;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "File to write; a name ending in .gz is gzip-compressed. Replaced atomically.")
    private Path out;

    @Option(names = "--format", paramLabel = "yaml|json",
            description = "Output format (default: from the --out name, .json or .json.gz is JSON, else YAML).")
    private Format format;

    @Option(names = "--targets", paramLabel = "HOST:PORT[-PORT]", defaultValue = "127.0.0.1:8080-8080",
            converter = TargetRange.Converter.class,
            description = "Host and port range the monitors check, ports round-robin (default: ${DEFAULT-VALUE}).")
    private TargetRange targets;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of the monitor-type order; same arguments, same file (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--pagerduty-url", paramLabel = "URL", defaultValue = "http://127.0.0.1:9/v2/enqueue",
            description = "Events API URL of the red code (default: ${DEFAULT-VALUE}, a local port that refuses).")
    private URI pagerDutyUrl;

    @Option(names = "--types", paramLabel = "TYPE[,TYPE]", split = ",", defaultValue = "http,tcp,icmp",
            description = "Pulse types kept from the mix (default: ${DEFAULT-VALUE}).")
    private List<PulseType> types;

    @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "One interval for every monitor; timeouts are cut to it (default: 5s http, 10s tcp, 15s icmp).")
    private java.time.Duration interval;

    @Option(names = "--path", paramLabel = "PATH",
            description = "Path of every http monitor (default: /health, /healthz, /status, /ready in turn).")
    private String path;

    @Override
    public Integer call() throws IOException {
        if (count < 1) throw new ParameterException(spec.commandLine(), "--count must be at least 1, not " + count);
        if (pagerDutyUrl.getHost() == null || !List.of("http", "https").contains(pagerDutyUrl.getScheme())) {
            throw new ParameterException(spec.commandLine(), "--pagerduty-url must be an http(s) URL with a host, not "
                    + pagerDutyUrl);
        }
        Format chosen = format != null ? format : Format.of(out);
        boolean gzip = out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");

        Path target = out.toAbsolutePath();
        if (!Files.isDirectory(target.getParent())) {
            throw new IOException("cannot write " + out + ": directory " + target.getParent() + " does not exist");
        }
        Path partial = target.resolveSibling("." + target.getFileName() + ".partial-" + ProcessHandle.current().pid());
        try {
            try (OutputStream file = open(partial, gzip); TreeWriter tree = chosen.open(file)) {
                new MonitorGenerator(targets, pagerDutyUrl.toString(), seed, count, shape()).write(tree);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        spec.commandLine().getOut().printf("wrote %d monitors to %s (%s%s)%n",
                count, out, chosen.name().toLowerCase(Locale.ROOT), gzip ? ", gzip" : "");
        return ExitCode.OK;
    }

    private MonitorGenerator.Shape shape() {
        if (interval != null && !interval.isPositive()) {
            throw new ParameterException(spec.commandLine(), "--interval must be positive, not " + interval);
        }
        try {
            return new MonitorGenerator.Shape(EnumSet.copyOf(types), interval == null ? 0 : interval.toNanos(), path);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static OutputStream open(Path file, boolean gzip) throws IOException {
        OutputStream raw = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return gzip ? new GZIPOutputStream(raw, BUFFER_BYTES) : new BufferedOutputStream(raw, BUFFER_BYTES);
    }
}
