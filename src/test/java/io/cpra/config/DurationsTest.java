package io.cpra.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Go's time.ParseDuration grammar. */
class DurationsTest {

    @ParameterizedTest
    @CsvSource({"500ms, 500000000", "10s, 10000000000", "1m30s, 90000000000", "2h, 7200000000000",
            "1h2m3.5s, 3723500000000", "1.5h, 5400000000000", ".5s, 500000000", "300us, 300000", "300µs, 300000",
            "300μs, 300000", "7ns, 7", "0, 0", "-1s, -1000000000", "+2m, 120000000000", "1s500ms, 1500000000"})
    void parses(String text, long nanos) throws Exception {
        assertThat(Durations.parse(text)).isEqualTo(nanos);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "s", "1x", "1.s.", "-", "1 s", "10S", "99999999999999h", "1e3s"})
    void rejects(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(Durations.Invalid.class);
    }
}
