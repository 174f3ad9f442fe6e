package io.cpra.checks;

import io.cpra.config.PulseSpec;

/** Turns a validated pulse spec into a probe, once per distinct target at load time. */
public interface ProbeFactory extends AutoCloseable {

    /** @throws IllegalArgumentException with a user-facing message when the pulse type is not supported */
    Probe prepare(PulseSpec pulse);

    @Override
    void close();
}
