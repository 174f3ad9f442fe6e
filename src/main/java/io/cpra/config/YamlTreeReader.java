package io.cpra.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.events.Event;

/**
 * Reads a YAML monitor file: walks to the {@code monitors} sequence and builds one item at a time into a
 * {@link Node} tree, resolving anchors, aliases and merge keys ({@code <<}) itself. Only anchored nodes
 * outlive their item; aliases share them, never copy.
 *
 * <p>The file is first read by {@link FastYamlEvents}, which knows the subset monitor files are written
 * in and is several times faster than SnakeYAML. Whatever it declines (a construct outside the subset,
 * any syntax or encoding error, any failure of the tree) makes the whole file read again by SnakeYAML,
 * which then owns every message; the calls the sink already had are not repeated, as both readers
 * produce the same events up to where the fast one stopped.
 */
final class YamlTreeReader {

    /** Opens the file again from its start, for the second reading. */
    interface Reopener {
        InputStream open() throws IOException;
    }

    private static final String MERGE_KEY = "<<";

    private final Map<String, Node> anchors = new HashMap<>();
    private final TreeSink sink;
    private YamlEvents events;

    private YamlTreeReader(YamlEvents events, TreeSink sink) {
        this.events = events;
        this.sink = sink;
    }

    /** Reads {@code in} (left open), falling back to SnakeYAML on a fresh stream from {@code reopen}. */
    static void read(InputStream in, Reopener reopen, TreeSink sink, YamlTreeReader[] reading) throws IOException {
        ReplaySink fast = new ReplaySink(sink, 0);
        FastYamlEvents fastEvents = new FastYamlEvents(in);
        reading[0] = new YamlTreeReader(fastEvents, fast);
        try {
            reading[0].read();
            return;
        } catch (FastYamlEvents.Unsupported | TreeSink.Abort | UncheckedIOException e) {
            if (fast.delivering) throw e; // the sink's own failure, not the reading's
            // declined: SnakeYAML reads the file again and reports whatever is wrong
        }
        try (InputStream again = reopen.open()) {
            reading[0] = new YamlTreeReader(new SnakeYamlEvents(again), new ReplaySink(sink, fast.calls));
            reading[0].read();
        }
    }

    /** Reads with SnakeYAML only: the reference the fast reader is tested against. */
    static void readWithSnakeYaml(InputStream in, TreeSink sink) {
        new YamlTreeReader(new SnakeYamlEvents(in), sink).read();
    }

    /** Current reading position, for errors raised by the layers below the parser. */
    int[] position() {
        return events.position();
    }

    private void read() {
        expect(Event.ID.StreamStart);
        boolean sawDocument = false;
        while (events.peek() != Event.ID.StreamEnd) {
            expect(Event.ID.DocumentStart);
            int startLine = events.line();
            int startColumn = events.column();
            sawDocument = true;
            Event.ID root = events.next();
            if (root == Event.ID.MappingStart) {
                readRoot();
            } else if (root == Event.ID.Scalar && events.plain() && isNull(events.value())) {
                sink.error(startLine, startColumn, "monitors", "the document is empty");
            } else {
                sink.error(events.line(), events.column(), "", "the top level must be a mapping with a monitors list");
                return; // nothing of this shape is worth reading on
            }
            expect(Event.ID.DocumentEnd);
        }
        if (!sawDocument) sink.error(1, 1, "monitors", "the file is empty");
    }

    private void readRoot() {
        int rootLine = events.line();
        int rootColumn = events.column();
        boolean sawMonitors = false;
        while (events.peek() != Event.ID.MappingEnd) {
            if (events.next() != Event.ID.Scalar) throw abort("top-level keys must be plain strings");
            String key = events.value();
            if (key.equals("monitors")) {
                sawMonitors = true;
                readMonitors();
            } else if (TreeSink.isTopLevelExtension(key)) {
                build(events.next(), 1); // kept only if anchored, for aliases further down
            } else {
                int line = events.line();
                int column = events.column();
                skipNode();
                sink.error(line, column, key, Spelling.unknownField(key, new String[] {"monitors"})
                        + " (top-level keys other than monitors must start with x-)");
            }
        }
        events.next();
        if (!sawMonitors) sink.error(rootLine, rootColumn, "monitors", "missing required field");
    }

    private void readMonitors() {
        Event.ID first = events.next();
        if (first == Event.ID.SequenceStart) {
            if (events.anchor() != null) throw abort("an anchor on the monitors list itself is not supported");
            int position = 0;
            while (events.peek() != Event.ID.SequenceEnd) {
                sink.monitorStarting(++position);
                sink.monitor(build(events.next(), 2), position);
            }
            events.next();
            return;
        }
        Node value = build(first, 1);
        if (value instanceof Node.SeqNode seq) { // an alias of a list
            for (int i = 0; i < seq.size; i++) sink.monitor(seq.items[i], i + 1);
        } else {
            sink.error(value.line, value.column, "monitors", "expected a list of monitors, got " + value.kindName()
                    + (value instanceof Node.Scalar s && s.isNull() ? " (write monitors: [] for none)" : ""));
        }
    }

