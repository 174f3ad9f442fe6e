package io.cpra.checks.icmp;

import io.cpra.checks.CheckJob;
import io.cpra.checks.Probe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * ICMP checks in this process, against 127.0.0.1 only: each mode this machine allows, forced in turn.
 * Checks that need a silent address run in their own network namespace: {@link IcmpNamespaceTest}.
 */
class IcmpProbesTest {

    private static final String PATH = System.getenv().getOrDefault("PATH", "");

    static IcmpProbes.Options only(IcmpMode mode) {
        return switch (mode) {
            case PING_SOCKET -> new IcmpProbes.Options(true, false, "");
            case RAW_SOCKET -> new IcmpProbes.Options(false, true, "");
            case PING_PROGRAM -> new IcmpProbes.Options(false, false, PATH);
            case UNAVAILABLE -> new IcmpProbes.Options(false, false, "");
        };
    }

    private static IcmpProbes openOrSkip(IcmpMode mode) {
        IcmpProbes probes = IcmpProbes.open(only(mode));
        if (probes.mode() != mode) {
            String reason = probes.unavailableReason();
            probes.close();
            assumeTrue(false, mode + " not available here: " + reason);
        }
        return probes;
    }

    @ParameterizedTest
    @EnumSource(value = IcmpMode.class, names = {"PING_SOCKET", "RAW_SOCKET", "PING_PROGRAM"})
    void loopbackAnswers(IcmpMode mode) throws Exception {
        try (IcmpProbes probes = openOrSkip(mode)) {
            CheckJob job = CheckRun.once(probes.prepare(CheckRun.icmp("127.0.0.1", 2, 2_000, 0)));

            assertThat(job.error).isNull();
            assertThat(job.success).isTrue();
            assertThat(job.latencyNanos).isPositive().isLessThan(TimeUnit.SECONDS.toNanos(2));
        }
    }

    @ParameterizedTest
    @EnumSource(value = IcmpMode.class, names = {"PING_SOCKET", "RAW_SOCKET"})
    void manyChecksShareOneSocketAndEachCompletesOnce(IcmpMode mode) throws Exception {
        try (IcmpProbes probes = openOrSkip(mode)) {
            assertEachSucceedsOnce(probes.prepare(CheckRun.icmp("127.0.0.1", 1, 2_000, 0)), 500);
        }
    }

    @ParameterizedTest
    @EnumSource(value = IcmpMode.class, names = {"PING_SOCKET", "RAW_SOCKET"})
    void keepsAnsweringRoundAfterRound(IcmpMode mode) throws Exception {
        try (IcmpProbes probes = openOrSkip(mode)) {
            Probe probe = probes.prepare(CheckRun.icmp("127.0.0.1", 1, 2_000, 0));
            for (int round = 0; round < 20; round++) {
                CheckRun run = CheckRun.start(probe, 50);
                assertThat(run.await(TimeUnit.SECONDS.toNanos(10))).as("round %d", round).isTrue();
                assertThat(run.succeeded()).as("round %d", round).isEqualTo(50);
            }
        }
    }

    @Test
    void namesAreResolvedOffTheCallingThread() throws Exception {
        IcmpMode mode = firstWorkingMode();
        try (IcmpProbes probes = openOrSkip(mode)) {
            assertEachSucceedsOnce(probes.prepare(CheckRun.icmp("localhost", 1, 2_000, 0)), 3);
        }
    }

    @Test
    void pingProgramOutputDecidesTheOutcome(@TempDir Path dir) throws Exception {
        Path bin = fakePing(dir, """
                PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.

                --- 127.0.0.1 ping statistics ---
                3 packets transmitted, 0 received, 100% packet loss, time 2003ms
                """, 1);
        try (IcmpProbes probes = IcmpProbes.open(new IcmpProbes.Options(false, false, bin.toString()))) {
            assertThat(probes.mode()).isEqualTo(IcmpMode.PING_PROGRAM);
            CheckJob job = CheckRun.once(probes.prepare(CheckRun.icmp("127.0.0.1", 3, 1_000, 1)));

            assertThat(job.success).isFalse();
            assertThat(job.error).isEqualTo("timeout after 1s (no echo reply): 100% packet loss (6 sent)");
        }
    }

