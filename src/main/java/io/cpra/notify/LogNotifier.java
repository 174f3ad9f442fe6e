package io.cpra.notify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends one JSON object per alert and line to a file (or standard output). One instance per file,
 * shared by all monitors: a batch is rendered first, then written with one write and one flush under a
 * lock, so lines never interleave. The file and its parent directories are created on first write; a
 * write error closes the file (reopened on the next attempt) and fails the batch, which is retried.
 */
final class LogNotifier implements BatchNotifier, AutoCloseable {

    private static final JsonFactory JSON = new JsonFactory();

    private final Path file;
    private final ReentrantLock lock = new ReentrantLock();
    private OutputStream out;

    /** @param file null for standard output */
    LogNotifier(Path file) { this.file = file; }

    @Override
    public void sendBatch(List<Alert> alerts) throws IOException {
        byte[] lines = render(alerts);
        lock.lock();
        try {
            if (out == null) out = open();
            out.write(lines);
            out.flush();
            if (out instanceof PrintStream stdout && stdout.checkError()) throw new IOException("write error");
        } catch (IOException e) {
            closeFile();
            throw new IOException("cannot write " + (file == null ? "standard output" : file) + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private static byte[] render(List<Alert> alerts) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(256 * alerts.size());
        try (JsonGenerator json = JSON.createGenerator(buffer)) {
            json.setRootValueSeparator(null); // the newline below separates lines
            for (Alert alert : alerts) {
                AlertText.writeJson(json, alert);
                json.writeRaw('\n');
            }
        }
        return buffer.toByteArray();
    }

    private OutputStream open() throws IOException {
        if (file == null) return System.out;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private void closeFile() {
        if (out != null && out != System.out) {
            try {
                out.close();
            } catch (IOException ignored) {
                // already failing; the next attempt reopens
            }
        }
        out = null;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closeFile();
        } finally {
            lock.unlock();
        }
    }
}