    /** Consumes one node's events without building it. */
    private void skipNode() {
        int depth = 0;
        do {
            switch (events.next()) {
                case MappingStart, SequenceStart -> depth++;
                case MappingEnd, SequenceEnd -> depth--;
                default -> { }
            }
        } while (depth > 0);
    }

    /** Builds the node whose first event, of {@code kind}, was just consumed. */
    private Node build(Event.ID kind, int depth) {
        if (depth > TreeSink.MAX_DEPTH) throw abort("nesting deeper than " + TreeSink.MAX_DEPTH + " levels");
        String anchor = events.anchor();
        Node node = switch (kind) {
            case Scalar -> scalar();
            case Alias -> {
                Node target = anchors.get(events.value());
                if (target == null) throw abort("unknown alias *" + events.value());
                yield target;
            }
            case MappingStart -> mapping(depth);
            case SequenceStart -> sequence(depth);
            default -> throw abort("unexpected " + kind);
        };
        if (anchor != null) anchors.put(anchor, node);
        return node;
    }

    private Node.Scalar scalar() {
        String text = events.value();
        String tag = events.tag();
        byte kind;
        if (tag != null && (tag.equals("!!str") || tag.equals("tag:yaml.org,2002:str"))) kind = Node.Scalar.STRING;
        else if (!events.plain()) kind = Node.Scalar.STRING;
        else if (tag == null && isNull(text)) kind = Node.Scalar.NULL;
        else kind = Node.Scalar.PLAIN;
        return new Node.Scalar(text, kind, events.line(), events.column());
    }

    private static boolean isNull(String text) {
        return text.isEmpty() || text.equals("~") || text.equals("null") || text.equals("Null") || text.equals("NULL");
    }

    private Node mapping(int depth) {
        Node.MapNode map = new Node.MapNode(events.line(), events.column());
        List<Node> merges = null;
        while (events.peek() != Event.ID.MappingEnd) {
            Event.ID keyKind = events.next();
            int keyLine = events.line();
            int keyColumn = events.column();
            Node key = build(keyKind, depth + 1);
            if (!(key instanceof Node.Scalar keyScalar) || keyScalar.isNull()) {
                throw new TreeSink.Abort(keyLine, keyColumn, "mapping keys must be strings");
            }
            Node value = build(events.next(), depth + 1);
            if (keyScalar.kind == Node.Scalar.PLAIN && keyScalar.text.equals(MERGE_KEY)) {
                if (merges == null) merges = new ArrayList<>(2);
                merges.add(value);
            } else {
                map.put(keyScalar, value);
                TreeSink.checkWeight(map);
            }
        }
        events.next();
        if (merges != null) merge(map, merges);
        return map;
    }

    /** YAML merge keys: keys written in the mapping win, then the merged mappings in the order given. */
    private static void merge(Node.MapNode map, List<Node> merges) {
        for (Node source : merges) {
            if (source instanceof Node.SeqNode seq) {
                for (int i = 0; i < seq.size; i++) mergeOne(map, seq.items[i]);
            } else {
                mergeOne(map, source);
            }
        }
    }

    private static void mergeOne(Node.MapNode map, Node source) {
        if (!(source instanceof Node.MapNode from)) {
            throw new TreeSink.Abort(source.line, source.column, "a merge key (<<) takes a mapping or a list of them, not "
                    + source.kindName());
        }
        for (int i = 0; i < from.size; i++) {
            if (map.indexOf(from.keys[i].text) < 0) {
                map.put(from.keys[i], from.values[i]);
                TreeSink.checkWeight(map);
            }
        }
    }

    private Node sequence(int depth) {
        Node.SeqNode seq = new Node.SeqNode(events.line(), events.column());
        while (events.peek() != Event.ID.SequenceEnd) {
            seq.add(build(events.next(), depth + 1));
            TreeSink.checkWeight(seq);
        }
        events.next();
        return seq;
    }

    private void expect(Event.ID id) {
        Event.ID kind = events.next();
        if (kind != id) throw abort("unexpected " + kind + ", expected " + id);
    }

    private TreeSink.Abort abort(String message) {
        return new TreeSink.Abort(events.line(), events.column(), message);
    }

    /**
     * Passes calls on to the real sink, except the first {@code skip}: those the fast reading made
     * before it declined the file.
     */
    private static final class ReplaySink implements TreeSink {
        private final TreeSink downstream;
        private final long skip;
        long calls;
        /** Stays set when the real sink throws, so its failure is not taken for the reader's. */
        boolean delivering;

        ReplaySink(TreeSink downstream, long skip) {
            this.downstream = downstream;
            this.skip = skip;
        }

        @Override
        public void monitorStarting(int position) {
            if (calls++ < skip) return;
            delivering = true;
            downstream.monitorStarting(position);
            delivering = false;
        }

        @Override
        public void monitor(Node node, int position) {
            if (calls++ < skip) return;
            delivering = true;
            downstream.monitor(node, position);
            delivering = false;
        }

        @Override
        public void error(int line, int column, String field, String message) {
            if (calls++ < skip) return;
            delivering = true;
            downstream.error(line, column, field, message);
            delivering = false;
        }
    }
}
