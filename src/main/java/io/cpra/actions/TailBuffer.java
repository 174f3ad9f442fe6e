package io.cpra.actions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Keeps the last {@code capacity} bytes written, so a chatty process costs bounded memory. */
final class TailBuffer {

    private final byte[] ring;
    private long written;

    TailBuffer(int capacity) { ring = new byte[capacity]; }

    synchronized void write(byte[] bytes, int offset, int length) {
        for (int i = 0; i < length; i++) ring[(int) ((written + i) % ring.length)] = bytes[offset + i];
        written += length;
    }

    /** Copies the stream until its end (or an error: a killed process closes its pipe). */
    void drain(InputStream in) {
        byte[] chunk = new byte[1024];
        try (in) {
            for (int n; (n = in.read(chunk)) >= 0; ) write(chunk, 0, n);
        } catch (IOException ignored) {
            // the process is gone; keep what was read
        }
    }

    /** The kept bytes as UTF-8 text, prefixed with "..." when earlier output was cut. */
    synchronized String text() {
        int size = (int) Math.min(written, ring.length);
        byte[] tail = new byte[size];
        int start = (int) ((written - size) % ring.length);
        for (int i = 0; i < size; i++) tail[i] = ring[(start + i) % ring.length];
        String text = new String(tail, StandardCharsets.UTF_8);
        return written > ring.length ? "..." + text : text;
    }
}
