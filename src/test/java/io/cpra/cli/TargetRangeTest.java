package io.cpra.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.TypeConversionException;

class TargetRangeTest {

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1:8080,      127.0.0.1,   127.0.0.1,   8080, 8080",
            "127.0.0.1:8080-8089, 127.0.0.1,   127.0.0.1,   8080, 8089",
            "svc-1.example.com:1-65535, svc-1.example.com, svc-1.example.com, 1, 65535",
            "[::1]:443,           [::1],       ::1,         443,  443",
    })
    void parses(String text, String host, String bareHost, int first, int last) {
        TargetRange range = TargetRange.parse(text);

        assertThat(range).isEqualTo(new TargetRange(host, first, last));
        assertThat(range.bareHost()).isEqualTo(bareHost);
        assertThat(range.portCount()).isEqualTo(last - first + 1);
    }

    @ParameterizedTest
    @CsvSource({"host", "host:", ":80", "host:0", "host:65536", "host:9-8", "ho st:80", "host:80-", "[::1:80", "a\"b:80"})
    void rejects(String text) {
        assertThatThrownBy(() -> TargetRange.parse(text)).isInstanceOf(TypeConversionException.class);
    }

    @ParameterizedTest
    @CsvSource({"0, 8080", "1, 8081", "2, 8082", "3, 8080", "1000000, 8081"})
    void portsGoRoundRobin(long index, int port) {
        assertThat(TargetRange.parse("h:8080-8082").portFor(index)).isEqualTo(port);
    }
}
