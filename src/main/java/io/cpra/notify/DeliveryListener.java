package io.cpra.notify;

import io.cpra.config.NotifierType;

/**
 * Told the outcome of every delivery attempt, on the dispatcher thread: it must return quickly and not
 * throw. The error text has secrets masked.
 */
@FunctionalInterface
public interface DeliveryListener {

    enum Outcome { SENT, RETRYING, DEFERRED, GIVEN_UP }

    /** @param error null when sent */
    void attempted(Alert alert, NotifierType notifier, Outcome outcome, int attempts, String error);
}
