package io.cpra.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WarmUpTest {

    @Test
    void warmUpChecksCompleteAgainstTheirOwnLoopbackEndpoint() {
        try (ProbeRouter probes = ProbeRouter.open()) {
            assertThat(probes.warmUp(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void warmUpReportsChecksThatCannotFinish() {
        // a factory whose probes never complete: the warm-up must give up at its limit and say so
        ProbeFactory silent = new ProbeFactory() {
            @Override public Probe prepare(io.cpra.config.PulseSpec pulse) {
                return new Probe() {
                    @Override public void start(CheckJob job, CheckSink sink) {}
                    @Override public long budgetNanos() { return 0; }
                };
            }
            @Override public void close() {}
        };
        assertThat(WarmUp.run(silent, 2, Duration.ofMillis(200))).isFalse();
    }
}
