package io.cpra.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.yaml.snakeyaml.events.Event;

/**
 * A hand-rolled reader of the YAML that monitor files are written in, producing the same events, values
 * and positions as SnakeYAML at a fraction of its cost. The subset: one document (an optional leading
 * {@code ---}), block mappings and sequences (also indentless ones), flow mappings and sequences on one
 * line, plain, single- and double-quoted scalars on one line, anchors, aliases, comments, LF or CRLF.
 *
 * <p>Anything else (block scalars, tags, multi-line scalars or flow collections, complex keys, tabs,
 * directives, more documents, any syntax error) throws {@link Unsupported} before the event it concerns
 * is handed out: the caller then reads the file with SnakeYAML, which knows all of YAML and words the
 * errors. Declining is always safe, so every rule here is conservative.
 *
 * <p>Lines are read whole into a growing buffer and turned into events one line at a time.
 */
final class FastYamlEvents implements YamlEvents {

    /** The input leaves the subset: read it with SnakeYAML. */
    static final class Unsupported extends RuntimeException {
        Unsupported(String what) {
            super(what, null, false, false);
        }
    }

    private static final byte MAP = 0, SEQ = 1, INDENTLESS_SEQ = 2;
    /** SnakeYAML does not look further than this for the colon of a key. */
    private static final int MAX_KEY_LENGTH = 1000;
    private static final int MAX_FLOW_DEPTH = 64;
    /** Lines are held whole: a longer one (a whole file written on one line) is left to streaming SnakeYAML. */
    static final int MAX_LINE = 1 << 20;
    /** Scalars up to this length are shared through {@link #texts}: monitor files repeat most of theirs. */
    private static final int SHARED_LENGTH = 32;
    private static final int SHARED_SLOTS = 4096;

    private final Utf8Reader in;
    private char[] buf = new char[64 * 1024];
    private int filled;
    private boolean eof;

    // the current line: buf[lineStart, lineEnd), line break excluded
    private int lineStart;
    private int lineEnd;
    private int next; // start of the following line
    private int lineNumber;
    private int contentAt; // where the content of the current, looked-ahead line starts; -1 at the end

    // open block collections
    private byte[] types = new byte[16];
    private int[] indents = new int[16];
    private int depth;

    // a value owed to the innermost collection (after "key:" or "-" ending a line), with its position
    private boolean owed;
    private int owedLine;
    private int owedColumn;
    private String anchor;
    private int anchorLine;
    private int anchorColumn;

    // recently read short scalars, and keys, by hash: repeated text costs neither allocation nor copying
    private final String[] texts = new String[SHARED_SLOTS];
    private final char[][] textChars = new char[SHARED_SLOTS][];
    private final String[] keys = new String[SHARED_SLOTS];

    private boolean started;
    private boolean rootSeen;
    private boolean ended;

    // queued events, a ring
    private Event.ID[] kinds = new Event.ID[64];
    private String[] values = new String[64];
    private String[] anchors = new String[64];
    private boolean[] plains = new boolean[64];
    private int[] lines = new int[64];
    private int[] columns = new int[64];
    private int head;
    private int size;

    // the event last handed out
    private String value;
    private String eventAnchor;
    private boolean plain;
    private int line;
    private int column;

    FastYamlEvents(InputStream in) {
        this.in = new Utf8Reader(in, false); // a failure is reported by the second reading
    }

    @Override
    public Event.ID peek() {
        while (size == 0) produce();
        return kinds[head];
    }

    @Override
    public Event.ID next() {
        Event.ID kind = peek();
        value = values[head];
        eventAnchor = anchors[head];
        plain = plains[head];
        line = lines[head];
        column = columns[head];
        values[head] = null;
        anchors[head] = null;
        head = (head + 1) & (kinds.length - 1);
        size--;
        return kind;
    }

    @Override
    public String value() { return value; }

    @Override
    public String anchor() { return eventAnchor; }

    @Override
    public String tag() { return null; }

    @Override
    public boolean plain() { return plain; }

    @Override
    public int line() { return line; }

    @Override
    public int column() { return column; }

    @Override
    public int[] position() { return new int[] {lineNumber, 1}; }

    // ---- events out

    private void emit(Event.ID kind, String text, String anchorName, boolean isPlain, int atLine, int atColumn) {
        if (size == kinds.length) grow();
        int i = (head + size++) & (kinds.length - 1);
        kinds[i] = kind;
        values[i] = text;
        anchors[i] = anchorName;
        plains[i] = isPlain;
        lines[i] = atLine;
        columns[i] = atColumn;
    }

