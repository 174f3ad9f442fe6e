package io.cpra.checks.icmp;

import io.cpra.checks.CheckJob;
import io.cpra.checks.CheckSink;

/** How echo requests leave this process: a shared socket, the ping program, or nothing (with the reason). */
interface EchoTransport extends AutoCloseable {

    /** Runs one check of {@code probe} against an IPv4 address (big-endian int); never blocks the caller. */
    void start(IcmpProbe probe, int ipv4, CheckJob job, CheckSink sink);

    @Override
    void close();

    static void complete(CheckJob job, CheckSink sink, boolean success, long latencyNanos, String error) {
        job.success = success;
        job.latencyNanos = latencyNanos;
        job.error = success ? null : error;
        sink.complete(job);
    }

    /** The transport when no mode works: every check fails at once with the reason. */
    record Unavailable(String reason) implements EchoTransport {
        @Override
        public void start(IcmpProbe probe, int ipv4, CheckJob job, CheckSink sink) {
            complete(job, sink, false, 0, reason);
        }

        @Override
        public void close() {}
    }
}
