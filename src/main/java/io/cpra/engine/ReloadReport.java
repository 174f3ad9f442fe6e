package io.cpra.engine;

import io.cpra.config.ConfigError;
import java.util.List;

/**
 * The outcome of one hot reload. When {@link #ok()} is false nothing changed: the engine keeps running
 * the previous config and {@code errors} says why.
 */
public record ReloadReport(boolean ok, List<ConfigError> errors, int added, int changed, int removed,
                           int unchanged, long durationNanos) {

    public static ReloadReport failed(List<ConfigError> errors, long durationNanos) {
        return new ReloadReport(false, List.copyOf(errors), 0, 0, 0, 0, durationNanos);
    }
}
