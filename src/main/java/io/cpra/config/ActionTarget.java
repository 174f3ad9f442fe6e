package io.cpra.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What an intervention acts on; one record per action. */
public sealed interface ActionTarget {

    long timeoutNanos();

    /** @param type accepted as v0.5 files carry it, unused */
    record Docker(String container, long timeoutNanos, String type) implements ActionTarget {}

    /** Run directly, never through a shell. */
    record Script(Path path, List<String> args, Map<String, String> env, long timeoutNanos) implements ActionTarget {}

    record Webhook(URI url, String method, List<Header> headers, String body, long timeoutNanos) implements ActionTarget {}
}
