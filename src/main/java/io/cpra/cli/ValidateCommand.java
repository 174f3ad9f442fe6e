package io.cpra.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.cpra.config.ConfigError;
import io.cpra.config.LoadResult;
import io.cpra.config.MonitorLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cpra validate}: load monitor files as {@code run} would, report counts or every error. */
@Command(name = "validate",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = {
                "Check monitor files without running them.",
                "Prints a one-line summary (exit 0) or every error, one per line (exit 2)."
        })
final class ValidateCommand implements Callable<Integer> {

    private static final JsonFactory JSON = new JsonFactory();

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    private boolean json;

    @Parameters(arity = "1..*", paramLabel = "FILE_OR_DIR",
            description = "Monitor files (.yaml, .yml, .json, optionally .gz) or directories of them.")
    private List<Path> paths;

    @Override
    public Integer call() throws IOException {
        MonitorCounts counts = new MonitorCounts();
        LoadResult result = MonitorLoader.load(paths, BuildCapabilities.CURRENT, counts);
        return report(result, counts, json, spec.commandLine().getOut());
    }

    /** Prints the outcome of a load and returns the exit code. */
    static int report(LoadResult result, MonitorCounts counts, boolean json, PrintWriter out) throws IOException {
        if (json) {
            try (JsonGenerator g = JSON.createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
                if (result.ok()) counts.writeJson(g);
                else writeErrors(result.errors(), g);
            }
            out.println();
        } else if (result.ok()) {
            out.println(counts.summary());
        } else {
            for (ConfigError e : result.errors()) out.println(e);
            out.println(errorCountLine(result.errors()));
        }
        out.flush();
        return result.ok() ? ExitCode.OK : ExitCode.INVALID_CONFIG;
    }

    /**
     * {@code invalid: 3 errors in 2 files}. An error without a file is the loader's summary of errors it
     * did not list ("... and 12 more errors"): then the count reads {@code 1000+ errors}.
     */
    static String errorCountLine(List<ConfigError> errors) {
        Set<String> files = new HashSet<>();
        int listed = 0;
        for (ConfigError e : errors) {
            if (e.file() == null) continue;
            files.add(e.file());
            listed++;
        }
        String count = listed < errors.size() ? listed + "+ errors" : plural(listed, "error");
        return "invalid: " + count + " in " + plural(files.size(), "file");
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static void writeErrors(List<ConfigError> errors, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("errors");
        for (ConfigError e : errors) {
            g.writeStartObject();
            g.writeStringField("file", e.file());
            g.writeNumberField("line", e.line());
            g.writeNumberField("column", e.column());
            g.writeStringField("monitor", e.monitor());
            g.writeStringField("field", e.field());
            g.writeStringField("message", e.message());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
