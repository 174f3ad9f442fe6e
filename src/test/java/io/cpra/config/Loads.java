package io.cpra.config;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Test helpers: write monitor files, load them, keep what the consumer saw. */
final class Loads {

    static final Map<String, String> ENV = Map.of("TOKEN", "s3cret-token", "PORT", "8443", "HOST", "db.internal");

    final List<MonitorSpec> monitors = new ArrayList<>();
    final LoadResult result;

    private Loads(List<Path> paths, Capabilities caps) {
        result = MonitorLoader.load(paths, caps, ENV, monitors::add);
    }

    static Loads of(Path... paths) {
        return new Loads(List.of(paths), Capabilities.ALL);
    }

    static Loads of(Capabilities caps, Path... paths) {
        return new Loads(List.of(paths), caps);
    }

    List<ConfigError> errors() {
        return result.errors();
    }

    MonitorSpec only() {
        if (!result.ok() || monitors.size() != 1) {
            throw new AssertionError("expected one monitor and no errors, got " + monitors.size() + " and " + result.errors());
        }
        return monitors.getFirst();
    }

    static Path write(Path dir, String name, String content) {
        return write(dir, name, content.getBytes(StandardCharsets.UTF_8));
    }

    static Path write(Path dir, String name, byte[] content) {
        try {
            Path p = dir.resolve(name);
            if (name.endsWith(".gz")) {
                try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
                    out.write(content);
                }
            } else {
                Files.write(p, content);
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file with one monitor written as a single-line JSON object on line 2 (valid JSON and YAML alike). */
    static String wrap(String monitorJson) {
        return "{\"monitors\": [\n" + monitorJson + "\n]}\n";
    }

    static String http(String name, String configExtra, String pulseExtra, String monitorExtra) {
        return "{\"name\": \"" + name + "\", \"pulse_check\": {\"type\": \"http\", \"interval\": \"10s\", \"timeout\": \"2s\""
                + pulseExtra + ", \"config\": {\"url\": \"http://127.0.0.1:8080/health\"" + configExtra + "}}" + monitorExtra + "}";
    }

    /** A monitor named m with the given pulse type and config body. */
    static String pulse(String type, String config) {
        return "{\"name\": \"m\", \"pulse_check\": {\"type\": \"" + type + "\", \"interval\": \"10s\", \"timeout\": \"2s\", \"config\": {" + config + "}}}";
    }
}
