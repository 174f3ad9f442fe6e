package io.cpra.checks.icmp;

import io.cpra.checks.CheckJob;
import io.cpra.checks.Probe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs inside a fresh network namespace (started by {@link IcmpNamespaceTest}) where loopback is up and
 * the ping socket is open to every group, and prints one {@code key=value} line per observation. It may
 * make 127.0.0.1 silent ({@code icmp_echo_ignore_all}) because the namespace is its own.
 */
public final class IcmpScenarios {

    private static final IcmpMode[] SOCKET_MODES = {IcmpMode.PING_SOCKET, IcmpMode.RAW_SOCKET};

    public static void main(String[] args) throws Exception {
        try (IcmpProbes probes = IcmpProbes.open()) {
            print("default.mode", probes.mode());
        }
        for (IcmpMode mode : SOCKET_MODES) {
            try (IcmpProbes probes = IcmpProbes.open(IcmpProbesTest.only(mode))) {
                print(mode + ".mode", probes.mode());
                CheckJob job = CheckRun.once(probes.prepare(CheckRun.icmp("127.0.0.1", 2, 1_000, 0)));
                print(mode + ".loopback", job.success && job.latencyNanos > 0 ? "success" : "failed: " + job.error);
                CheckRun run = CheckRun.start(probes.prepare(CheckRun.icmp("127.0.0.1", 1, 2_000, 0)), 500);
                run.awaitAllThenSettle(TimeUnit.SECONDS.toNanos(10));
                print(mode + ".concurrent", run.completedExactlyOnce() + "/" + run.succeeded());
                // the namespace has loopback only: nothing routes to 10/8, so the send itself fails
                CheckJob unroutable = CheckRun.once(probes.prepare(CheckRun.icmp("10.99.0.1", 1, 1_000, 2)));
                print(mode + ".unroutable", unroutable.success ? "success" : unroutable.error);
            }
        }

        try (IcmpProbes probes = IcmpProbes.open()) {
            CheckJob job = CheckRun.once(probes.prepare(CheckRun.icmp("no-such-host.invalid", 1, 1_000, 0)));
            print("unresolvable", job.success ? "success" : job.error);
        }

        sysctl("icmp_echo_ignore_all", "1");
        for (IcmpMode mode : SOCKET_MODES) {
            try (IcmpProbes probes = IcmpProbes.open(IcmpProbesTest.only(mode))) {
                CheckJob job = CheckRun.once(probes.prepare(CheckRun.icmp("127.0.0.1", 3, 300, 1)));
                print(mode + ".silent", job.success ? "success" : job.error);
            }
        }
        // a timeout far longer than the run, so the ring stays full until close() fails what is left
        CheckRun full;
        try (IcmpProbes probes = IcmpProbes.open(IcmpProbesTest.only(IcmpMode.PING_SOCKET))) {
            Probe probe = probes.prepare(CheckRun.icmp("127.0.0.1", 1, 60_000, 0));
            full = CheckRun.start(probe, EchoService.MAX_IN_FLIGHT);
            CheckRun extra = CheckRun.start(probe, 1);
            print("PING_SOCKET.overflow", extra.await(0) ? extra.jobs[0].error : "accepted");
        }
        full.awaitAllThenSettle(TimeUnit.SECONDS.toNanos(20));
        print("PING_SOCKET.overflow.completedOnce", full.completedExactlyOnce() + "/" + full.completedMoreThanOnce());
        print("PING_SOCKET.overflow.closedError", full.jobs[0].error);

        sysctl("ping_group_range", "1\t0");
        Path noPing = Files.createTempDirectory("no-ping");
        try (IcmpProbes probes = IcmpProbes.open(new IcmpProbes.Options(true, false, noPing.toString()))) {
            print("denied.reason", probes.unavailableReason());
        }
        print("done", true);
    }

    private static void sysctl(String name, String value) throws Exception {
        Files.writeString(Path.of("/proc/sys/net/ipv4", name), value);
    }

    private static void print(String key, Object value) {
        System.out.println(key + "=" + value);
        System.out.flush();
    }
}
