package io.cpra.config;

import java.util.List;

/**
 * What a load found. When {@link #ok()} is false the files do not load: the consumer may already have
 * seen some monitors and must discard them.
 */
public record LoadResult(long monitors, List<ConfigError> errors) {
    public boolean ok() {
        return errors.isEmpty();
    }
}
