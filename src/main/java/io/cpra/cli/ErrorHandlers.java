package io.cpra.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/** Turns every failure into one clear line on stderr and its exit code; never a stack trace. */
final class ErrorHandlers {

    private ErrorHandlers() {}

    /** Bad option or argument: the message, picocli's "did you mean" hints, and where to find help. */
    static int usageError(ParameterException ex, String[] args) {
        CommandLine cli = ex.getCommandLine();
        PrintWriter err = cli.getErr();
        err.println("cpra: " + ex.getMessage());
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + cli.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCode.USAGE;
    }

    static int runtimeFailure(Exception ex, CommandLine cli, ParseResult parsed) {
        PrintWriter err = cli.getErr();
        err.println("cpra: " + describe(ex));
        err.flush();
        return ExitCode.RUNTIME_FAILURE;
    }

    /** A human sentence for an exception, e.g. {@code no such file: /etc/x.yaml}. */
    static String describe(Throwable ex) {
        if (ex instanceof UncheckedIOException && ex.getCause() != null) return describe(ex.getCause());
        if (ex instanceof NoSuchFileException e) return "no such file: " + e.getFile();
        if (ex instanceof AccessDeniedException e) return "permission denied: " + e.getFile();
        if (ex instanceof FileSystemException e) {
            return e.getFile() + ": " + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName());
        }
        String message = ex.getMessage();
        return message == null || message.isBlank() ? ex.getClass().getSimpleName() : message;
    }
}
