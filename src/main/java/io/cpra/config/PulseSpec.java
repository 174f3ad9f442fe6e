package io.cpra.config;

import java.util.List;

/**
 * The periodic check of a monitor.
 *
 * @param unhealthyThreshold U of LIFECYCLE.md (alias {@code max_failures}), default 1
 * @param healthyThreshold   the configured {@code healthy_threshold}, or 0 when unset
 *                           (then K = 2 for recovery and M = 3 for verification)
 * @param retries            extra attempts inside one check (config.retries or pulse_check.retries)
 * @param groups             from {@code pulse_check.groups}
 * @param conditions         raw condition expressions (new), empty when none
 */
public record PulseSpec(
        PulseType type,
        long intervalNanos,
        long timeoutNanos,
        int unhealthyThreshold,
        int healthyThreshold,
        int retries,
        List<String> groups,
        List<String> conditions,
        PulseTarget target) {

    public static final int DEFAULT_RECOVERY_THRESHOLD = 2;
    public static final int DEFAULT_VERIFY_THRESHOLD = 3;

    /** K: successes in a row to recover. */
    public int recoveryThreshold() {
        return healthyThreshold > 0 ? healthyThreshold : DEFAULT_RECOVERY_THRESHOLD;
    }

    /** M: successes in a row to verify an intervention. */
    public int verifyThreshold() {
        return healthyThreshold > 0 ? healthyThreshold : DEFAULT_VERIFY_THRESHOLD;
    }
}
