package io.cpra.checks;

import io.cpra.config.Header;
import io.cpra.config.PulseSpec;
import io.cpra.config.PulseTarget;
import io.cpra.config.PulseType;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Builds pulse specs for tests and runs checks to completion, watching that each completes exactly once. */
final class Checks {

    static final long MS = 1_000_000L;

    /** Job ids completed more than once: must stay empty. */
    static final Set<Long> duplicates = ConcurrentHashMap.newKeySet();
    private static final Set<Long> completed = ConcurrentHashMap.newKeySet();
    private static long nextJobId;

    private Checks() {}

    /** An HTTP spec with test defaults: GET, 1 s timeout (tests of timeouts set theirs), no retries, any 2xx. */
    record Http(String url, String method, List<Header> headers, List<Integer> expected, String bodyContains,
                boolean followRedirects, long timeoutMillis, int retries) {
        Http expect(Integer... statuses) {
            return new Http(url, method, headers, List.of(statuses), bodyContains, followRedirects, timeoutMillis, retries);
        }

        Http body(String text) {
            return new Http(url, method, headers, expected, text, followRedirects, timeoutMillis, retries);
        }

        Http follow() {
            return new Http(url, method, headers, expected, bodyContains, true, timeoutMillis, retries);
        }

        Http method(String m) {
            return new Http(url, m, headers, expected, bodyContains, followRedirects, timeoutMillis, retries);
        }

        Http retries(int n) {
            return new Http(url, method, headers, expected, bodyContains, followRedirects, timeoutMillis, n);
        }

        Http timeout(long millis) {
            return new Http(url, method, headers, expected, bodyContains, followRedirects, millis, retries);
        }

        Http header(String name, String value) {
            List<Header> more = new ArrayList<>(headers);
            more.add(new Header(name, value));
            return new Http(url, method, more, expected, bodyContains, followRedirects, timeoutMillis, retries);
        }

        PulseSpec spec() {
            return new PulseSpec(PulseType.HTTP, 10_000 * MS, timeoutMillis * MS, 1, 0, retries, List.of(), List.of(),
                    new PulseTarget.Http(URI.create(url), method, headers, expected, bodyContains, followRedirects));
        }
    }

    static Http http(String url) {
        return new Http(url, "GET", List.of(), List.of(), null, false, 1000, 0);
    }

    static PulseSpec tcp(String host, int port, long timeoutMillis) {
        return new PulseSpec(PulseType.TCP, 10_000 * MS, timeoutMillis * MS, 1, 0, 0, List.of(), List.of(),
                new PulseTarget.Tcp(host, port));
    }

    static PulseSpec dns(String name, String type, String server, List<String> expected, long timeoutMillis) {
        return new PulseSpec(PulseType.DNS, 10_000 * MS, timeoutMillis * MS, 1, 0, 0, List.of(), List.of(),
                new PulseTarget.Dns(name, type, server, expected));
    }

    static PulseSpec tls(String host, int port, String serverName) {
        return new PulseSpec(PulseType.TLS, 10_000 * MS, 2000 * MS, 1, 0, 0, List.of(), List.of(),
                new PulseTarget.Tls(host, port, serverName));
    }

    /** The same spec with these conditions. */
    static PulseSpec when(PulseSpec s, String... conditions) {
        return new PulseSpec(s.type(), s.intervalNanos(), s.timeoutNanos(), s.unhealthyThreshold(), s.healthyThreshold(),
                s.retries(), s.groups(), List.of(conditions), s.target());
    }

    /** The same spec with this many retries. */
    static PulseSpec retries(PulseSpec s, int retries) {
        return new PulseSpec(s.type(), s.intervalNanos(), s.timeoutNanos(), s.unhealthyThreshold(), s.healthyThreshold(),
                retries, s.groups(), s.conditions(), s.target());
    }

    /** Starts a check and returns its completion; the sink records duplicate completions. */
    static synchronized CompletableFuture<CheckJob> start(Probe probe) {
        CheckJob job = new CheckJob();
        job.jobId = ++nextJobId;
        job.probe = probe;
        CompletableFuture<CheckJob> done = new CompletableFuture<>();
        probe.start(job, j -> {
            if (!completed.add(j.jobId)) duplicates.add(j.jobId);
            done.complete(j);
        });
        return done;
    }

    /** Starts {@code n} checks at once and waits for them all; fails the test if one takes over 10 s. */
    static List<CheckJob> runAll(Probe probe, int n) {
        List<CompletableFuture<CheckJob>> started = new ArrayList<>();
        for (int i = 0; i < n; i++) started.add(start(probe));
        List<CheckJob> done = new ArrayList<>();
        try {
            for (CompletableFuture<CheckJob> f : started) done.add(f.get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError("check did not complete: " + e, e);
        }
        return done;
    }

    /** Runs one check to completion; fails the test if it outlives its budget by far. */
    static CheckJob run(Probe probe) {
        try {
            return start(probe).get(probe.budgetNanos() / MS + 2000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("check did not complete: " + e, e);
        }
    }
}
