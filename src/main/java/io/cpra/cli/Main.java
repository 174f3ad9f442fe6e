package io.cpra.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code cpra} command. Subcommands are listed once, in the annotation below. */
@Command(name = "cpra",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = "Health-check engine: pulse, intervention, code.",
        footer = {"", "Exit codes: 0 ok, 1 runtime failure, 2 invalid monitor file, 64 usage error."},
        subcommands = {
                ValidateCommand.class,
                GenerateCommand.class,
                RunCommand.class,
                io.cpra.fleet.FleetCommand.class,
                io.cpra.bench.BenchCommand.class,
        })
public final class Main implements Runnable {

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(commandLine(out, err).execute(args));
    }

    /** The configured command line, writing to {@code out} and {@code err}; tests run it in-process. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler(ErrorHandlers::usageError);
        cli.setExecutionExceptionHandler(ErrorHandlers::runtimeFailure);
        return cli;
    }

    /** {@code cpra} alone: there is nothing to do without a subcommand. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }
}
