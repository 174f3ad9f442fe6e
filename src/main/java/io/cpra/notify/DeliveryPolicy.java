package io.cpra.notify;

import java.time.Duration;

/**
 * How {@link AlertDispatcher} retries and bounds deliveries.
 *
 * @param initialBackoff     wait before the first retry; doubles per failed attempt
 * @param maxBackoff         cap of the wait between attempts
 * @param maxAttempts        attempts per alert (first one included) before it is given up
 * @param jitter             fraction (0..1) randomly taken off each wait, so retries of many alerts spread out
 * @param perDestination     deliveries running at once against one destination
 * @param maxBatch           alerts handed at once to a {@link BatchNotifier}
 * @param breakerFailures    sends to one destination failing in a row that open its circuit breaker
 */
public record DeliveryPolicy(Duration initialBackoff, Duration maxBackoff, int maxAttempts, double jitter,
                             int perDestination, int maxBatch, int breakerFailures) {

    /** Breaker opening after this many failures in a row, when a policy does not say. */
    public static final int DEFAULT_BREAKER_FAILURES = 5;

    /**
     * 1 s doubling to 5 min, 10 attempts (about 13 minutes of trying), 4 at once per destination, breaker
     * open after 5 failures in a row.
     */
    public static final DeliveryPolicy DEFAULT =
            new DeliveryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(5), 10, 0.2, 4, 256, DEFAULT_BREAKER_FAILURES);

    public DeliveryPolicy(Duration initialBackoff, Duration maxBackoff, int maxAttempts, double jitter,
                          int perDestination, int maxBatch) {
        this(initialBackoff, maxBackoff, maxAttempts, jitter, perDestination, maxBatch, DEFAULT_BREAKER_FAILURES);
    }

    public DeliveryPolicy {
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0)
            throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff");
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1");
        if (jitter < 0 || jitter > 1) throw new IllegalArgumentException("jitter must be within 0..1");
        if (perDestination < 1 || maxBatch < 1) throw new IllegalArgumentException("perDestination and maxBatch must be >= 1");
        if (breakerFailures < 1) throw new IllegalArgumentException("breakerFailures must be >= 1");
    }

    /** Wait before attempt {@code failedAttempts + 1}; {@code random} in [0, 1). */
    long backoffNanos(int failedAttempts, double random) {
        long initial = initialBackoff.toNanos();
        long max = maxBackoff.toNanos();
        int doublings = Math.min(failedAttempts - 1, 62);
        long base = initial > (max >> doublings) ? max : Math.min(max, initial << doublings);
        return base - (long) (base * jitter * random);
    }
}
