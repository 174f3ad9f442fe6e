package io.cpra.notify;

/** Where the engine hands raised alerts. Never blocks, never drops; thread-safe. */
@FunctionalInterface
public interface AlertSink {
    void submit(Alert alert);
}
