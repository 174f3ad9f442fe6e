package io.cpra.engine.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntPredicate;

/**
 * A table of shared values, each prepared once per distinct key; monitors hold the int id. A million
 * generated monitors with a handful of distinct configs hold a handful of entries. Entries no monitor
 * refers to any more are dropped by {@link #retain} (after a reload) and their ids reused.
 */
public final class Interner<K, V> {

    private final Map<K, Integer> ids = new HashMap<>();
    private final List<K> keys = new ArrayList<>();
    private final List<V> values = new ArrayList<>();
    private int[] freeIds = new int[8];
    private int freeCount;

    /** @return the id of the key's value, preparing it on first sight */
    public int intern(K key, Function<? super K, ? extends V> prepare) {
        Integer id = ids.get(key);
        if (id != null) return id;
        V value = prepare.apply(key);
        int fresh;
        if (freeCount > 0) {
            fresh = freeIds[--freeCount];
            keys.set(fresh, key);
            values.set(fresh, value);
        } else {
            fresh = values.size();
            keys.add(key);
            values.add(value);
        }
        ids.put(key, fresh);
        return fresh;
    }

    public V get(int id) {
        return values.get(id);
    }

    /** The key an id was interned under. */
    public K key(int id) {
        return keys.get(id);
    }

    /** Distinct values held. */
    public int size() {
        return ids.size();
    }

    /** One past the highest id handed out: every id in use is below it. */
    public int idLimit() {
        return values.size();
    }

    /** Drops every entry whose id is not {@code used}; their ids are handed out again. */
    public void retain(IntPredicate used) {
        for (int id = 0; id < values.size(); id++) {
            K key = keys.get(id);
            if (key == null || used.test(id)) continue;
            ids.remove(key);
            keys.set(id, null);
            values.set(id, null);
            if (freeCount == freeIds.length) freeIds = Arrays.copyOf(freeIds, freeCount * 2);
            freeIds[freeCount++] = id;
        }
    }
}
