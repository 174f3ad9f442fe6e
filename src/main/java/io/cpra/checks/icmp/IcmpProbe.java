package io.cpra.checks.icmp;

import io.cpra.checks.CheckJob;
import io.cpra.checks.CheckSink;
import io.cpra.checks.Probe;

import java.util.ArrayList;
import java.util.List;

/**
 * An ICMP echo check of one host. An IPv4 literal is parsed once; a name is resolved off the engine thread
 * by {@link HostResolver} and cached: checks arriving before the first answer wait for it, later checks use
 * the cached address while a refresh runs in the background. IPv4 only.
 */
final class IcmpProbe implements Probe {

    private static final long RESOLVED_TTL_NANOS = 60_000_000_000L;
    private static final long FAILED_TTL_NANOS = 5_000_000_000L;

    final String host;
    final int count;
    final int retries;
    final long timeoutNanos;
    private final long budgetNanos;
    /** The failure text when every request of every attempt went unanswered: the common failure, built once. */
    final String allLost;
    private final EchoTransport transport;
    private final HostResolver resolver;
    private final boolean literal;

    // name resolution state, guarded by this
    private int address;
    private boolean resolved;
    private String resolveError;
    private long expiresAt;
    private boolean refreshing;
    private final List<CheckJob> waitingJobs = new ArrayList<>();
    private final List<CheckSink> waitingSinks = new ArrayList<>();

    IcmpProbe(String host, int count, long timeoutNanos, int retries, EchoTransport transport, HostResolver resolver) {
        this.host = host;
        this.count = count;
        this.timeoutNanos = timeoutNanos;
        this.retries = retries;
        this.budgetNanos = timeoutNanos * (retries + 1L);
        this.allLost = IcmpTexts.timeout(timeoutNanos, count * (retries + 1));
        this.transport = transport;
        this.resolver = resolver;
        Integer parsed = HostResolver.parseIpv4(host);
        this.literal = parsed != null;
        this.address = parsed == null ? 0 : parsed;
    }

    @Override
    public void start(CheckJob job, CheckSink sink) {
        if (literal) {
            transport.start(this, address, job, sink);
            return;
        }
        int target;
        String error = null;
        synchronized (this) {
            long now = System.nanoTime();
            boolean fresh = now - expiresAt < 0;
            if (!fresh && !refreshing) {
                refreshing = true;
                resolver.submit(this);
            }
            if (resolved) {
                target = address;
            } else if (fresh && resolveError != null) {
                target = 0;
                error = resolveError;
            } else {
                waitingJobs.add(job);
                waitingSinks.add(sink);
                return;
            }
        }
        if (error != null) EchoTransport.complete(job, sink, false, 0, error);
        else transport.start(this, target, job, sink);
    }

    /** Called by the resolver thread with an address, or with the reason there is none. */
    void resolvedTo(int ipv4, String error) {
        List<CheckJob> jobs;
        List<CheckSink> sinks;
        String failure;
        synchronized (this) {
            long now = System.nanoTime();
            refreshing = false;
            if (error == null) {
                address = ipv4;
                resolved = true;
                resolveError = null;
                expiresAt = now + RESOLVED_TTL_NANOS;
            } else {
                // keep a previously good address rather than failing every check on a resolver hiccup
                resolveError = error;
                expiresAt = now + FAILED_TTL_NANOS;
            }
            if (waitingJobs.isEmpty()) return;
            jobs = List.copyOf(waitingJobs);
            sinks = List.copyOf(waitingSinks);
            waitingJobs.clear();
            waitingSinks.clear();
            failure = resolved ? null : resolveError;
        }
        for (int i = 0; i < jobs.size(); i++) {
            if (failure != null) EchoTransport.complete(jobs.get(i), sinks.get(i), false, 0, failure);
            else transport.start(this, address(), jobs.get(i), sinks.get(i));
        }
    }

    private synchronized int address() {
        return address;
    }

    @Override
    public long budgetNanos() {
        return budgetNanos;
    }

    @Override
    public String toString() {
        return "icmp " + host + " x" + count;
    }
}
