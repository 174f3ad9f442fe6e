package io.cpra.fleet;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counters of a fleet, updated from its event loops. */
final class FleetStats {

    private final LongAdder[] outcomes = new LongAdder[Outcome.VALUES.length];
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused = new LongAdder();

    FleetStats() {
        for (int i = 0; i < outcomes.length; i++) outcomes[i] = new LongAdder();
    }

    void count(Outcome outcome) {
        outcomes[outcome.ordinal()].increment();
    }

    void countStatus(int status) {
        count(Outcome.ofStatus(status));
    }

    /** Admits one more connection unless {@code max} are open already. */
    boolean tryOpen(int max) {
        while (true) {
            int now = open.get();
            if (now >= max) {
                refused.increment();
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                accepted.increment();
                return true;
            }
        }
    }

    void closed() {
        open.decrementAndGet();
    }

    FleetSnapshot snapshot(int ports, int listening, int failing, int flapping) {
        Map<Outcome, Long> byOutcome = new EnumMap<>(Outcome.class);
        long total = 0;
        for (Outcome o : Outcome.VALUES) {
            long n = outcomes[o.ordinal()].sum();
            byOutcome.put(o, n);
            total += n;
        }
        return new FleetSnapshot(total, Collections.unmodifiableMap(byOutcome), open.get(), accepted.sum(),
                refused.sum(), ports, listening, failing, flapping);
    }
}
