package io.cpra.config;

/** Where a file reader hands each monitor's tree, one at a time, and reports file-level problems. */
interface TreeSink {

    /** Most nodes one top-level item may expand to through aliases and merges: stops alias bombs early. */
    long MAX_NODES = 100_000;
    /** Deepest nesting accepted; a monitor needs about six levels. */
    int MAX_DEPTH = 64;

    /** Called before the item at {@code position} is read, so read failures can name it. */
    void monitorStarting(int position);

    /** @param position 1-based index of the monitor in its file's {@code monitors} list */
    void monitor(Node node, int position);

    /** A problem outside any monitor (top-level keys, the shape of the document). */
    void error(int line, int column, String field, String message);

    /** A problem that stops reading the file: syntax, encoding, truncation, alias bombs. */
    final class Abort extends RuntimeException {
        final int line;
        final int column;

        Abort(int line, int column, String message) {
            super(message, null, false, false);
            this.line = line;
            this.column = column;
        }
    }

    static void checkWeight(Node node) {
        if (node.weight > MAX_NODES) {
            throw new Abort(node.line, node.column, "more than " + MAX_NODES
                    + " values in one item after expanding aliases (an alias bomb?)");
        }
    }

    static boolean isTopLevelExtension(String key) {
        // Compose-style holders of anchors, such as "x-defaults: &defaults {...}"
        return key.startsWith("x-") || key.startsWith(".");
    }
}
