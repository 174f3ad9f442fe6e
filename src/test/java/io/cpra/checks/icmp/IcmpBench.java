package io.cpra.checks.icmp;

import io.cpra.checks.Probe;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Loopback checks per second through the shared socket, as a ratio to the ping program measured in the
 * same run. Loopback only; stops after a fixed number of checks.
 * Run: {@code mvn test -Dtest=IcmpBench -DexcludedGroups=}
 */
@Tag("bench")
class IcmpBench {

    @Test
    void socketVersusPingProgram() throws Exception {
        double socket = checksPerSecond(socketMode(), 50_000, 5_000);
        double program = checksPerSecond(IcmpMode.PING_PROGRAM, 300, 64);
        System.out.printf("ICMP loopback: socket %.0f checks/s, ping program %.0f checks/s, ratio %.1fx%n",
                socket, program, socket / program);
    }

    private static IcmpMode socketMode() {
        try (IcmpProbes probes = IcmpProbes.open(new IcmpProbes.Options(true, true, ""))) {
            assumeTrue(probes.mode() != IcmpMode.UNAVAILABLE, probes.unavailableReason());
            return probes.mode();
        }
    }

    private static double checksPerSecond(IcmpMode mode, int checks, int inFlight) throws Exception {
        try (IcmpProbes probes = IcmpProbes.open(IcmpProbesTest.only(mode))) {
            assumeTrue(probes.mode() == mode, probes.unavailableReason());
            Probe probe = probes.prepare(CheckRun.icmp("127.0.0.1", 1, 2_000, 0));
            long start = System.nanoTime();
            for (int done = 0; done < checks; done += inFlight) {
                CheckRun run = CheckRun.start(probe, inFlight);
                if (!run.await(TimeUnit.SECONDS.toNanos(30))) throw new AssertionError("checks did not finish");
                if (run.succeeded() != inFlight) throw new AssertionError(run.succeeded() + " of " + inFlight + " answered");
            }
            return checks * 1e9 / (System.nanoTime() - start);
        }
    }
}