    private void grow() {
        int n = kinds.length;
        Event.ID[] k = new Event.ID[n * 2];
        String[] v = new String[n * 2];
        String[] a = new String[n * 2];
        boolean[] p = new boolean[n * 2];
        int[] l = new int[n * 2];
        int[] c = new int[n * 2];
        for (int j = 0; j < size; j++) {
            int from = (head + j) & (n - 1);
            k[j] = kinds[from];
            v[j] = values[from];
            a[j] = anchors[from];
            p[j] = plains[from];
            l[j] = lines[from];
            c[j] = columns[from];
        }
        kinds = k;
        values = v;
        anchors = a;
        plains = p;
        lines = l;
        columns = c;
        head = 0;
    }

    private void emitNodeStart(Event.ID kind, int atLine, int atColumn) {
        if (anchor != null) {
            emit(kind, null, anchor, false, anchorLine, anchorColumn);
            anchor = null;
        } else {
            emit(kind, null, null, false, atLine, atColumn);
        }
    }

    private void emitScalar(String text, boolean isPlain, int atLine, int atColumn) {
        if (anchor != null) {
            emit(Event.ID.Scalar, text, anchor, isPlain, anchorLine, anchorColumn);
            anchor = null;
        } else {
            emit(Event.ID.Scalar, text, null, isPlain, atLine, atColumn);
        }
    }

    // ---- lines in

