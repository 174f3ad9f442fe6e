package io.cpra.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of {@code cpra}: exit code and everything written to stdout and stderr. */
record CliRun(int exit, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** Non-empty lines of stdout. */
    String[] outLines() {
        return out.lines().filter(l -> !l.isBlank()).toArray(String[]::new);
    }
}
