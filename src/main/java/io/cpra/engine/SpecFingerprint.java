package io.cpra.engine;

import io.cpra.config.MonitorSpec;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A 64-bit structural hash of everything a monitor's spec says apart from its name and where it stands in
 * its file ({@code source}): two specs with equal fingerprints are taken as equal by a reload. The engine
 * keeps one per monitor in a primitive column, so a reload compares a million monitors without holding
 * their old specs.
 *
 * <p>It walks records through their components, so a field added to a config record is covered without
 * touching this class. Lists hash in order; maps and sets hash independently of their iteration order.
 * Any other value hashes by its string form (URI, Path), which for those types is their identity.
 */
final class SpecFingerprint {

    private static final long NULL = 0x6a09e667f3bcc909L;
    private static final long LIST = 0xbb67ae8584caa73bL;
    private static final long MAP = 0x3c6ef372fe94f82bL;

    /** Per record class: the hash of its name and its component accessors. */
    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            Method[] accessors = new Method[components.length];
            for (int i = 0; i < components.length; i++) {
                accessors[i] = components[i].getAccessor();
                accessors[i].setAccessible(true);
            }
            return new Shape(hashString(type.getName()), accessors);
        }
    };

    private record Shape(long nameHash, Method[] accessors) {}

    /**
     * Hashes of recently seen maps and lists by identity: the loader shares equal code maps, header and group
     * lists between monitors, so most are hashed once. Racy by design: an entry is one immutable object,
     * so a thread sees a whole entry or a miss.
     */
    private static final Cached[] CACHE = new Cached[1024];

    private record Cached(Object value, long hash) {}

    private SpecFingerprint() {}

    static long of(MonitorSpec spec) {
        long h = mix(spec.enabled() ? 1 : 2);
        h = combine(h, hash(spec.pulse()));
        h = combine(h, hash(spec.intervention()));
        h = combine(h, hash(spec.codes()));
        h = combine(h, hash(spec.metadata()));
        return combine(h, hash(spec.notifyGroups()));
    }

    private static long hash(Object value) {
        return switch (value) {
            case null -> NULL;
            case String s -> hashString(s);
            case Boolean b -> mix(b ? 3 : 5);
            case Character c -> mix(c);
            case Number n when n instanceof Double || n instanceof Float -> mix(Double.doubleToLongBits(n.doubleValue()));
            case Number n -> mix(n.longValue());
            case Enum<?> e -> hashString(e.name());
            case Record r -> hashRecord(r);
            case Map<?, ?> map when map.isEmpty() -> MAP;
            case Collection<?> c when c.isEmpty() -> LIST;
            case Map<?, ?> map -> cached(map);
            case Collection<?> c -> cached(c);
            default -> hashString(value.getClass().getName()) ^ hashString(value.toString());
        };
    }

    private static long cached(Object shared) {
        int index = System.identityHashCode(shared) & (CACHE.length - 1);
        Cached entry = CACHE[index];
        if (entry != null && entry.value() == shared) return entry.hash();
        long h = hashCollection(shared);
        CACHE[index] = new Cached(shared, h);
        return h;
    }

    private static long hashCollection(Object collection) {
        return switch (collection) {
            case List<?> list -> {
                long h = LIST;
                for (Object item : list) h = combine(h, hash(item));
                yield h;
            }
            case Map<?, ?> map -> {
                long sum = MAP + map.size();
                for (Map.Entry<?, ?> e : map.entrySet()) sum += mix(combine(hash(e.getKey()), hash(e.getValue())));
                yield mix(sum);
            }
            case Collection<?> set -> {
                long sum = MAP - set.size();
                for (Object item : set) sum += hash(item);
                yield mix(sum);
            }
            default -> throw new IllegalArgumentException("not a collection: " + collection.getClass());
        };
    }

    private static long hashRecord(Record r) {
        Shape shape = SHAPES.get(r.getClass());
        long h = shape.nameHash();
        for (Method accessor : shape.accessors()) {
            try {
                h = combine(h, hash(accessor.invoke(r)));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + accessor, e);
            }
        }
        return h;
    }

    private static long hashString(String s) {
        long h = 0xcbf29ce484222325L ^ s.length();
        for (int i = 0; i < s.length(); i++) h = (h ^ s.charAt(i)) * 0x100000001b3L;
        return mix(h);
    }

    private static long combine(long h, long value) {
        return mix(h * 0x9e3779b97f4a7c15L + value);
    }

    /** The finaliser of SplitMix64: every input bit affects every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
