package io.cpra.checks;

/** Where probes hand back finished jobs. Thread-safe, never blocks. */
@FunctionalInterface
public interface CheckSink {
    void complete(CheckJob job);
}
