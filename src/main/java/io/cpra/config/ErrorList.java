package io.cpra.config;

import java.util.ArrayList;
import java.util.List;

/** All errors of a load, capped so a hopeless file cannot grow memory: past the cap only a count is kept. */
final class ErrorList {

    static final int MAX_ERRORS = 1000;

    private final List<ConfigError> errors = new ArrayList<>();
    private long dropped;

    void add(ConfigError error) {
        if (errors.size() < MAX_ERRORS) errors.add(error);
        else dropped++;
    }

    long count() {
        return errors.size() + dropped;
    }

    List<ConfigError> result() {
        List<ConfigError> all = new ArrayList<>(errors);
        if (dropped > 0) all.add(new ConfigError(null, 0, 0, null, null, "... and " + dropped + " more errors"));
        return List.copyOf(all);
    }
}
