package io.cpra.config;

import java.io.InputStream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/** Full YAML 1.1 through SnakeYAML: the reference, and the reader of everything the fast one declines. */
final class SnakeYamlEvents implements YamlEvents {

    private final StreamReader stream;
    private final Parser parser;
    private Event current;

    SnakeYamlEvents(InputStream in) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Integer.MAX_VALUE); // the file is streamed: its size is not a memory risk
        this.stream = new StreamReader(new Utf8Reader(in));
        this.parser = new ParserImpl(stream, options);
    }

    @Override
    public Event.ID peek() { return parser.peekEvent().getEventId(); }

    @Override
    public Event.ID next() {
        current = parser.getEvent();
        return current.getEventId();
    }

    @Override
    public String value() {
        return current instanceof ScalarEvent s ? s.getValue() : current instanceof AliasEvent a ? a.getAnchor() : null;
    }

    @Override
    public String anchor() { return current instanceof NodeEvent n && !(n instanceof AliasEvent) ? n.getAnchor() : null; }

    @Override
    public String tag() { return current instanceof ScalarEvent s ? s.getTag() : null; }

    @Override
    public boolean plain() { return current instanceof ScalarEvent s && s.isPlain(); }

    @Override
    public int line() {
        Mark mark = current.getStartMark();
        return mark == null ? 0 : mark.getLine() + 1;
    }

    @Override
    public int column() {
        Mark mark = current.getStartMark();
        return mark == null ? 0 : mark.getColumn() + 1;
    }

    @Override
    public int[] position() { return new int[] {stream.getLine() + 1, stream.getColumn() + 1}; }
}
