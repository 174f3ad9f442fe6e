package io.cpra.engine.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Monitor names as UTF-8 in one byte arena, with an open-addressing index from name to slot. At a
 * million names this costs about 14 bytes per name plus 8 for the index, against about 56 for a
 * String per name and far more for a HashMap.
 */
public final class NameTable {

    private static final int MAX_NAME_BYTES = Short.MAX_VALUE;
    private static final int EMPTY = -1;
    private static final short DEAD = -1;

    private byte[] arena;
    private int arenaUsed;
    /** Arena bytes of live names; the rest is left by removals until {@link #compactIfWasteful}. */
    private int liveBytes;
    private int[] start;
    /** Name length per slot; DEAD once removed. */
    private short[] length;
    /** Slot per index bucket, EMPTY when free; linear probing with backward-shift deletion. */
    private int[] index;
    private int count;

    NameTable(int slotCapacity) {
        arena = new byte[Math.max(64, slotCapacity * 12)];
        start = new int[slotCapacity];
        length = new short[slotCapacity];
        index = new int[tableSizeFor(slotCapacity)];
        Arrays.fill(index, EMPTY);
    }

    void growSlots(int slotCapacity) {
        start = Arrays.copyOf(start, slotCapacity);
        length = Arrays.copyOf(length, slotCapacity);
    }

    /** @return the slot holding this name, or -1 */
    int find(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        int mask = index.length - 1;
        for (int b = hash(bytes, 0, bytes.length) & mask; ; b = (b + 1) & mask) {
            int slot = index[b];
            if (slot == EMPTY) return -1;
            if (equalsAt(slot, bytes)) return slot;
        }
    }

    /** Stores the name of a fresh slot; the caller has checked it is not taken. */
    void put(int slot, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_NAME_BYTES) throw new IllegalArgumentException("monitor name longer than " + MAX_NAME_BYTES + " bytes");
        if (arenaUsed + bytes.length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaUsed + bytes.length));
        }
        System.arraycopy(bytes, 0, arena, arenaUsed, bytes.length);
        start[slot] = arenaUsed;
        length[slot] = (short) bytes.length;
        arenaUsed += bytes.length;
        liveBytes += bytes.length;
        if ((count + 1) * 2 > index.length) rehash(index.length * 2);
        insert(slot);
        count++;
    }

    /** Forgets the slot's name. Its arena bytes stay until a compaction (reload); removals are rare. */
    void remove(int slot) {
        removeFromIndex(slot);
        liveBytes -= length[slot];
        length[slot] = DEAD;
    }

    /** Whether the slot (below the store's high water) holds a name. */
    boolean isLive(int slot) {
        return length[slot] != DEAD;
    }

    /** Arena bytes in use, garbage included. */
    int arenaBytes() {
        return arenaUsed;
    }

    /**
     * Rewrites the arena with the live names only, once removals have left more garbage than names, so
     * repeated reloads that rename monitors cannot grow it without bound; amortised O(1) per removal.
     */
    void compactIfWasteful(int highWater) {
        if (arenaUsed - liveBytes <= liveBytes) return;
        byte[] compacted = new byte[Math.max(64, liveBytes + liveBytes / 4)];
        int used = 0;
        for (int slot = 0; slot < highWater; slot++) {
            if (length[slot] == DEAD) continue;
            System.arraycopy(arena, start[slot], compacted, used, length[slot]);
            start[slot] = used;
            used += length[slot];
        }
        arena = compacted;
        arenaUsed = used;
    }

    private void removeFromIndex(int slot) {
        int mask = index.length - 1;
        int b = hashOf(slot) & mask;
        while (index[b] != slot) b = (b + 1) & mask;
        // backward-shift deletion keeps every probe chain unbroken without tombstones
        int gap = b;
        for (int next = (gap + 1) & mask; index[next] != EMPTY; next = (next + 1) & mask) {
            int home = hashOf(index[next]) & mask;
            boolean movable = gap <= next ? (home <= gap || home > next) : (home <= gap && home > next);
            if (movable) {
                index[gap] = index[next];
                gap = next;
            }
        }
        index[gap] = EMPTY;
        count--;
    }

    String name(int slot) {
        return new String(arena, start[slot], length[slot], StandardCharsets.UTF_8);
    }

    boolean contains(int slot, byte[] needle) {
        int from = start[slot];
        int last = from + length[slot] - needle.length;
        outer:
        for (int i = from; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) if (arena[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }

    /** A stable 64-bit hash of the name, used to spread phases. */
    long hash64(int slot) {
        long h = 0xcbf29ce484222325L;
        for (int i = start[slot], end = i + length[slot]; i < end; i++) h = (h ^ (arena[i] & 0xff)) * 0x100000001b3L;
        return h ^ (h >>> 29);
    }

    private void insert(int slot) {
        int mask = index.length - 1;
        int b = hashOf(slot) & mask;
        while (index[b] != EMPTY) b = (b + 1) & mask;
        index[b] = slot;
    }

    private void rehash(int size) {
        int[] old = index;
        index = new int[size];
        Arrays.fill(index, EMPTY);
        for (int slot : old) if (slot != EMPTY) insert(slot);
    }

    private int hashOf(int slot) {
        return hash(arena, start[slot], length[slot]);
    }

    private boolean equalsAt(int slot, byte[] bytes) {
        int from = start[slot];
        return Arrays.equals(arena, from, from + length[slot], bytes, 0, bytes.length);
    }

    private static int hash(byte[] bytes, int from, int len) {
        int h = 1;
        for (int i = from, end = from + len; i < end; i++) h = 31 * h + bytes[i];
        return h ^ (h >>> 16) ^ (h >>> 7);
    }

    private static int tableSizeFor(int slots) {
        return Integer.highestOneBit(Math.max(16, slots * 2 - 1)) << 1;
    }
}
