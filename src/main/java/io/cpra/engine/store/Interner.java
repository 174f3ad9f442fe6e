package io.cpra.engine.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A table of shared values, each prepared once per distinct key; monitors hold the int id. A million
 * generated monitors with a handful of distinct configs hold a handful of entries.
 */
public final class Interner<K, V> {

    private final Map<K, Integer> ids = new HashMap<>();
    private final List<V> values = new ArrayList<>();
    private final List<K> keys = new ArrayList<>();

    /** @return the id of the key's value, preparing it on first sight */
    public int intern(K key, Function<? super K, ? extends V> prepare) {
        Integer id = ids.get(key);
        if (id != null) return id;
        V value = prepare.apply(key);
        values.add(value);
        keys.add(key);
        ids.put(key, values.size() - 1);
        return values.size() - 1;
    }

    public V get(int id) {
        return values.get(id);
    }

    public K key(int id) {
        return keys.get(id);
    }

    public int size() {
        return values.size();
    }
}
