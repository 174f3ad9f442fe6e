package io.cpra.notify;

import java.util.List;

/**
 * A notifier that delivers several alerts (of distinct monitors) in one go, such as one write and one
 * flush of a log file. All or nothing: throwing means none counts as delivered and all are retried.
 */
public interface BatchNotifier extends Notifier {

    void sendBatch(List<Alert> alerts) throws Exception;

    @Override
    default void send(Alert alert) throws Exception { sendBatch(List.of(alert)); }
}
