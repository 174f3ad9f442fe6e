package io.cpra.notify;

import io.cpra.config.Colour;
import io.cpra.config.NotifierType;
import io.cpra.config.NotifyConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.cpra.notify.Alerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Alerts per second through the dispatcher into one log file, as a ratio to writing the same alerts
 * straight to a log file in batches of 256 (the reference, measured in the same run).
 */
@Tag("bench")
class DeliveryBench {

    private static final int ALERTS = 200_000;
    private static final int MONITORS = 20_000;

    @TempDir Path dir;

    @Test
    void dispatcherThroughputAgainstDirectWrites() throws Exception {
        List<Alert> alerts = new ArrayList<>(ALERTS);
        NotifyConfig config = new NotifyConfig.Log(dir.resolve("dispatched.log"));
        for (int i = 0; i < ALERTS; i++) alerts.add(alert("m-" + (i % MONITORS), i / MONITORS, Colour.YELLOW, config));

        long direct = Long.MAX_VALUE, dispatched = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            try (LogNotifier reference = new LogNotifier(dir.resolve("direct-" + round + ".log"))) {
                long start = System.nanoTime();
                for (int i = 0; i < ALERTS; i += 256) reference.sendBatch(alerts.subList(i, Math.min(ALERTS, i + 256)));
                direct = Math.min(direct, System.nanoTime() - start);
            }
            try (Notifiers notifiers = new Notifiers()) {
                AlertDispatcher dispatcher = new AlertDispatcher(notifiers::get, DeliveryPolicy.DEFAULT);
                long start = System.nanoTime();
                alerts.forEach(dispatcher::submit);
                assertThat(dispatcher.close(Duration.ofSeconds(30))).isEmpty();
                dispatched = Math.min(dispatched, System.nanoTime() - start);
                assertThat(dispatcher.counts(NotifierType.LOG).sent()).isEqualTo(ALERTS);
            }
        }
        System.out.printf("direct: %.0f alerts/s, dispatcher: %.0f alerts/s, ratio dispatcher/direct: %.2f%n",
                ALERTS * 1e9 / direct, ALERTS * 1e9 / dispatched, (double) direct / dispatched);
    }
}
