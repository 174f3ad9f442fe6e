package io.cpra.engine.capacity;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class WatermarksTest {

    /** Lengths seen in order, and whether it holds after each, with high 8 and low 2. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0 5 7        | F F F       | 0",
            "8 5 3 2 1    | T T T F F   | 1",
            "9 1 8 8 2 3  | T F T T F F | 2",
            "7 8 7 8 2 8  | F T T T F T | 2",
    })
    void holdsFromTheHighWatermarkDownToTheLowOne(String lengths, String holds, long pauses) {
        Watermarks marks = new Watermarks(8, 2);
        int[] seen = Arrays.stream(lengths.trim().split(" +")).mapToInt(Integer::parseInt).toArray();
        String[] expected = holds.trim().split(" +");
        for (int i = 0; i < seen.length; i++) {
            assertThat(marks.holds(seen[i])).as("after " + seen[i]).isEqualTo(expected[i].equals("T"));
            assertThat(marks.holding()).isEqualTo(expected[i].equals("T"));
        }
        assertThat(marks.pauses()).isEqualTo(pauses);
    }
}
