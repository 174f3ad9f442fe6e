package io.cpra.config;

/**
 * The monitor names seen so far, to find duplicates across all files in little memory: an open-addressing
 * table of 64-bit name hashes, each with where the name first appeared (file index and line), 16 bytes a
 * slot instead of a set of strings. Two different names collide with probability about n²/2⁶⁵ (under
 * 10⁻⁷ for a million names); such a collision would be reported as a duplicate, never missed.
 */
final class NameRegistry {

    /** Slot i is {@code table[2i]} (the hash, 0 = empty) and {@code table[2i+1]} (the place): one cache miss a probe. */
    private long[] table = new long[2 * 1024];
    private int size;

    /**
     * Records the name unless already present.
     *
     * @return -1 when the name is new, else the first occurrence as {@code fileIndex << 32 | line}
     */
    long register(String name, int fileIndex, int line) {
        int slots = table.length >> 1;
        if (size >= slots - (slots >> 2)) grow();
        long h = hash(name);
        int mask = (table.length >> 1) - 1;
        for (int i = (int) h & mask; ; i = (i + 1) & mask) {
            long at = table[2 * i];
            if (at == 0) {
                table[2 * i] = h;
                table[2 * i + 1] = ((long) fileIndex << 32) | (line & 0xFFFFFFFFL);
                size++;
                return -1;
            }
            if (at == h) return table[2 * i + 1];
        }
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        int mask = (table.length >> 1) - 1;
        for (int j = 0; j < old.length; j += 2) {
            long h = old[j];
            if (h == 0) continue;
            int i = (int) h & mask;
            while (table[2 * i] != 0) i = (i + 1) & mask;
            table[2 * i] = h;
            table[2 * i + 1] = old[j + 1];
        }
    }

    static long hash(String s) {
        long h = 0xcbf29ce484222325L; // FNV-1a, then a murmur3 finaliser to spread the low bits
        for (int i = 0; i < s.length(); i++) h = (h ^ s.charAt(i)) * 0x100000001b3L;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }
}
