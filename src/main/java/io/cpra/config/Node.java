package io.cpra.config;

/**
 * One value of a monitor file with its 1-based position: the small tree one monitor is read into before
 * it is bound. Aliased YAML nodes are shared, not copied, so {@link #weight} (the node count after alias
 * expansion) is what bounds the work of binding, not the size of the tree in memory.
 */
abstract sealed class Node permits Node.Scalar, Node.MapNode, Node.SeqNode {

    final int line;
    final int column;
    long weight = 1;

    Node(int line, int column) {
        this.line = line;
        this.column = column;
    }

    abstract String kindName();

    static long addWeight(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** A leaf. YAML plain scalars are typed on use (the schema decides), every other kind is fixed. */
    static final class Scalar extends Node {
        static final byte PLAIN = 0, STRING = 1, NUMBER = 2, BOOL = 3, NULL = 4;

        final String text;
        final byte kind;

        Scalar(String text, byte kind, int line, int column) {
            super(line, column);
            this.text = text;
            this.kind = kind;
        }

        boolean isNull() { return kind == NULL; }

        @Override
        String kindName() {
            return switch (kind) {
                case NUMBER -> "a number";
                case BOOL -> "a boolean";
                case NULL -> "null";
                default -> "a string";
            };
        }
    }

    static final class MapNode extends Node {
        Scalar[] keys = new Scalar[8];
        Node[] values = new Node[8];
        int size;

        MapNode(int line, int column) { super(line, column); }

        void put(Scalar key, Node value) {
            if (size == keys.length) {
                keys = java.util.Arrays.copyOf(keys, size * 2);
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            keys[size] = key;
            values[size++] = value;
            weight = addWeight(weight, addWeight(1, value.weight));
        }

        int indexOf(String key) {
            for (int i = 0; i < size; i++) if (keys[i].text == key) return i; // Jackson's keys are canonical
            for (int i = 0; i < size; i++) if (keys[i].text.equals(key)) return i;
            return -1;
        }

        Node get(String key) {
            int i = indexOf(key);
            return i < 0 ? null : values[i];
        }

        Scalar keyNode(String key) {
            int i = indexOf(key);
            return i < 0 ? null : keys[i];
        }

        @Override
        String kindName() { return "a mapping"; }
    }

    static final class SeqNode extends Node {
        Node[] items = new Node[4];
        int size;

        SeqNode(int line, int column) { super(line, column); }

        void add(Node item) {
            if (size == items.length) items = java.util.Arrays.copyOf(items, size * 2);
            items[size++] = item;
            weight = addWeight(weight, item.weight);
        }

        @Override
        String kindName() { return "a list"; }
    }
}
