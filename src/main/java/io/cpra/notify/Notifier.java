package io.cpra.notify;

/**
 * Sends one alert to one kind of destination (log, slack, pagerduty, webhook, email). Called from a
 * delivery thread (a virtual thread), so it may block up to its own timeout. Throwing means "not
 * delivered, retry later" ({@link UndeliverableException}: "rejected, do not retry"); it must not log secrets.
 */
public interface Notifier {
    void send(Alert alert) throws Exception;
}
