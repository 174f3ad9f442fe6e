package io.cpra.notify;

import io.cpra.config.CodeSpec;
import io.cpra.config.Colour;
import io.cpra.config.NotifyConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Builds alerts for tests. */
final class Alerts {

    /** 2026-11-22T11:08:32.123Z */
    static final long EPOCH_MILLIS = 1_795_345_712_123L;

    private Alerts() {}

    /** A log file in {@code dir} that cannot be written until the test deletes its parent, a plain file. */
    static Path blockedLogFile(Path dir) throws IOException {
        Path blocker = dir.resolve("logs");
        Files.writeString(blocker, "a file where the directory should be");
        return blocker.resolve("alerts.log");
    }

    static Alert alert(String monitor, long sequence, Colour colour, NotifyConfig config) {
        return alert(monitor, sequence, colour, config, null, null, null);
    }

    static Alert alert(String monitor, long sequence, Colour colour, NotifyConfig config,
                       String incident, String error, String action) {
        CodeSpec code = new CodeSpec(colour, Notifiers.typeOf(config), true, config, List.of(), 0);
        return new Alert(monitor, sequence, colour, code, 40 + sequence, incident, error, action, EPOCH_MILLIS);
    }
}
