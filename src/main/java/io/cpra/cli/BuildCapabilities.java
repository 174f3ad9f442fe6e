package io.cpra.cli;

import io.cpra.config.Capabilities;

/**
 * What this build can run. Every pulse type, action and notifier of CONFIG.md is built now; narrow this
 * when a new kind is added to the file contract before it can run.
 */
public final class BuildCapabilities {

    public static final Capabilities CURRENT = Capabilities.ALL;

    private BuildCapabilities() {}
}
