package io.cpra.notify;

/**
 * Delivery counters of one notifier type.
 *
 * @param sent    alerts delivered
 * @param failed  attempts that failed (an alert retried three times counts up to three)
 * @param retried retries scheduled after a failed attempt
 * @param givenUp alerts dropped after the last allowed attempt failed
 */
public record DeliveryCounts(long sent, long failed, long retried, long givenUp) {}
