package io.cpra.api;

import io.cpra.config.NotifierType;
import io.cpra.notify.Alert;
import io.cpra.notify.DeliveryListener;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The last {@link #CAPACITY} delivery attempts and their outcome, newest first, for {@code GET
 * /api/v1/alerts}; each also counts in {@code cpra_alerts_total{colour,notifier,outcome}}. Fed on the
 * dispatcher thread, read by API requests: alerts are rare, so a lock is fine here.
 */
public final class AlertLog implements DeliveryListener {

    static final int CAPACITY = 512;

    /** One delivery attempt as the API shows it. */
    record Entry(String at, String monitor, long sequence, String colour, String notifier, String outcome,
                 int attempts, String incidentId, String error) {}

    private final Entry[] ring = new Entry[CAPACITY];
    private final MeterRegistry registry;
    private long written;

    AlertLog(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void attempted(Alert alert, NotifierType notifier, Outcome outcome, int attempts, String error) {
        String colour = alert.colour().key();
        String outcomeKey = outcome.name().toLowerCase(Locale.ROOT);
        Entry entry = new Entry(Instant.now().toString(), alert.monitor(), alert.sequence(), colour, notifier.key(),
                outcomeKey, attempts, alert.incidentId(), error);
        synchronized (ring) {
            ring[(int) (written++ % CAPACITY)] = entry;
        }
        registry.counter("cpra.alerts", "colour", colour, "notifier", notifier.key(), "outcome", outcomeKey).increment();
    }

    /** The newest {@code limit} entries, newest first. */
    List<Entry> recent(int limit) {
        synchronized (ring) {
            int n = (int) Math.min(Math.min(limit, CAPACITY), written);
            List<Entry> out = new ArrayList<>(n);
            for (long i = written - 1; i >= written - n; i--) out.add(ring[(int) (i % CAPACITY)]);
            return out;
        }
    }
}
