package io.cpra.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a JSON monitor file with Jackson's streaming parser: walks to the {@code monitors} array and
 * builds one item at a time into a {@link Node} tree.
 */
final class JsonTreeReader {

    /** No limit on the document: it is streamed. Nesting is bounded by {@link TreeSink#MAX_DEPTH} instead. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxDocumentLength(-1)
                    .maxTokenCount(-1)
                    .maxNestingDepth(TreeSink.MAX_DEPTH * 2)
                    .build())
            .build();

    private final JsonParser parser;
    private final TreeSink sink;

    JsonTreeReader(InputStream in, TreeSink sink) throws IOException {
        this.parser = FACTORY.createParser(in);
        this.sink = sink;
    }

    void read() throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            sink.error(1, 1, "monitors", "the file is empty");
            return;
        }
        if (first != JsonToken.START_OBJECT) {
            JsonLocation at = parser.currentTokenLocation();
            sink.error(at.getLineNr(), at.getColumnNr(), "", "the top level must be an object with a monitors array");
            return;
        }
        readRoot();
        if (parser.nextToken() != null) {
            JsonLocation at = parser.currentTokenLocation();
            throw new TreeSink.Abort(at.getLineNr(), at.getColumnNr(), "unexpected content after the top-level object");
        }
    }

    private void readRoot() throws IOException {
        int rootLine = parser.currentTokenLocation().getLineNr();
        int rootColumn = parser.currentTokenLocation().getColumnNr();
        boolean sawMonitors = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonLocation at = parser.currentTokenLocation();
            JsonToken value = parser.nextToken();
            if (key.equals("monitors")) {
                sawMonitors = true;
                if (value == JsonToken.START_ARRAY) {
                    int position = 0;
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        sink.monitorStarting(++position);
                        sink.monitor(build(1), position);
                    }
                } else {
                    Node node = build(1);
                    sink.error(node.line, node.column, "monitors", "expected an array of monitors, got " + node.kindName());
                }
            } else {
                parser.skipChildren();
                if (!TreeSink.isTopLevelExtension(key)) {
                    sink.error(at.getLineNr(), at.getColumnNr(), key, Spelling.unknownField(key, new String[] {"monitors"}));
                }
            }
        }
        if (!sawMonitors) sink.error(rootLine, rootColumn, "monitors", "missing required field");
    }

    /** Builds the value at the current token. */
    private Node build(int depth) throws IOException {
        JsonLocation at = parser.currentTokenLocation();
        int line = at.getLineNr();
        int column = at.getColumnNr();
        if (depth > TreeSink.MAX_DEPTH) throw new TreeSink.Abort(line, column, "nesting deeper than " + TreeSink.MAX_DEPTH + " levels");
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Node.MapNode map = new Node.MapNode(line, column);
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    JsonLocation keyAt = parser.currentTokenLocation();
                    Node.Scalar key = new Node.Scalar(parser.currentName(), Node.Scalar.STRING, keyAt.getLineNr(), keyAt.getColumnNr());
                    parser.nextToken();
                    map.put(key, build(depth + 1));
                    TreeSink.checkWeight(map);
                }
                return map;
            }
            case START_ARRAY -> {
                Node.SeqNode seq = new Node.SeqNode(line, column);
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    seq.add(build(depth + 1));
                    TreeSink.checkWeight(seq);
                }
                return seq;
            }
            case VALUE_STRING -> { return new Node.Scalar(parser.getText(), Node.Scalar.STRING, line, column); }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> { return new Node.Scalar(parser.getText(), Node.Scalar.NUMBER, line, column); }
            case VALUE_TRUE -> { return new Node.Scalar("true", Node.Scalar.BOOL, line, column); }
            case VALUE_FALSE -> { return new Node.Scalar("false", Node.Scalar.BOOL, line, column); }
            case VALUE_NULL -> { return new Node.Scalar("null", Node.Scalar.NULL, line, column); }
            default -> throw new TreeSink.Abort(line, column, "unexpected " + token);
        }
    }
}
