package io.cpra.notify;

/**
 * Delivery counters of one notifier type.
 *
 * @param sent         alerts delivered
 * @param failed       attempts that failed (an alert retried three times counts up to three)
 * @param retried      retries scheduled after a failed attempt
 * @param givenUp      alerts dropped after the last allowed attempt failed
 * @param deferred     times an alert was held back, unsent, because its destination's breaker was open
 * @param openBreakers destinations of this type whose breaker is open now (a gauge, not a count)
 */
public record DeliveryCounts(long sent, long failed, long retried, long givenUp, long deferred, long openBreakers) {}
