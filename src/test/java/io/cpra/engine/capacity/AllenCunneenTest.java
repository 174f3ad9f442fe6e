package io.cpra.engine.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AllenCunneenTest {

    @ParameterizedTest(name = "λ={0} μ={1} c={2}")
    @CsvSource({"0.9, 1, 1", "2, 1, 3", "100000, 20, 5100", "4990, 1, 5000"})
    void exponentialArrivalsAndServiceAreMmcExactly(double lambda, double mu, int servers) {
        assertThat(AllenCunneen.meanWaitSeconds(lambda, mu, servers, 1, 1))
                .isEqualTo(ErlangC.meanWaitSeconds(lambda, mu, servers));
        assertThat(AllenCunneen.serversForWait(lambda, mu, 1, 1, 1_000_000))
                .isEqualTo(ErlangC.serversForWait(lambda, mu, 1_000_000));
    }

    @Test
    void fixedServiceTimesHalveTheWait() {
        // M/D/c by Allen-Cunneen: (1 + 0) / 2.
        assertThat(AllenCunneen.meanWaitSeconds(2, 1, 3, 1, 0))
                .isCloseTo(ErlangC.meanWaitSeconds(2, 1, 3) / 2, within(1e-15));
    }

    @Test
    void moreVariableTrafficNeedsMoreServers() {
        int regular = AllenCunneen.serversForWait(1000, 10, 0.2, 0.2, 1_000_000);
        int markovian = AllenCunneen.serversForWait(1000, 10, 1, 1, 1_000_000);
        int bursty = AllenCunneen.serversForWait(1000, 10, 3, 2, 1_000_000);
        assertThat(regular).isGreaterThan(100).isLessThan(markovian);
        assertThat(bursty).isGreaterThan(markovian);
    }

    @Test
    void perfectlyRegularTrafficNeedsOnlyToStayUnsaturated() {
        assertThat(AllenCunneen.serversForWait(1000, 10, 0, 0, 1)).isEqualTo(101);
        assertThat(AllenCunneen.meanWaitSeconds(1000, 10, 100, 0, 0)).isInfinite();
    }
}