    /** Reads the next line into the buffer; false at the end of the input. */
    private boolean nextLine() {
        int from = next;
        int scan = from;
        while (true) {
            for (; scan < filled; scan++) {
                char c = buf[scan];
                if (c >= 0x20 && c < 0x7F) continue;
                if (c == '\n') {
                    lineStart = from;
                    lineEnd = scan > from && buf[scan - 1] == '\r' ? scan - 1 : scan;
                    next = scan + 1;
                    lineNumber++;
                    return true;
                }
                if (c == '\r') {
                    if (scan + 1 < filled ? buf[scan + 1] == '\n' : eof) continue; // CRLF, or CR ending the file
                    if (scan + 1 < filled) throw new Unsupported("a line break of CR alone");
                    break; // decide when the next character is read
                }
                if (c < 0xA0 || c == 0x2028 || c == 0x2029 || c == 0xFEFF || c > 0xFFFD || (c >= 0xD800 && c < 0xE000)) {
                    throw new Unsupported("character U+" + Integer.toHexString(c));
                }
            }
            if (eof) {
                if (from == filled) return false;
                lineStart = from;
                lineEnd = buf[filled - 1] == '\r' ? filled - 1 : filled;
                next = filled;
                lineNumber++;
                return true;
            }
            // make room and read more
            int kept = filled - from;
            if (kept >= MAX_LINE) throw new Unsupported("a line longer than " + MAX_LINE + " characters");
            if (from == 0 && kept == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
            else System.arraycopy(buf, from, buf, 0, kept);
            scan -= from;
            from = 0;
            filled = kept;
            next = 0;
            fill();
        }
    }

    private void fill() {
        try {
            int n = in.read(buf, filled, buf.length - filled);
            if (n < 0) eof = true;
            else filled += n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int col(int index) {
        return index - lineStart + 1;
    }

    /** Whether position i ends the content of a line: its end, or a comment after a space. */
    private boolean restIsEmpty(int i) {
        while (i < lineEnd && buf[i] == ' ') i++;
        return i >= lineEnd || (buf[i] == '#' && (i == lineStart || buf[i - 1] == ' '));
    }

    private int skipSpaces(int i) {
        while (i < lineEnd && buf[i] == ' ') i++;
        return i;
    }

    // ---- the block structure

    private void produce() {
        if (ended) throw new Unsupported("reading past the end");
        if (!started) {
            started = true;
            emit(Event.ID.StreamStart, null, null, false, 1, 1);
            start();
        } else if (contentAt >= 0) {
            blockLine(contentAt);
        } else {
            finish();
            return;
        }
        lookAhead();
    }

    /**
     * Reads the next line with content before the events of this one are handed out: a line indented
     * deeper than the open collections, where no value is owed, may continue this line's last scalar,
     * which would change it.
     */
    private void lookAhead() {
        contentAt = -1;
        while (nextLine()) {
            int p = skipSpaces(lineStart);
            if (restIsEmpty(p)) continue;
            if (p == lineStart && isMarker()) throw new Unsupported("a document marker or directive");
            if (!owed && p - lineStart > indents[depth - 1]) throw new Unsupported("a continued scalar or unexpected indentation");
            contentAt = p;
            return;
        }
    }

    /** The first line with content: an optional "---", then the root. */
    private void start() {
        boolean explicit = false;
        while (nextLine()) {
            int p = skipSpaces(lineStart);
            if (restIsEmpty(p)) continue;
            if (p == lineStart && isMarker()) {
                if (buf[p] != '-' || explicit || !restIsEmpty(p + 3)) throw new Unsupported("a document marker or directive");
                emit(Event.ID.DocumentStart, null, null, false, lineNumber, 1);
                explicit = true;
                continue;
            }
            if (!explicit) emit(Event.ID.DocumentStart, null, null, false, lineNumber, col(p));
            blockLine(p);
            return;
        }
        throw new Unsupported("no content");
    }

    private boolean isMarker() {
        char c = buf[lineStart];
        if (c == '%') return true;
        if (c != '-' && c != '.') return false;
        return lineEnd - lineStart >= 3 && buf[lineStart + 1] == c && buf[lineStart + 2] == c
                && (lineEnd - lineStart == 3 || buf[lineStart + 3] == ' ');
    }

    private void finish() {
        payOwed();
        while (depth > 0) close();
        emit(Event.ID.DocumentEnd, null, null, false, lineNumber, 1);
        emit(Event.ID.StreamEnd, null, null, false, lineNumber, 1);
        ended = true;
    }

    private void payOwed() {
        if (owed) {
            owed = false;
            emitScalar("", true, owedLine, owedColumn);
        }
    }

    private void open(byte type, int indent) {
        if (depth == types.length) {
            types = Arrays.copyOf(types, depth * 2);
            indents = Arrays.copyOf(indents, depth * 2);
        }
        types[depth] = type;
        indents[depth++] = indent;
    }

    private void close() {
        depth--;
        emit(types[depth] == MAP ? Event.ID.MappingEnd : Event.ID.SequenceEnd, null, null, false, lineNumber, 1);
    }

    /** A line with content starting at p. */
    private void blockLine(int p) {
        int indent = p - lineStart;
        boolean entry = buf[p] == '-' && (p + 1 == lineEnd || buf[p + 1] == ' ');
        if (owed) {
            boolean nested = depth == 0 || indent > indents[depth - 1]
                    || (entry && types[depth - 1] == MAP && indent == indents[depth - 1]);
            if (nested) {
                owed = false;
                if (entry) {
                    open(depth > 0 && indent == indents[depth - 1] ? INDENTLESS_SEQ : SEQ, indent);
                    emitNodeStart(Event.ID.SequenceStart, lineNumber, col(p));
                    entry(p);
                } else {
                    openMapping(p);
                }
                return;
            }
            payOwed();
        }
        while (depth > 0 && (indents[depth - 1] > indent
                || (types[depth - 1] == INDENTLESS_SEQ && indents[depth - 1] == indent && !entry))) {
            close();
        }
        if (depth == 0) {
            if (rootSeen) throw new Unsupported("content after the root node");
            rootSeen = true;
            if (entry) {
                open(SEQ, indent);
                emit(Event.ID.SequenceStart, null, null, false, lineNumber, col(p));
                entry(p);
            } else {
                openMapping(p);
            }
            return;
        }
        if (indents[depth - 1] != indent) throw new Unsupported("unexpected indentation");
        if (entry) {
            if (types[depth - 1] == MAP) throw new Unsupported("a list entry inside a mapping");
            entry(p);
        } else {
            if (types[depth - 1] != MAP) throw new Unsupported("a mapping key inside a list");
            key(p);
        }
    }

    private void openMapping(int p) {
        open(MAP, p - lineStart);
        emitNodeStart(Event.ID.MappingStart, lineNumber, col(p));
        key(p);
    }

    /** "- ..." at p: the entry's node is on this line, or owed by the next ones. */
    private void entry(int p) {
        int q = skipSpaces(p + 1);
        if (restIsEmpty(q)) {
            owe(p + 1);
            return;
        }
        if (buf[q] == '-' && (q + 1 == lineEnd || buf[q + 1] == ' ')) throw new Unsupported("a compact nested list");
        if (buf[q] == '&') {
            q = anchor(q);
            if (restIsEmpty(q)) {
                owe(p + 1);
                return;
            }
            int end = inlineNode(q, false);
            endOfLine(end);
            return;
        }
        int end = inlineNode(q, true);
        if (end < 0) { // a key: a compact mapping "- key: value"
            open(MAP, q - lineStart);
            // the key is already queued after the mapping's start: move the start before it
            insertBeforeLast(Event.ID.MappingStart, lineNumber, col(q));
            value(-end - 1);
            return;
        }
        endOfLine(end);
    }

    /** "key: ..." at p, the mapping being open. */
    private void key(int p) {
        int end = inlineNode(p, true);
        if (end >= 0) throw new Unsupported("a line without a key in a mapping");
        value(-end - 1);
    }

    /** The value after the key's colon at {@code colon}. */
    private void value(int colon) {
        int q = skipSpaces(colon + 1);
        if (restIsEmpty(q)) {
            owe(colon + 1);
            return;
        }
        if (buf[q] == '&') {
            q = anchor(q);
            if (restIsEmpty(q)) {
                owe(colon + 1);
                return;
            }
        }
        endOfLine(inlineNode(q, false));
    }

    private void owe(int endOfIndicator) {
        owed = true;
        owedLine = lineNumber;
        owedColumn = col(endOfIndicator);
    }

    private void endOfLine(int i) {
        if (i < lineEnd && buf[i] != ' ') throw new Unsupported("content after a value");
        if (!restIsEmpty(i)) throw new Unsupported("content after a value");
    }

    /** Reads "&name " at p into the pending anchor; returns the position after it and its spaces. */
    private int anchor(int p) {
        if (anchor != null) throw new Unsupported("two anchors");
        int end = name(p + 1);
        if (end < lineEnd && buf[end] != ' ') throw new Unsupported("an anchor not followed by a space");
        anchor = new String(buf, p + 1, end - p - 1);
        anchorLine = lineNumber;
        anchorColumn = col(p);
        return skipSpaces(end);
    }

    private int name(int from) {
        int i = from;
        while (i < lineEnd) {
            char c = buf[i];
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') i++;
            else break;
        }
        if (i == from) throw new Unsupported("an anchor or alias name");
        return i;
    }

    /**
     * Queues the block-context node at p (a scalar, an alias, a one-line flow collection). Returns the
     * position after it; or, if it is a mapping key and keys are allowed, {@code -(colon + 1)}.
     */
    private int inlineNode(int p, boolean keyAllowed) {
        char c = buf[p];
        int end;
        boolean scalar = true;
        switch (c) {
            case '"' -> end = doubleQuoted(p);
            case '\'' -> end = singleQuoted(p);
            case '{', '[' -> {
                end = flowCollection(p, 1);
                scalar = false;
            }
            case '*' -> {
                if (anchor != null) throw new Unsupported("an anchored alias");
                end = name(p + 1);
                emit(Event.ID.Alias, new String(buf, p + 1, end - p - 1), null, false, lineNumber, col(p));
                scalar = false;
            }
            default -> end = blockPlain(p);
        }
        // a key: ':' and then a space or the end of the line
        int colon = end;
        if (colon < lineEnd && buf[colon] == ' ' && !scalarIsPlainAt(p)) colon = skipSpaces(colon);
        if (colon < lineEnd && buf[colon] == ':' && (colon + 1 == lineEnd || buf[colon + 1] == ' ')) {
            if (!keyAllowed || !scalar || anchor != null || colon - p > MAX_KEY_LENGTH) {
                throw new Unsupported("a key here");
            }
            int last = (head + size - 1) & (kinds.length - 1);
            values[last] = key(values[last]);
            return -colon - 1;
        }
        return end;
    }

    private boolean scalarIsPlainAt(int p) {
        char c = buf[p];
        return c != '"' && c != '\'';
    }

    /** A plain scalar in block context: ends at ": ", ":" at the end, " #" or the end of the line. */
    private int blockPlain(int p) {
        char c = buf[p];
        if ("-?:,[]{}#&*!|>'\"%@`".indexOf(c) >= 0) {
            boolean indicatorOk = (c == '-' || c == '?' || c == ':') && p + 1 < lineEnd && buf[p + 1] != ' ';
            if (!indicatorOk) throw new Unsupported("a plain scalar starting with " + c);
        }
        int i = p;
        int lastNonSpace = p;
        while (i < lineEnd) {
            char ch = buf[i];
            if (ch == ':' && (i + 1 == lineEnd || buf[i + 1] == ' ')) break;
            if (ch == '#' && buf[i - 1] == ' ') break;
            if (ch != ' ') lastNonSpace = i + 1;
            i++;
        }
        if (i < lineEnd && buf[i] == ':' && i == p) throw new Unsupported("an empty key");
        emitScalar(text(p, lastNonSpace), true, lineNumber, col(p));
        return lastNonSpace;
    }

    // ---- quoted scalars, on one line

    private int singleQuoted(int p) {
        StringBuilder text = null;
        int i = p + 1;
        int runStart = i;
        while (true) {
            if (i >= lineEnd) throw new Unsupported("a multi-line quoted scalar");
            char c = buf[i];
            if (c == '\'') {
                if (i + 1 < lineEnd && buf[i + 1] == '\'') {
                    if (text == null) text = new StringBuilder();
                    text.append(buf, runStart, i + 1 - runStart);
                    i += 2;
                    runStart = i;
                    continue;
                }
                break;
            }
            i++;
        }
        String s = text == null ? text(runStart, i) : text.append(buf, runStart, i - runStart).toString();
        emitScalar(s, false, lineNumber, col(p));
        return i + 1;
    }

    private int doubleQuoted(int p) {
        StringBuilder text = null;
        int i = p + 1;
        int runStart = i;
        while (true) {
            if (i >= lineEnd) throw new Unsupported("a multi-line quoted scalar");
            char c = buf[i];
            if (c == '"') break;
            if (c != '\\') {
                i++;
                continue;
            }
            if (text == null) text = new StringBuilder();
            text.append(buf, runStart, i - runStart);
            if (i + 1 >= lineEnd) throw new Unsupported("an escaped line break");
            char e = buf[i + 1];
            i += 2;
            switch (e) {
                case '0' -> text.append('\0');
                case 'a' -> text.append('\u0007');
                case 'b' -> text.append('\b');
                case 't' -> text.append('\t');
                case 'n' -> text.append('\n');
                case 'v' -> text.append('\u000B');
                case 'f' -> text.append('\f');
                case 'r' -> text.append('\r');
                case 'e' -> text.append('\u001B');
                case ' ' -> text.append(' ');
                case '"' -> text.append('"');
                case '\\' -> text.append('\\');
                case 'N' -> text.append('\u0085');
                case '_' -> text.append('\u00A0');
                case 'L' -> text.append('\u2028');
                case 'P' -> text.append('\u2029');
                case 'x' -> i = hexEscape(text, i, 2);
                case 'u' -> i = hexEscape(text, i, 4);
                case 'U' -> i = hexEscape(text, i, 8);
                default -> throw new Unsupported("the escape \\" + e);
            }
            runStart = i;
        }
        String s = text == null ? text(runStart, i) : text.append(buf, runStart, i - runStart).toString();
        emitScalar(s, false, lineNumber, col(p));
        return i + 1;
    }

    private int hexEscape(StringBuilder text, int from, int digits) {
        if (from + digits > lineEnd) throw new Unsupported("a short escape");
        int code = 0;
        for (int i = from; i < from + digits; i++) {
            int d = Character.digit(buf[i], 16);
            if (d < 0) throw new Unsupported("a bad escape");
            code = code * 16 + d;
        }
        if (code > Character.MAX_CODE_POINT || (code >= 0xD800 && code < 0xE000)) throw new Unsupported("a bad escape");
        text.appendCodePoint(code);
        return from + digits;
    }

    // ---- flow collections, on one line

    /** Queues the flow collection at p; returns the position after its closing bracket. */
    private int flowCollection(int p, int level) {
        if (level > MAX_FLOW_DEPTH) throw new Unsupported("deep flow nesting");
        boolean mapping = buf[p] == '{';
        char close = mapping ? '}' : ']';
        emitNodeStart(mapping ? Event.ID.MappingStart : Event.ID.SequenceStart, lineNumber, col(p));
        int i = skipSpaces(p + 1);
        if (i < lineEnd && buf[i] == close) {
            emit(mapping ? Event.ID.MappingEnd : Event.ID.SequenceEnd, null, null, false, lineNumber, col(i));
            return i + 1;
        }
        while (true) {
            i = flowNode(i, level);
            if (i < lineEnd && buf[i] == ':' && i + 1 < lineEnd && buf[i + 1] == ' ') {
                if (!mapping) throw new Unsupported("a pair in a flow list");
                i = flowNode(skipSpaces(i + 1), level);
            } else if (mapping) {
                throw new Unsupported("a flow mapping entry without a value");
            }
            if (i >= lineEnd) throw new Unsupported("a multi-line flow collection");
            if (buf[i] == close) {
                emit(mapping ? Event.ID.MappingEnd : Event.ID.SequenceEnd, null, null, false, lineNumber, col(i));
                return i + 1;
            }
            if (buf[i] != ',') throw new Unsupported("unexpected " + buf[i] + " in a flow collection");
            i = skipSpaces(i + 1);
            if (i >= lineEnd || buf[i] == close) throw new Unsupported("an empty flow entry");
        }
    }

    /** Queues one flow node at p; returns the position after it and its trailing spaces. */
    private int flowNode(int p, int level) {
        if (p >= lineEnd) throw new Unsupported("a multi-line flow collection");
        if (buf[p] == '&') p = anchor(p);
        if (p >= lineEnd) throw new Unsupported("a multi-line flow collection");
        int end = switch (buf[p]) {
            case '"' -> doubleQuoted(p);
            case '\'' -> singleQuoted(p);
            case '{', '[' -> flowCollection(p, level + 1);
            case '*' -> {
                if (anchor != null) throw new Unsupported("an anchored alias");
                int e = name(p + 1);
                emit(Event.ID.Alias, new String(buf, p + 1, e - p - 1), null, false, lineNumber, col(p));
                yield e;
            }
            default -> flowPlain(p);
        };
        return skipSpaces(end);
    }

    /** A plain scalar in flow context: ends at ",[]{}", ": ", " #" or the end of the line. */
    private int flowPlain(int p) {
        char c = buf[p];
        if ("-?:,[]{}#&*!|>'\"%@`".indexOf(c) >= 0) {
            boolean indicatorOk = c == '-' && p + 1 < lineEnd && buf[p + 1] != ' '
                    && ",[]{}".indexOf(buf[p + 1]) < 0;
            if (!indicatorOk) throw new Unsupported("a flow scalar starting with " + c);
        }
        int i = p;
        int lastNonSpace = p;
        while (i < lineEnd) {
            char ch = buf[i];
            if (ch == ':' && (i + 1 == lineEnd || " ,[]{}".indexOf(buf[i + 1]) >= 0)) break;
            if (ch == ',' || ch == '[' || ch == ']' || ch == '{' || ch == '}') break;
            if (ch == '?' || ch == '"' || ch == '\'') throw new Unsupported("a flow scalar with " + ch);
            if (ch == '#' && buf[i - 1] == ' ') break;
            if (ch != ' ') lastNonSpace = i + 1;
            i++;
        }
        if (i < lineEnd && buf[i] == ':' && buf[i - 1] != ' ' && i + 1 < lineEnd && buf[i + 1] != ' ') {
            throw new Unsupported("a colon in a flow scalar");
        }
        emitScalar(text(p, lastNonSpace), true, lineNumber, col(p));
        return lastNonSpace;
    }

    /** The text of buf[from, to), shared with its last reading when short. */
    private String text(int from, int to) {
        int length = to - from;
        if (length > SHARED_LENGTH) return new String(buf, from, length);
        int hash = length;
        for (int i = from; i < to; i++) hash = 31 * hash + buf[i];
        int slot = (hash ^ (hash >>> 15)) & (SHARED_SLOTS - 1);
        char[] chars = textChars[slot];
        if (chars != null && Arrays.equals(chars, 0, chars.length, buf, from, to)) return texts[slot];
        textChars[slot] = Arrays.copyOfRange(buf, from, to);
        return texts[slot] = new String(buf, from, length);
    }

    /** Keys are interned, as Jackson's are: the binder then finds its field names by identity. */
    private String key(String text) {
        int slot = text.hashCode() & (SHARED_SLOTS - 1);
        String shared = keys[slot];
        if (text.equals(shared)) return shared;
        return keys[slot] = text.intern();
    }

    /** Moves the last queued event one place back and queues {@code kind} before it. */
    private void insertBeforeLast(Event.ID kind, int atLine, int atColumn) {
        int last = (head + size - 1) & (kinds.length - 1);
        Event.ID k = kinds[last];
        String v = values[last];
        String a = anchors[last];
        boolean pl = plains[last];
        int l = lines[last];
        int c = columns[last];
        size--;
        emit(kind, null, null, false, atLine, atColumn);
        emit(k, v, a, pl, l, c);
    }
}
