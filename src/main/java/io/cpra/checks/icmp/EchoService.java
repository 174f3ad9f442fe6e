package io.cpra.checks.icmp;

import io.cpra.checks.CheckJob;
import io.cpra.checks.CheckSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every ICMP check of the process over one shared non-blocking socket. The caller's thread sends (a
 * non-blocking {@code sendto}); one named receiver thread polls the socket, matches replies to requests by
 * sequence number, source address and payload, and every {@link #SWEEP_MILLIS} fails or retries the
 * attempts whose deadline passed.
 *
 * <p>Sequence numbers are 16 bits, so they come from a ring and at most {@link #MAX_IN_FLIGHT} requests
 * may be outstanding; past that a check fails at once instead of queueing. State lives in arrays indexed
 * by sequence plus a pool of reusable {@link Exchange}s, so a check allocates nothing, whether answered or timed out.
 * One lock guards it all: only two threads contend (the engine sending, the receiver matching).
 */
final class EchoService implements EchoTransport {

    private static final Logger log = LoggerFactory.getLogger(EchoService.class);

    static final int MAX_IN_FLIGHT = 60_000;
    private static final int SEQUENCES = 1 << 16;
    private static final int SWEEP_MILLIS = 10;
    private static final int DRAIN_BATCH = 4096;

    /** One check in flight: its current attempt and the sequences it is waiting on. */
    private static final class Exchange {
        CheckJob job;
        CheckSink sink;
        IcmpProbe probe;
        int address;
        int attemptsLeft;
        long deadline;
        int sent;
        int received;
        int sentInAllAttempts;
        long rttSum;
        int activeIndex;
        int[] sequences = new int[1];
    }

    private final EchoSocket socket;
    private final long nonce = ThreadLocalRandom.current().nextLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Exchange[] bySequence = new Exchange[SEQUENCES];
    private final long[] sentAt = new long[SEQUENCES];
    private final ArrayDeque<Exchange> pool = new ArrayDeque<>();
    private Exchange[] active = new Exchange[256];
    private int activeCount;
    private int nextSequence;
    private int inFlight;
    private boolean closed;
    private volatile boolean running = true;
    private final Thread receiver;

    EchoService(EchoSocket socket) {
        this.socket = socket;
        this.receiver = new Thread(this::receiveLoop, "cpra-icmp-receiver");
        receiver.setDaemon(true);
        receiver.start();
    }

    @Override
    public void start(IcmpProbe probe, int ipv4, CheckJob job, CheckSink sink) {
        lock.lock();
        try {
            if (closed) {
                EchoTransport.complete(job, sink, false, 0, IcmpTexts.CLOSED);
                return;
            }
            if (inFlight + probe.count > MAX_IN_FLIGHT) {
                EchoTransport.complete(job, sink, false, 0, IcmpTexts.TOO_MANY);
                return;
            }
            Exchange x = pool.isEmpty() ? new Exchange() : pool.poll();
            x.job = job;
            x.sink = sink;
            x.probe = probe;
            x.address = ipv4;
            x.attemptsLeft = probe.retries;
            x.sentInAllAttempts = 0;
            if (x.sequences.length < probe.count) x.sequences = new int[probe.count];
            if (activeCount == active.length) active = Arrays.copyOf(active, activeCount * 2);
            x.activeIndex = activeCount;
            active[activeCount++] = x;
            sendAttempt(x);
        } finally {
            lock.unlock();
        }
    }

    private void sendAttempt(Exchange x) {
        x.sent = 0;
        x.received = 0;
        x.rttSum = 0;
        int lastErrno = 0;
        for (int i = 0; i < x.probe.count; i++) {
            int sequence = allocateSequence(x);
            long now = System.nanoTime();
            sentAt[sequence] = now;
            int errno = socket.send(x.address, sequence, now, nonce);
            if (errno != 0) {
                release(sequence);
                lastErrno = errno;
                continue;
            }
            x.sequences[x.sent++] = sequence;
        }
        x.sentInAllAttempts += x.sent;
        x.deadline = System.nanoTime() + x.probe.timeoutNanos;
        if (x.sent == 0) {
            finish(x, false, 0, "cannot send echo request to " + IcmpTexts.ipv4(x.address) + ": "
                    + (lastErrno == Libc.EAGAIN ? "socket send buffer full" : Libc.describe(lastErrno)));
        }
    }

    private int allocateSequence(Exchange owner) {
        while (bySequence[nextSequence] != null) nextSequence = (nextSequence + 1) & (SEQUENCES - 1);
        int sequence = nextSequence;
        bySequence[sequence] = owner;
        nextSequence = (nextSequence + 1) & (SEQUENCES - 1);
        inFlight++;
        return sequence;
    }

    private void release(int sequence) {
        bySequence[sequence] = null;
        inFlight--;
    }

    private void onReply(int source, int sequence, long sentNanos, long replyNonce, long now) {
        Exchange x = bySequence[sequence];
        if (x == null || replyNonce != nonce || sentAt[sequence] != sentNanos || x.address != source) {
            return; // a late, foreign or duplicate reply
        }
        release(sequence);
        for (int i = 0; i < x.sent; i++) {
            if (x.sequences[i] == sequence) x.sequences[i] = -1;
        }
        x.received++;
        x.rttSum += Math.max(1, now - sentNanos);
        if (x.received == x.sent) finish(x, true, x.rttSum / x.received, null);
    }

    private void sweep(long now) {
        for (int i = activeCount - 1; i >= 0; i--) {
            if (i >= activeCount) continue; // a completion callback removed entries behind us
            Exchange x = active[i];
            if (now - x.deadline >= 0) expire(x);
        }
    }

    private void expire(Exchange x) {
        releaseOutstanding(x);
        if (x.received > 0) {
            finish(x, true, x.rttSum / x.received, null);
        } else if (x.attemptsLeft > 0) {
            x.attemptsLeft--;
            sendAttempt(x);
        } else {
            IcmpProbe probe = x.probe;
            int sent = x.sentInAllAttempts;
            finish(x, false, 0, sent == probe.count * (probe.retries + 1)
                    ? probe.allLost : IcmpTexts.timeout(probe.timeoutNanos, sent));
        }
    }

    private void releaseOutstanding(Exchange x) {
        for (int i = 0; i < x.sent; i++) {
            int sequence = x.sequences[i];
            if (sequence >= 0 && bySequence[sequence] == x) release(sequence);
        }
    }

    private void finish(Exchange x, boolean success, long latencyNanos, String error) {
        releaseOutstanding(x);
        Exchange last = active[--activeCount];
        active[x.activeIndex] = last;
        last.activeIndex = x.activeIndex;
        active[activeCount] = null;
        CheckJob job = x.job;
        CheckSink sink = x.sink;
        x.job = null;
        x.sink = null;
        x.probe = null;
        x.sent = 0;
        pool.push(x);
        EchoTransport.complete(job, sink, success, latencyNanos, error);
    }

    private void receiveLoop() {
        long nextSweep = System.nanoTime();
        while (running) {
            // one bad turn (a sink that throws) must not stop every ICMP check of the process
            try {
                if (socket.awaitReadable(SWEEP_MILLIS)) drain();
                long now = System.nanoTime();
                if (now - nextSweep >= 0) {
                    lock.lock();
                    try {
                        sweep(now);
                    } finally {
                        lock.unlock();
                    }
                    nextSweep = now + SWEEP_MILLIS * 1_000_000L;
                }
            } catch (RuntimeException e) {
                log.error("ICMP receiver: unexpected failure, continuing", e);
            }
        }
    }

    private void drain() {
        for (int i = 0; i < DRAIN_BATCH; i++) {
            int outcome = socket.receive();
            if (outcome == EchoSocket.EMPTY) return;
            if (outcome != EchoSocket.ECHO_REPLY) continue;
            long now = System.nanoTime();
            lock.lock();
            try {
                onReply(socket.replySource, socket.replySequence, socket.replySentNanos, socket.replyNonce, now);
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            receiver.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            closed = true;
            while (activeCount > 0) finish(active[activeCount - 1], false, 0, IcmpTexts.CLOSED);
        } finally {
            lock.unlock();
        }
        socket.close();
    }
}