    @Test
    void pingProgramThatCannotPingSaysWhy(@TempDir Path dir) throws Exception {
        Path bin = fakePing(dir, "ping: socket: Operation not permitted\n", 2);
        try (IcmpProbes probes = IcmpProbes.open(new IcmpProbes.Options(false, false, bin.toString()))) {
            CheckJob job = CheckRun.once(probes.prepare(CheckRun.icmp("127.0.0.1", 1, 1_000, 0)));

            assertThat(job.success).isFalse();
            assertThat(job.error).isEqualTo("ping failed (exit 2): ping: socket: Operation not permitted");
        }
    }

    @Test
    void noWorkingModeFailsEveryCheckWithTheReasons(@TempDir Path emptyPath) throws Exception {
        try (IcmpProbes probes = IcmpProbes.open(new IcmpProbes.Options(false, false, emptyPath.toString()))) {
            String reason = "ICMP unavailable: ping socket disabled, raw socket disabled, ping program not found";
            assertThat(probes.mode()).isEqualTo(IcmpMode.UNAVAILABLE);
            assertThat(probes.unavailableReason()).isEqualTo(reason);

            CheckJob job = CheckRun.once(probes.prepare(CheckRun.icmp("127.0.0.1", 1, 1_000, 0)));
            assertThat(job.success).isFalse();
            assertThat(job.error).isEqualTo(reason);
        }
    }

    @Test
    void budgetIsTimeoutTimesAttempts() {
        try (IcmpProbes probes = IcmpProbes.open(only(IcmpMode.UNAVAILABLE))) {
            assertThat(probes.prepare(CheckRun.icmp("127.0.0.1", 1, 2_000, 2)).budgetNanos())
                    .isEqualTo(TimeUnit.SECONDS.toNanos(6));
        }
    }

    @Test
    void refusesOtherPulseTypes() {
        try (IcmpProbes probes = IcmpProbes.open(only(IcmpMode.UNAVAILABLE))) {
            var tcp = new io.cpra.config.PulseSpec(io.cpra.config.PulseType.TCP, 1, 1, 1, 0, 0,
                    java.util.List.of(), java.util.List.of(), new io.cpra.config.PulseTarget.Tcp("127.0.0.1", 80));
            assertThatThrownBy(() -> probes.prepare(tcp)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("not an icmp pulse: TCP");
        }
    }

    /** Starts {@code checks} checks at once: every one completes exactly once, and succeeds. */
    private static void assertEachSucceedsOnce(Probe probe, int checks) throws InterruptedException {
        CheckRun run = CheckRun.start(probe, checks);
        assertThat(run.awaitAllThenSettle(TimeUnit.SECONDS.toNanos(10))).isTrue();
        assertThat(run.completedExactlyOnce()).isEqualTo(checks);
        assertThat(run.succeeded()).isEqualTo(checks);
    }

    private static IcmpMode firstWorkingMode() {
        try (IcmpProbes probes = IcmpProbes.open()) {
            assumeTrue(probes.mode() != IcmpMode.UNAVAILABLE, probes.unavailableReason());
            return probes.mode();
        }
    }

    /** A {@code ping} that prints {@code output} and exits with {@code status}, in its own directory. */
    private static Path fakePing(Path dir, String output, int status) throws IOException {
        Path text = Files.writeString(dir.resolve("output.txt"), output);
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path ping = Files.writeString(bin.resolve("ping"),
                "#!/bin/sh\ncat '" + text + "'\nexit " + status + "\n");
        Files.setPosixFilePermissions(ping, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }
}
