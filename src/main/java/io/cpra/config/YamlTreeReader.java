package io.cpra.config;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * Reads a YAML monitor file from SnakeYAML's event stream: walks to the {@code monitors} sequence and
 * builds one item at a time into a {@link Node} tree, resolving anchors, aliases and merge keys
 * ({@code <<}) itself. Only anchored nodes outlive their item; aliases share them, never copy.
 */
final class YamlTreeReader {

    private static final String MERGE_KEY = "<<";

    private final Parser parser;
    private final StreamReader stream;
    private final TreeSink sink;
    private final Map<String, Node> anchors = new HashMap<>();

    YamlTreeReader(InputStream in, TreeSink sink) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Integer.MAX_VALUE); // the file is streamed: its size is not a memory risk
        this.stream = new StreamReader(new Utf8Reader(in));
        this.parser = new ParserImpl(stream, options);
        this.sink = sink;
    }

    /** Current reading position, for errors raised by the layers below the parser. */
    int[] position() {
        return new int[] {stream.getLine() + 1, stream.getColumn() + 1};
    }

    void read() {
        expect(Event.ID.StreamStart);
        boolean sawDocument = false;
        while (!parser.checkEvent(Event.ID.StreamEnd)) {
            Event start = expect(Event.ID.DocumentStart);
            sawDocument = true;
            Event root = parser.getEvent();
            if (root.is(Event.ID.MappingStart)) {
                readRoot(root);
            } else if (root instanceof ScalarEvent s && s.isPlain() && isNull(s.getValue())) {
                sink.error(line(start.getStartMark()), col(start.getStartMark()), "monitors", "the document is empty");
            } else {
                sink.error(line(root.getStartMark()), col(root.getStartMark()), "",
                        "the top level must be a mapping with a monitors list");
                return; // nothing of this shape is worth reading on
            }
            expect(Event.ID.DocumentEnd);
        }
        if (!sawDocument) sink.error(1, 1, "monitors", "the file is empty");
    }

    private void readRoot(Event rootStart) {
        boolean sawMonitors = false;
        while (!parser.checkEvent(Event.ID.MappingEnd)) {
            Event keyEvent = parser.getEvent();
            if (!(keyEvent instanceof ScalarEvent key)) {
                throw abort(keyEvent, "top-level keys must be plain strings");
            }
            if (key.getValue().equals("monitors")) {
                sawMonitors = true;
                readMonitors();
            } else if (TreeSink.isTopLevelExtension(key.getValue())) {
                build(parser.getEvent(), 1); // kept only if anchored, for aliases further down
            } else {
                skipNode();
                sink.error(line(key.getStartMark()), col(key.getStartMark()), key.getValue(),
                        Spelling.unknownField(key.getValue(), new String[] {"monitors"})
                                + " (top-level keys other than monitors must start with x-)");
            }
        }
        parser.getEvent();
        if (!sawMonitors) {
            sink.error(line(rootStart.getStartMark()), col(rootStart.getStartMark()), "monitors", "missing required field");
        }
    }

    private void readMonitors() {
        Event start = parser.getEvent();
        if (start.is(Event.ID.SequenceStart)) {
            if (((NodeEvent) start).getAnchor() != null) {
                throw abort(start, "an anchor on the monitors list itself is not supported");
            }
            int position = 0;
            while (!parser.checkEvent(Event.ID.SequenceEnd)) {
                sink.monitorStarting(++position);
                sink.monitor(build(parser.getEvent(), 2), position);
            }
            parser.getEvent();
            return;
        }
        Node value = build(start, 1);
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
            Event e = parser.getEvent();
            if (e.is(Event.ID.MappingStart) || e.is(Event.ID.SequenceStart)) depth++;
            else if (e.is(Event.ID.MappingEnd) || e.is(Event.ID.SequenceEnd)) depth--;
        } while (depth > 0);
    }

    private Node build(Event event, int depth) {
        if (depth > TreeSink.MAX_DEPTH) throw abort(event, "nesting deeper than " + TreeSink.MAX_DEPTH + " levels");
        Node node;
        switch (event) {
            case ScalarEvent s -> node = scalar(s);
            case AliasEvent a -> {
                Node target = anchors.get(a.getAnchor());
                if (target == null) throw abort(event, "unknown alias *" + a.getAnchor());
                return target;
            }
            default -> {
                if (event.is(Event.ID.MappingStart)) node = mapping(event, depth);
                else if (event.is(Event.ID.SequenceStart)) node = sequence(event, depth);
                else throw abort(event, "unexpected " + event.getEventId());
            }
        }
        String anchor = ((NodeEvent) event).getAnchor();
        if (anchor != null) anchors.put(anchor, node);
        return node;
    }

    private static Node.Scalar scalar(ScalarEvent s) {
        String text = s.getValue();
        String tag = s.getTag();
        byte kind;
        if (tag != null && (tag.equals("!!str") || tag.equals("tag:yaml.org,2002:str"))) kind = Node.Scalar.STRING;
        else if (!s.isPlain()) kind = Node.Scalar.STRING;
        else if (tag == null && isNull(text)) kind = Node.Scalar.NULL;
        else kind = Node.Scalar.PLAIN;
        return new Node.Scalar(text, kind, line(s.getStartMark()), col(s.getStartMark()));
    }

    private static boolean isNull(String text) {
        return text.isEmpty() || text.equals("~") || text.equals("null") || text.equals("Null") || text.equals("NULL");
    }

    private Node mapping(Event start, int depth) {
        Node.MapNode map = new Node.MapNode(line(start.getStartMark()), col(start.getStartMark()));
        List<Node> merges = null;
        while (!parser.checkEvent(Event.ID.MappingEnd)) {
            Event keyEvent = parser.getEvent();
            Node key = build(keyEvent, depth + 1);
            if (!(key instanceof Node.Scalar keyScalar) || keyScalar.isNull()) {
                throw abort(keyEvent, "mapping keys must be strings");
            }
            Node value = build(parser.getEvent(), depth + 1);
            if (keyScalar.kind == Node.Scalar.PLAIN && keyScalar.text.equals(MERGE_KEY)) {
                if (merges == null) merges = new ArrayList<>(2);
                merges.add(value);
            } else {
                map.put(keyScalar, value);
                TreeSink.checkWeight(map);
            }
        }
        parser.getEvent();
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

    private Node sequence(Event start, int depth) {
        Node.SeqNode seq = new Node.SeqNode(line(start.getStartMark()), col(start.getStartMark()));
        while (!parser.checkEvent(Event.ID.SequenceEnd)) {
            seq.add(build(parser.getEvent(), depth + 1));
            TreeSink.checkWeight(seq);
        }
        parser.getEvent();
        return seq;
    }

    private Event expect(Event.ID id) {
        Event event = parser.getEvent();
        if (!event.is(id)) throw abort(event, "unexpected " + event.getEventId() + ", expected " + id);
        return event;
    }

    private static TreeSink.Abort abort(Event at, String message) {
        return new TreeSink.Abort(line(at.getStartMark()), col(at.getStartMark()), message);
    }

    private static int line(Mark mark) { return mark == null ? 0 : mark.getLine() + 1; }

    private static int col(Mark mark) { return mark == null ? 0 : mark.getColumn() + 1; }
}
