package io.cpra.config;

import java.util.Locale;

/** Alert colours of LIFECYCLE.md, with the status and severity each carries. */
public enum Colour {
    YELLOW("DEGRADED", "warning"),
    RED("FAILED", "critical"),
    CYAN("RESTORED", "info"),
    GREEN("RECOVERED", "info"),
    GRAY("MAINTENANCE", "info");

    private static final Colour[] VALUES = values();
    private final String status;
    private final String severity;
    private final String key = name().toLowerCase(Locale.ROOT);

    Colour(String status, String severity) {
        this.status = status;
        this.severity = severity;
    }

    public String status() { return status; }

    public String severity() { return severity; }

    /** Lower-case name as written in monitor files and alerts. */
    public String key() { return key; }

    public static Colour ofOrdinal(int ordinal) { return VALUES[ordinal]; }

    /** @return the colour for a file key such as {@code red}, or null */
    public static Colour parse(String key) {
        for (Colour c : VALUES) if (c.key().equals(key)) return c;
        return null;
    }
}
