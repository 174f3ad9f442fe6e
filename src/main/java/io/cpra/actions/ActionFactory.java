package io.cpra.actions;

import io.cpra.config.InterventionSpec;

public interface ActionFactory extends AutoCloseable {

    /** @throws IllegalArgumentException with a user-facing message when the action is not supported */
    Action prepare(InterventionSpec spec);

    @Override
    void close();
}
