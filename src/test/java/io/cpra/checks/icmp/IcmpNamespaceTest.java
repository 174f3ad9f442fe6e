package io.cpra.checks.icmp;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real ICMP in a network namespace this test creates ({@code unshare -n}, or {@code -rn} when not root):
 * loopback up, ping socket open to all groups, and 127.0.0.1 silenced when a timeout is wanted. Nothing
 * leaves the namespace. {@link IcmpScenarios} runs in a child JVM there; each test asserts on one of its
 * observations. Skipped, with the reason, where namespaces cannot be created.
 */
class IcmpNamespaceTest {

    private static final Pattern OBSERVATION = Pattern.compile("([\\w.]+)=(.*)");
    private static final Map<String, String> seen = new HashMap<>();
    private static String skipReason;

    @BeforeAll
    static void runScenariosInANamespace() throws Exception {
        boolean root = "0".equals(String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid")));
        String unshareFlags = root ? "-n" : "-rn";
        if (run(List.of("unshare", unshareFlags, "true"), 10) == null) {
            skipReason = "cannot create a network namespace here (unshare " + unshareFlags + ")";
            return;
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String setup = "ip link set lo up && sysctl -q -w net.ipv4.ping_group_range='0 2147483647' && exec \"$@\"";
        String output = run(List.of("unshare", unshareFlags, "sh", "-c", setup, "sh", java,
                "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                IcmpScenarios.class.getName()), 90);
        if (output == null || !output.contains("done=true")) {
            skipReason = "scenarios did not run in the namespace:\n" + output;
            return;
        }
        for (String line : output.split("\n")) {
            Matcher observation = OBSERVATION.matcher(line);
            if (observation.matches()) seen.put(observation.group(1), observation.group(2));
        }
    }

    /** Output of a finished command that exited 0, else null (printed for the record). */
    private static String run(List<String> command, int timeoutSeconds) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = process.getInputStream().readAllBytes();
            boolean exited = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            String text = new String(out, StandardCharsets.UTF_8);
            if (exited && process.exitValue() == 0) return text;
            System.out.println(command.getFirst() + " failed:\n" + text);
            process.destroyForcibly();
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String observed(String key) {
        assumeTrue(skipReason == null, skipReason);
        return seen.get(key);
    }

    @Test
    void pingSocketIsPreferredWhenTheGroupRangeAllowsIt() {
        assertThat(observed("default.mode")).isEqualTo("PING_SOCKET");
    }

    @ParameterizedTest
    @EnumSource(value = IcmpMode.class, names = {"PING_SOCKET", "RAW_SOCKET"})
    void loopbackAnswers(IcmpMode mode) {
        assertThat(observed(mode + ".mode")).isEqualTo(mode.name());
        assertThat(observed(mode + ".loopback")).isEqualTo("success");
    }

    @ParameterizedTest
    @EnumSource(value = IcmpMode.class, names = {"PING_SOCKET", "RAW_SOCKET"})
    void fiveHundredChecksOnOneSocketEachCompleteOnce(IcmpMode mode) {
        assertThat(observed(mode + ".concurrent")).isEqualTo("500/500");
    }

    @ParameterizedTest
    @EnumSource(value = IcmpMode.class, names = {"PING_SOCKET", "RAW_SOCKET"})
    void silentHostTimesOutAfterEveryAttemptWithTheLoss(IcmpMode mode) {
        assertThat(observed(mode + ".silent"))
                .isEqualTo("timeout after 300ms (no echo reply): 100% packet loss (6 sent)");
    }

    @ParameterizedTest
    @EnumSource(value = IcmpMode.class, names = {"PING_SOCKET", "RAW_SOCKET"})
    void unroutableAddressFailsAtOnceWithTheSendError(IcmpMode mode) {
        assertThat(observed(mode + ".unroutable")).isEqualTo("cannot send echo request to 10.99.0.1: Network is unreachable");
    }

    @Test
    void unresolvableNameFailsWithTheName() {
        assertThat(observed("unresolvable")).isEqualTo("cannot resolve host no-such-host.invalid");
    }

    @Test
    void requestsBeyondTheSequenceRingFailFastAndCloseCompletesTheRestOnce() {
        assertThat(observed("PING_SOCKET.overflow")).isEqualTo("too many ICMP requests in flight");
        assertThat(observed("PING_SOCKET.overflow.completedOnce")).isEqualTo(EchoService.MAX_IN_FLIGHT + "/0");
        assertThat(observed("PING_SOCKET.overflow.closedError")).isEqualTo("ICMP checks closed");
    }

    @Test
    void deniedPingSocketIsNamedInTheError() {
        assertThat(observed("denied.reason")).isEqualTo(
                "ICMP unavailable: ping socket denied (net.ipv4.ping_group_range), raw socket disabled, ping program not found");
    }
}
