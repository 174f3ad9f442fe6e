package io.cpra.cli;

/** Process exit codes of every {@code cpra} command. */
public final class ExitCode {
    public static final int OK = 0;
    public static final int RUNTIME_FAILURE = 1;
    public static final int INVALID_CONFIG = 2;
    /** BSD sysexits EX_USAGE: bad option, missing argument. */
    public static final int USAGE = 64;

    private ExitCode() {}
}
