package io.cpra.engine;

import io.cpra.config.MonitorSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * One reload in progress. Only the added and changed specs are held (with their fingerprints); the
 * unchanged ones leave nothing but a bit in {@link #seen}. Written on the engine thread by the commands
 * the {@link Reloader} submits one after another, read by the reloader in between: each command's
 * completion publishes its writes.
 */
final class ReloadPlan {

    /** Slots of running monitors the new config names. */
    final BitSet seen = new BitSet();
    /** Added and changed monitors, in file order. */
    final List<MonitorSpec> staged = new ArrayList<>();
    private long[] stagedFingerprints = new long[64];
    int added;
    int changed;
    int unchanged;
    int removed;
    /** Removed monitors that had a check or run out: its result is dropped (and counted stale) on arrival. */
    int inFlightDropped;

    void stage(MonitorSpec spec, long fingerprint) {
        if (staged.size() == stagedFingerprints.length) {
            stagedFingerprints = Arrays.copyOf(stagedFingerprints, stagedFingerprints.length * 2);
        }
        stagedFingerprints[staged.size()] = fingerprint;
        staged.add(spec);
    }

    long fingerprint(int index) {
        return stagedFingerprints[index];
    }
}
