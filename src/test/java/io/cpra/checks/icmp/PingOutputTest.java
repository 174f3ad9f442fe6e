package io.cpra.checks.icmp;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class PingOutputTest {

    static Stream<org.junit.jupiter.params.provider.Arguments> outputs() {
        return Stream.of(
                arguments("iputils, all answered", """
                        PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.
                        64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.031 ms
                        64 bytes from 127.0.0.1: icmp_seq=2 ttl=64 time=0.045 ms

                        --- 127.0.0.1 ping statistics ---
                        2 packets transmitted, 2 received, 0% packet loss, time 1001ms
                        rtt min/avg/max/mdev = 0.031/0.038/0.045/0.007 ms
                        """, new PingOutput(2, 2, 38_000), "0% packet loss (2 sent)"),
                arguments("iputils, partial loss", """
                        --- 10.0.0.1 ping statistics ---
                        4 packets transmitted, 1 received, 75% packet loss, time 3004ms
                        rtt min/avg/max/mdev = 12.500/12.500/12.500/0.000 ms
                        """, new PingOutput(4, 1, 12_500_000), "75% packet loss (4 sent)"),
                arguments("iputils, nothing back", """
                        --- 10.0.0.1 ping statistics ---
                        3 packets transmitted, 0 received, 100% packet loss, time 2040ms
                        """, new PingOutput(3, 0, 0), "100% packet loss (3 sent)"),
                arguments("busybox", """
                        --- 127.0.0.1 ping statistics ---
                        1 packets transmitted, 1 packets received, 0% packet loss
                        round-trip min/avg/max = 0.083/0.083/0.083 ms
                        """, new PingOutput(1, 1, 83_000), "0% packet loss (1 sent)"),
                arguments("iputils, errors counted", """
                        --- 10.0.0.1 ping statistics ---
                        2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1001ms
                        """, new PingOutput(2, 0, 0), "100% packet loss (2 sent)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outputs")
    void readsTheSummary(String name, String output, PingOutput expected, String loss) {
        PingOutput parsed = PingOutput.parse(output);

        assertThat(parsed).isEqualTo(expected);
        assertThat(parsed.lossText()).isEqualTo(loss);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"", "ping: unknown host", "ping: socket: Operation not permitted"})
    void outputWithoutCountsHasNoSummary(String output) {
        assertThat(PingOutput.parse(output)).isNull();
    }
}
