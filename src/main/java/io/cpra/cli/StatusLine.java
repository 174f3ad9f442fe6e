package io.cpra.cli;

import io.cpra.engine.Clock;
import io.cpra.engine.EngineStats;
import io.cpra.engine.MonitorState;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The periodic one-line status of {@code cpra run}: monitors by state, checks per second since the last
 * line, in flight against the capacity plan's limit, late and missed, and the plan itself. Rates come from
 * the difference of two snapshots.
 */
final class StatusLine {

    private final Supplier<EngineStats> stats;
    private final Clock clock;
    private long lastChecks;
    private long lastNanos;

    StatusLine(Supplier<EngineStats> stats, Clock clock) {
        this.stats = stats;
        this.clock = clock;
        this.lastChecks = stats.get().checksCompleted();
        this.lastNanos = clock.nanoTime();
    }

    String next() {
        EngineStats s = stats.get();
        long now = clock.nanoTime();
        double seconds = Math.max(1e-9, (now - lastNanos) / 1e9);
        double rate = (s.checksCompleted() - lastChecks) / seconds;
        lastChecks = s.checksCompleted();
        lastNanos = now;
        return format(s, rate);
    }

    static String format(EngineStats s, double checksPerSecond) {
        StringBuilder line = new StringBuilder("status: ").append(s.monitors()).append(" monitors (");
        boolean first = true;
        for (Map.Entry<MonitorState, Integer> e : s.monitorsByState().entrySet()) {
            if (e.getValue() == 0) continue;
            if (!first) line.append(", ");
            line.append(e.getKey().name().toLowerCase(Locale.ROOT)).append(' ').append(e.getValue());
            first = false;
        }
        return line.append(") | ")
                .append(String.format(Locale.ROOT, "%.1f", checksPerSecond)).append(" checks/s | in flight ")
                .append(s.inFlight()).append('/').append(s.dispatchLimit()).append(" | waiting ").append(s.waiting())
                .append(" | late ").append(s.late()).append(" | missed ").append(s.missed())
                .append(" | alerts ").append(s.alertsRaised())
                .append(" | plan ").append(s.plan())
                .toString();
    }
}
