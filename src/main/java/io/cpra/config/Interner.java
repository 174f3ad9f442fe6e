package io.cpra.config;

import java.util.HashMap;

/**
 * Shares equal immutable values (notifier configs, code maps, group lists, header lists) across monitors,
 * so a million monitors with the same alerting hold a handful of objects. Bounded: past
 * {@link #MAX_ENTRIES} distinct values new ones are returned as they are.
 */
final class Interner<T> {

    static final int MAX_ENTRIES = 4096;

    private final HashMap<T, T> values = new HashMap<>();

    T intern(T value) {
        if (value == null) return null;
        T existing = values.get(value);
        if (existing != null) return existing;
        if (values.size() < MAX_ENTRIES) values.put(value, value);
        return value;
    }
}
