package io.cpra.engine.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SlidingWindowTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long MILLI = 1_000_000L;

    /** Regular arrivals every {@code gapNanos} from {@code from} until before {@code until}, each served in {@code serviceNanos}. */
    private static long feed(SlidingWindow window, long from, long until, long gapNanos, long serviceNanos) {
        long t = from;
        for (; t < until; t += gapNanos) {
            window.recordArrival(t);
            window.recordCompletion(t, serviceNanos);
        }
        return t;
    }

    @Test
    void regularTrafficHasExactRatesAndNoVariation() {
        SlidingWindow window = new SlidingWindow();
        long end = feed(window, 0, 40 * SECOND, MILLI, 50 * MILLI);
        assertThat(window.arrivalRate(end)).isCloseTo(1000, within(1.0));
        assertThat(window.serviceRate(end)).isCloseTo(20, within(1e-9));
        assertThat(window.arrivalCv(end)).isCloseTo(0, within(1e-6));
        assertThat(window.serviceCv(end)).isCloseTo(0, within(1e-6));
    }

    @Test
    void aYoungWindowMeasuresOverItsOwnAge() {
        SlidingWindow window = new SlidingWindow();
        long end = feed(window, 100 * SECOND, 105 * SECOND, 10 * MILLI, 5 * MILLI);
        assertThat(window.arrivalRate(end)).isCloseTo(100, within(0.5));
    }

    @Test
    void forgetsWhatIsOlderThanTheWindow() {
        SlidingWindow window = new SlidingWindow();
        long t = feed(window, 0, 30 * SECOND, 10 * MILLI, 200 * MILLI);
        t = feed(window, t, 70 * SECOND, MILLI, 20 * MILLI);
        assertThat(window.arrivalRate(t)).isCloseTo(1000, within(1.0));
        assertThat(window.serviceRate(t)).isCloseTo(50, within(1e-9));

        long silentLater = t + 31 * SECOND;
        assertThat(window.arrivalRate(silentLater)).isZero();
        assertThat(window.serviceRate(silentLater)).isZero();
        assertThat(window.completions(silentLater)).isZero();
        assertThat(window.arrivalCv(silentLater)).isEqualTo(1);
    }

    @Test
    void poissonArrivalsAndExponentialServiceHaveCoefficientsNearOne() {
        SplittableRandom random = new SplittableRandom(7);
        SlidingWindow window = new SlidingWindow();
        long t = 0;
        while (t < 30 * SECOND) {
            t += exponential(random, MILLI);
            window.recordArrival(t);
            window.recordCompletion(t, exponential(random, 20 * MILLI));
        }
        assertThat(window.arrivalRate(t)).isCloseTo(1000, within(30.0));
        assertThat(window.serviceRate(t)).isCloseTo(50, within(1.5));
        assertThat(window.arrivalCv(t)).isCloseTo(1, within(0.03));
        assertThat(window.serviceCv(t)).isCloseTo(1, within(0.03));
    }

    static long exponential(SplittableRandom random, long meanNanos) {
        return Math.round(-Math.log(1 - random.nextDouble()) * meanNanos);
    }

    @Test
    void arrivalsNoticedTogetherCountForTheRateButNotForTheVariation() {
        SlidingWindow window = new SlidingWindow();
        long end = feed(window, 0, 10 * SECOND, MILLI, 50 * MILLI);
        window.recordArrivals(end, 10_000);
        assertThat(window.arrivalRate(end)).isCloseTo(2_000, within(1.0));
        assertThat(window.arrivalCv(end)).isCloseTo(0, within(1e-6));
    }
}
