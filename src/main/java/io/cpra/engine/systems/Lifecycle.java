package io.cpra.engine.systems;

import io.cpra.config.Colour;
import io.cpra.engine.store.MonitorStore;

import static io.cpra.engine.MonitorState.DEGRADED_CODE;
import static io.cpra.engine.MonitorState.HEALTHY_CODE;
import static io.cpra.engine.MonitorState.REMEDIATING_CODE;
import static io.cpra.engine.MonitorState.UNHEALTHY_CODE;
import static io.cpra.engine.MonitorState.UNKNOWN_CODE;
import static io.cpra.engine.MonitorState.VERIFYING_CODE;
import static io.cpra.engine.store.MonitorStore.increment;

/**
 * The transition table of LIFECYCLE.md, as a pure function over one slot's columns: it updates the
 * state and counters and returns what the engine must do as packed effect bits (an int, so the hot path
 * allocates nothing). It never touches time, queues or alerts itself.
 */
public final class Lifecycle {

    /** Low bits: the colour to raise, as ordinal + 1; 0 = none. */
    public static final int COLOUR_MASK = 0b111;
    /** Start an intervention run now. */
    public static final int START_RUN = 1 << 3;
    /** A run failed: start the next one after the back-off. */
    public static final int RUN_AFTER_BACKOFF = 1 << 4;
    /** Open an incident before raising the colour. */
    public static final int OPEN_INCIDENT = 1 << 5;
    /** Close the open incident (if any) after raising the colour. */
    public static final int CLOSE_INCIDENT = 1 << 6;

    public static final int NONE = 0;

    private static final int YELLOW = colour(Colour.YELLOW);
    private static final int RED = colour(Colour.RED);
    private static final int CYAN = colour(Colour.CYAN);
    private static final int GREEN = colour(Colour.GREEN);

    private Lifecycle() {}

    /** @return the colour of the effects, or null */
    public static Colour colourOf(int effects) {
        int c = effects & COLOUR_MASK;
        return c == 0 ? null : Colour.ofOrdinal(c - 1);
    }

    /** Applies one check result; PAUSED and REMEDIATING take no check results (the engine drops them). */
    public static int onCheck(MonitorStore s, int slot, boolean success) {
        return success ? onSuccess(s, slot) : onFailure(s, slot);
    }

    /** Applies the outcome of an intervention run; only REMEDIATING waits for one. */
    public static int onRun(MonitorStore s, int slot, boolean success) {
        if (s.state[slot] != REMEDIATING_CODE) return NONE;
        if (!success) return runFailed(s, slot);
        s.setState(slot, VERIFYING_CODE);
        s.verifyLeft[slot] = s.verifyThreshold[slot];
        s.failures[slot] = 0;
        s.successes[slot] = 0;
        return CYAN;
    }

    /**
     * The monitor's intervention was removed by a reload. REMEDIATING waited for a run that will not come:
     * the threshold stands with no intervention left, so the incident opens (red), as for a monitor that
     * never had one. Every other state goes on unchanged.
     */
    public static int onInterventionRemoved(MonitorStore s, int slot) {
        if (s.state[slot] != REMEDIATING_CODE) return NONE;
        s.verifyLeft[slot] = 0;
        return openIncident(s, slot);
    }

    private static int onSuccess(MonitorStore s, int slot) {
        s.failures[slot] = 0;
        increment(s.successes, slot);
        switch (s.state[slot]) {
            case UNKNOWN_CODE, HEALTHY_CODE -> {
                s.setState(slot, HEALTHY_CODE);
                return NONE;
            }
            case DEGRADED_CODE, UNHEALTHY_CODE -> {
                if (s.successes[slot] < s.recoveryThreshold[slot]) return NONE;
                return recover(s, slot);
            }
            case VERIFYING_CODE -> {
                if (--s.verifyLeft[slot] > 0) return NONE;
                return recover(s, slot);
            }
            default -> {
                return NONE;
            }
        }
    }

    private static int onFailure(MonitorStore s, int slot) {
        s.successes[slot] = 0;
        increment(s.failures, slot);
        boolean intervention = s.actionId[slot] != MonitorStore.NO_ACTION;
        switch (s.state[slot]) {
            case UNKNOWN_CODE, HEALTHY_CODE -> {
                if (s.unhealthyThreshold[slot] > 1) {
                    s.setState(slot, DEGRADED_CODE);
                    return YELLOW;
                }
                // U = 1: the threshold is reached at once; red carries the news, no yellow before it
                return intervention ? startRemediation(s, slot) | YELLOW : openIncident(s, slot);
            }
            case DEGRADED_CODE -> {
                if (s.failures[slot] < s.unhealthyThreshold[slot]) return NONE;
                return intervention ? startRemediation(s, slot) : openIncident(s, slot);
            }
            case VERIFYING_CODE -> {
                // the service is still down although a run "succeeded": that run counts as failed
                return runFailed(s, slot);
            }
            default -> {
                return NONE; // UNHEALTHY: red went out once for this incident
            }
        }
    }

    private static int startRemediation(MonitorStore s, int slot) {
        s.setState(slot, REMEDIATING_CODE);
        return START_RUN;
    }

    private static int runFailed(MonitorStore s, int slot) {
        increment(s.failedRuns, slot);
        s.verifyLeft[slot] = 0;
        if (s.failedRuns[slot] < s.maxFailedRuns[slot]) {
            s.setState(slot, REMEDIATING_CODE);
            return RUN_AFTER_BACKOFF;
        }
        return openIncident(s, slot);
    }

    private static int openIncident(MonitorStore s, int slot) {
        s.setState(slot, UNHEALTHY_CODE);
        return RED | OPEN_INCIDENT;
    }

    /** Back to HEALTHY after an episode: green, and the episode's counters start over. */
    private static int recover(MonitorStore s, int slot) {
        s.setState(slot, HEALTHY_CODE);
        s.verifyLeft[slot] = 0;
        s.failedRuns[slot] = 0;
        s.backoffLevel[slot] = 0;
        return GREEN | CLOSE_INCIDENT;
    }

    private static int colour(Colour c) {
        return c.ordinal() + 1;
    }
}
