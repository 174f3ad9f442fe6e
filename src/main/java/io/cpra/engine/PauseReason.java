package io.cpra.engine;

import io.cpra.engine.store.MonitorStore;

/** Why a monitor is PAUSED. Reasons add up: the monitor resumes when the last one is cleared. */
public enum PauseReason {
    /** Paused through the API. */
    API(MonitorStore.PAUSED_BY_API),
    /** {@code enabled: false}, or disabled at runtime. */
    DISABLED(MonitorStore.DISABLED),
    /** Inside a maintenance window. */
    MAINTENANCE(MonitorStore.IN_MAINTENANCE);

    final byte flag;

    PauseReason(byte flag) {
        this.flag = flag;
    }
}
