package io.cpra.config;

/**
 * One problem in a monitor file. Every error names the file, line and column, the monitor (its name, or
 * {@code #N} by 1-based position when the name is missing) and the field path such as
 * {@code pulse_check.config.url}. A summary line (such as "... and 12 more errors") has a null file.
 */
public record ConfigError(String file, int line, int column, String monitor, String field, String message) {
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(file);
            if (line > 0) sb.append(':').append(line).append(':').append(column); // 0: the file as a whole
            sb.append(": ");
        }
        if (monitor != null) sb.append("monitor ").append(monitor).append(": ");
        if (field != null && !field.isEmpty()) sb.append(field).append(": ");
        return sb.append(message).toString();
    }
}
