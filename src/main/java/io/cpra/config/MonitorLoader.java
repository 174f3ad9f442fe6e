package io.cpra.config;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Streams monitors out of YAML/JSON files (also {@code .gz}) and directories of them, validating as it
 * goes. Memory does not grow with the file: monitors are handed to the consumer one at a time, never
 * collected. All errors of all files are reported.
 */
public final class MonitorLoader {

    private MonitorLoader() {}

    public static LoadResult load(List<Path> paths, Capabilities capabilities, Consumer<MonitorSpec> consumer) {
        throw new UnsupportedOperationException("not built yet");
    }
}
