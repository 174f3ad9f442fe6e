package io.cpra.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 decoding that knows the line and column of what it has delivered, so invalid bytes are
 * reported where they are (the JDK's readers either replace them silently or lose the position).
 */
final class Utf8Reader extends Reader {

    /** Invalid UTF-8 at a known place. */
    static final class InvalidUtf8 extends IOException {
        final int line;
        final int column;

        InvalidUtf8(int line, int column, String message) {
            super(message, null);
            this.line = line;
            this.column = column;
        }

        @Override
        public synchronized Throwable fillInStackTrace() { return this; }
    }

    private final InputStream in;
    private final boolean tracking;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(64 * 1024).flip();
    private boolean eof;
    private boolean bomChecked;
    private CoderResult pendingError;
    private int line = 1;
    private int column = 1;

    Utf8Reader(InputStream in) {
        this(in, true);
    }

    /** @param tracking whether errors need their position: counting lines and columns costs a pass */
    Utf8Reader(InputStream in, boolean tracking) {
        this.in = in;
        this.tracking = tracking;
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) return 0;
        CharBuffer out = CharBuffer.wrap(cbuf, off, len);
        while (true) {
            if (pendingError != null) throw invalid(pendingError);
            CoderResult result = decoder.decode(bytes, out, eof);
            if (result.isError()) {
                pendingError = result;
                if (out.position() > off) break;
                continue;
            }
            if (out.position() > off || (eof && result.isUnderflow() && !bytes.hasRemaining())) break;
            if (result.isUnderflow()) fill();
        }
        int n = out.position() - off;
        if (n == 0) {
            return -1;
        }
        if (tracking) track(cbuf, off, n);
        return n;
    }

    private void fill() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) eof = true;
        else bytes.position(bytes.position() + n);
        bytes.flip();
        if (!bomChecked && (bytes.remaining() >= 3 || eof)) {
            bomChecked = true;
            if (bytes.remaining() >= 3 && (bytes.get(0) & 0xFF) == 0xEF && (bytes.get(1) & 0xFF) == 0xBB
                    && (bytes.get(2) & 0xFF) == 0xBF) {
                bytes.position(3);
            }
        }
    }

    private void track(char[] cbuf, int off, int n) {
        for (int i = off, end = off + n; i < end; i++) {
            if (cbuf[i] == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
    }

    private InvalidUtf8 invalid(CoderResult result) {
        int at = bytes.position();
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < result.length() && at + i < bytes.limit(); i++) {
            hex.append(i == 0 ? "0x" : " 0x").append(String.format("%02X", bytes.get(at + i) & 0xFF));
        }
        String what = eof && at + result.length() >= bytes.limit() && result.isMalformed()
                ? "truncated or invalid UTF-8 sequence " : "invalid UTF-8 byte sequence ";
        return new InvalidUtf8(line, column, what + hex + " (the file must be UTF-8)");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
