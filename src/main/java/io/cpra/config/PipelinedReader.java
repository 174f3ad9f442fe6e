package io.cpra.config;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Parses a file on a thread of its own while the caller's thread binds and consumes: parsing and tree
 * building are about half of a load, so on two cores the binding comes almost free. Trees travel in batches
 * through a small bounded queue, so memory stays flat; the consumer still runs on the caller's thread.
 * A failure on the parsing thread is rethrown on the caller's, as if the file had been read inline.
 */
final class PipelinedReader {

    /** A file reader that reports to a sink. */
    interface Source {
        void read(TreeSink sink) throws IOException;
    }

    private static final int BATCH = 64;
    private static final int QUEUED_BATCHES = 8;

    private record Tree(Node node, int position) {}

    private record TopError(int line, int column, String field, String message) {}

    /** Last item of a run: how reading ended, and which monitor was being read when it failed (0: none). */
    private record End(Throwable failure, int openPosition) {}

    /** Unwinds the parsing thread when the caller has stopped listening. */
    private static final class Cancelled extends RuntimeException {
        Cancelled() {
            super(null, null, false, false);
        }
    }

    private PipelinedReader() {}

    static void read(Source source, TreeSink downstream) throws IOException {
        BlockingQueue<Object[]> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
        Thread parser = Thread.ofPlatform().name("cpra-config-parser").daemon(true)
                .unstarted(() -> parse(source, queue));
        parser.start();
        boolean finished = false;
        try {
            while (!finished) {
                Object[] batch = queue.take();
                for (Object item : batch) {
                    if (item == null) break;
                    switch (item) {
                        case Tree t -> downstream.monitor(t.node(), t.position());
                        case TopError e -> downstream.error(e.line(), e.column(), e.field(), e.message());
                        case End end -> {
                            finished = true;
                            if (end.openPosition() > 0) downstream.monitorStarting(end.openPosition());
                            rethrow(end.failure());
                        }
                        default -> throw new IllegalStateException("unexpected " + item);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while loading", e);
        } finally {
            if (!finished) parser.interrupt(); // the parser stops at its next hand-over
            joinQuietly(parser);
        }
    }

    private static void parse(Source source, BlockingQueue<Object[]> queue) {
        Batcher out = new Batcher(queue);
        Throwable failure = null;
        try {
            source.read(out);
        } catch (Cancelled c) {
            return;
        } catch (Throwable t) { // handed to the caller's thread, which decides
            failure = t;
        }
        try {
            out.add(new End(failure, out.open));
            out.flush();
        } catch (Cancelled ignored) {
            // the caller is gone
        }
    }

    private static void rethrow(Throwable failure) throws IOException {
        switch (failure) {
            case null -> { }
            case IOException e -> throw e;
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IOException(failure);
        }
    }

    private static void joinQuietly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** The sink the parsing thread writes to: collects items into batches. */
    private static final class Batcher implements TreeSink {
        private final BlockingQueue<Object[]> queue;
        private Object[] batch = new Object[BATCH];
        private int size;
        int open;

        Batcher(BlockingQueue<Object[]> queue) {
            this.queue = queue;
        }

        @Override
        public void monitorStarting(int position) {
            open = position;
        }

        @Override
        public void monitor(Node node, int position) {
            open = 0;
            add(new Tree(node, position));
        }

        @Override
        public void error(int line, int column, String field, String message) {
            add(new TopError(line, column, field, message));
        }

        void add(Object item) {
            batch[size++] = item;
            if (size == BATCH) flush();
        }

        void flush() {
            if (size == 0) return;
            try {
                queue.put(batch);
            } catch (InterruptedException e) {
                throw new Cancelled();
            }
            batch = new Object[BATCH];
            size = 0;
        }
    }
}
