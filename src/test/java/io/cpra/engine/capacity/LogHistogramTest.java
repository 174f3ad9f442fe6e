package io.cpra.engine.capacity;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogHistogramTest {

    @Test
    void bucketsCoverEveryLongContiguouslyWithinThreePercent() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            long v = random.nextLong(Long.MAX_VALUE >>> random.nextInt(63));
            int index = LogHistogram.index(v);
            long upper = LogHistogram.upperEdge(index);
            assertThat(upper).isGreaterThanOrEqualTo(v);
            assertThat(index == 0 || LogHistogram.upperEdge(index - 1) < v).isTrue();
            assertThat((double) (upper - v)).isLessThanOrEqualTo(v / 32.0 + 1);
        }
        assertThat(LogHistogram.upperEdge(LogHistogram.index(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
    }

    @ParameterizedTest
    @CsvSource({"0.5, 500000", "0.99, 990000", "1.0, 1000000", "0.0, 1"})
    void percentilesOfAUniformSpread(double fraction, long expected) {
        LogHistogram h = new LogHistogram();
        LongStream.rangeClosed(1, 1_000_000).forEach(h::record);
        assertThat(h.count()).isEqualTo(1_000_000);
        assertThat((double) h.percentile(fraction)).isBetween((double) expected, expected * 1.032);
    }

    @Test
    void sinceIsWhatWasRecordedAfterTheCopy() {
        LogHistogram h = new LogHistogram();
        for (int i = 0; i < 1_000; i++) h.record(1_000_000);
        LogHistogram before = h.copy();
        for (int i = 0; i < 10; i++) h.record(5);
        LogHistogram recent = h.since(before);
        assertThat(recent.count()).isEqualTo(10);
        assertThat(recent.percentile(0.99)).isEqualTo(5);
        assertThat(recent.max()).isEqualTo(5);
        assertThat(h.max()).isEqualTo(1_000_000);
        assertThatThrownBy(() -> before.since(h)).isInstanceOf(IllegalArgumentException.class);
        h.record(-3);
        assertThat(h.percentile(0)).isZero();
    }
}
