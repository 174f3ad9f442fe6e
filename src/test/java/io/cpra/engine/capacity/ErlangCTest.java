package io.cpra.engine.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErlangCTest {

    /**
     * Closed forms (Kleinrock, Queueing Systems vol. 1, sections 3.2 and 3.5): M/M/1 waits with probability
     * ρ; M/M/2 with 2ρ²/(1+ρ), ρ = a/2; and the usual worked example a = 2, c = 3 gives
     * C = (8/6 · 3) / (1 + 2 + 2 + 8/6 · 3) = 4/9.
     */
    @ParameterizedTest(name = "a={0} c={1} -> {2}")
    @CsvSource({
            "0.5, 1, 0.5",
            "0.9, 1, 0.9",
            "1.0, 2, 0.333333333333",
            "1.6, 2, 0.711111111111",
            "2.0, 3, 0.444444444444",
            "0.0, 4, 0.0",
    })
    void matchesClosedForms(double load, int servers, double expected) {
        assertThat(ErlangC.waitProbability(load, servers)).isCloseTo(expected, within(1e-9));
    }

    /** The textbook sum C = (a^c/c! · c/(c−a)) / (Σ_{k<c} a^k/k! + a^c/c! · c/(c−a)), in log space. */
    @ParameterizedTest(name = "a={0} c={1}")
    @CsvSource({"4.8, 6", "10, 11", "10, 14", "48, 55", "95.5, 100", "400, 430", "4900, 5000", "4999.5, 5000"})
    void matchesTheTextbookSumIncludingThousandsOfServers(double load, int servers) {
        double expected = textbookWaitProbability(load, servers);
        double actual = ErlangC.waitProbability(load, servers);
        assertThat(actual).isBetween(0.0, 1.0).isCloseTo(expected, within(1e-9 + 1e-9 * expected));
    }

    @Test
    void nearSaturationItApproachesOneAndFallsAsServersAreAdded() {
        double nearlyFull = ErlangC.waitProbability(4999.999, 5000);
        assertThat(nearlyFull).isLessThan(1.0).isGreaterThan(0.999);
        double previous = 1.0;
        for (int c = 5000; c <= 5300; c += 25) {
            double p = ErlangC.waitProbability(4999.0, c);
            assertThat(p).isFinite().isLessThan(previous);
            previous = p;
        }
        assertThat(previous).isLessThan(1e-4);
    }

    @ParameterizedTest(name = "a={0} c={1}")
    @CsvSource({"3, 3", "4, 3", "5000, 5000", "1e6, 5000"})
    void saturatedSystemsAlwaysWaitAndWaitForever(double load, int servers) {
        assertThat(ErlangC.waitProbability(load, servers)).isEqualTo(1.0);
        assertThat(ErlangC.meanWaitSeconds(load, 1.0, servers)).isInfinite();
    }

    @Test
    void meanWaitOfOneServerIsRhoOverMuMinusLambda() {
        // M/M/1, λ = 0.9/s, μ = 1/s: Wq = ρ / (μ − λ) = 9 s.
        assertThat(ErlangC.meanWaitSeconds(0.9, 1.0, 1)).isCloseTo(9.0, within(1e-9));
        // a = 2, c = 3, μ = 1/s: Wq = C / (cμ − λ) = (4/9) / 1.
        assertThat(ErlangC.meanWaitSeconds(2.0, 1.0, 3)).isCloseTo(4.0 / 9, within(1e-12));
    }

    @ParameterizedTest(name = "λ={0} μ={1} target={2}ns")
    @CsvSource({"2, 1, 1000000000", "100, 0.1, 50000000", "100000, 20, 1000000", "100000, 20, 1", "0.001, 1, 1000"})
    void serversForWaitIsTheSmallestCountMeetingTheTarget(double lambda, double mu, long targetNanos) {
        int c = ErlangC.serversForWait(lambda, mu, targetNanos);
        double target = targetNanos / 1e9;
        assertThat(ErlangC.meanWaitSeconds(lambda, mu, c)).isLessThanOrEqualTo(target);
        if (c > 1) assertThat(ErlangC.meanWaitSeconds(lambda, mu, c - 1)).isGreaterThan(target);
    }

    @Test
    void serversForWaitProbabilityIsTheSmallestCountMeetingTheTarget() {
        // a = 2: C(2,3) = 4/9 > 0.2, C(2,4) = 0.1739 <= 0.2.
        assertThat(ErlangC.serversForWaitProbability(2, 1, 0.2)).isEqualTo(4);
        assertThat(ErlangC.serversForWaitProbability(2, 1, 0.5)).isEqualTo(3);
        assertThat(ErlangC.serversForWaitProbability(0, 1, 0.01)).isEqualTo(1);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> ErlangC.serversForWait(1, 0, 10)).hasMessageContaining("service rate");
        assertThatThrownBy(() -> ErlangC.serversForWait(-1, 1, 10)).hasMessageContaining("arrival rate");
        assertThatThrownBy(() -> ErlangC.serversForWait(1, 1, 0)).hasMessageContaining("target wait");
        assertThatThrownBy(() -> ErlangC.waitProbability(1, 0)).hasMessageContaining("servers");
    }

    private static double textbookWaitProbability(double a, int c) {
        double[] logTerms = new double[c + 1];
        double logTerm = 0;
        for (int k = 0; k <= c; k++) {
            if (k > 0) logTerm += Math.log(a) - Math.log(k);
            logTerms[k] = logTerm;
        }
        double logTop = logTerms[c] + Math.log(c / (c - a));
        double max = logTop;
        for (int k = 0; k < c; k++) max = Math.max(max, logTerms[k]);
        double bottom = Math.exp(logTop - max);
        for (int k = 0; k < c; k++) bottom += Math.exp(logTerms[k] - max);
        return Math.exp(logTop - max) / bottom;
    }
}
