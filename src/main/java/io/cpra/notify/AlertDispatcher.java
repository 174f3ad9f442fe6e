package io.cpra.notify;

import io.cpra.config.NotifierType;
import io.cpra.config.NotifyConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Delivers alerts: in order per monitor, retried with back-off, bounded per destination, never blocking
 * the engine.
 *
 * <p>{@link #submit} only offers the alert to an unbounded lock-free MPSC queue and wakes the dispatcher
 * thread, so it never blocks and never drops; the queue grows while delivery is slower than alerting
 * (alerts are rare next to checks, so this is memory of alerts genuinely waiting, not a leak). The one
 * dispatcher thread owns all state: per monitor a lane (the alert in delivery plus the ones waiting behind
 * it, so a newer alert never overtakes or replaces an older one), per destination (one distinct
 * {@link NotifyConfig}) a ready queue and a count of running sends. Sends run on virtual threads, at most
 * {@link DeliveryPolicy#perDestination()} per destination, so a dead destination only holds its own slots;
 * a {@link BatchNotifier} (a log file) takes every ready alert of its destination in one send.
 *
 * <p>A failed send is retried after an exponential, jittered back-off; the lane waits, other monitors do
 * not. After {@link DeliveryPolicy#maxAttempts()} (at once for an {@link UndeliverableException}) the alert
 * is logged (secrets masked), counted as given up and the lane moves on. Notifiers bound their own time
 * (HTTP timeouts); a send that never returns holds one slot of its destination and its monitor's lane.
 *
 * <p>Each destination has a circuit breaker (resilience4j): after {@link DeliveryPolicy#breakerFailures()}
 * sends in a row fail, it opens and the destination's alerts are held, not attempted, counted as deferred.
 * The wait continues the retry back-off (the next doubling, capped), then one send goes as the half-open
 * probe: its success closes the breaker and releases the held alerts, its failure re-opens it for a longer
 * wait. A failure that opens or keeps open the breaker is the destination's fault, not the alert's: it
 * does not use up the alert's attempts, so a dead receiver delays its alerts but never drops them, and
 * only an alert failing against a working destination is given up. The dispatcher thread drives the
 * breaker's timing itself (no timer thread of the library); lanes keep the order per monitor throughout.
 */
public final class AlertDispatcher implements AlertSink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertDispatcher.class);
    private static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** What the breaker records (and may log) for a failure: never the notifier's own error, which may hold secrets. */
    private static final Exception SEND_FAILED = new SendFailed();
    private static final int SENT = 0, FAILED = 1, RETRIED = 2, GIVEN_UP = 3, DEFERRED = 4, OPEN_BREAKERS = 5, KINDS = 6;

    private final Function<NotifyConfig, Notifier> notifiers;
    private final DeliveryPolicy policy;
    private final CircuitBreakerConfig breakerConfig;
    private final MessagePassingQueue<Alert> inbox = new MpscUnboundedAtomicArrayQueue<>(1024);
    private final MessagePassingQueue<Batch> finished = new MpscUnboundedAtomicArrayQueue<>(256);
    private final ExecutorService senders =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("cpra-notify-", 0).factory());
    private final AtomicLongArray counters = new AtomicLongArray(NotifierType.values().length * KINDS);
    private final Thread thread;
    private final Object closeLock = new Object();
    private volatile boolean closing;
    private volatile DeliveryListener listener = (alert, notifier, outcome, attempts, error) -> {};
    private volatile long closeDeadline;
    private List<Alert> unsent;

    // Owned by the dispatcher thread.
    private final Map<String, Lane> lanes = new HashMap<>();
    private final Map<NotifyConfig, Destination> destinations = new HashMap<>();
    private final PriorityQueue<Delivery> retries = new PriorityQueue<>(Comparator.comparingLong(d -> d.retryAt));
    private final PriorityQueue<Destination> probes = new PriorityQueue<>(Comparator.comparingLong(d -> d.probeAt));
    private final List<Alert> leftOver = new ArrayList<>();
    private boolean backoffsHurried;

    /** @param notifiers the notifier of a destination, such as {@link Notifiers#get} */
    public AlertDispatcher(Function<NotifyConfig, Notifier> notifiers, DeliveryPolicy policy) {
        this.notifiers = notifiers;
        this.policy = policy;
        this.breakerConfig = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(policy.breakerFailures())
                .minimumNumberOfCalls(policy.breakerFailures())
                .failureRateThreshold(100)
                .permittedNumberOfCallsInHalfOpenState(1)
                .waitDurationInOpenState(Duration.ofDays(1)) // the dispatcher half-opens it at its own probe time
                .writableStackTraceEnabled(false)
                .build();
        this.thread = Thread.ofPlatform().name("cpra-alerts").daemon().start(this::run);
    }

    @Override
    public void submit(Alert alert) {
        if (closing) {
            log.warn("alert not accepted, delivery is closed: monitor={} colour={} sequence={}",
                    alert.monitor(), alert.colour().key(), alert.sequence());
            return;
        }
        inbox.relaxedOffer(alert);
        LockSupport.unpark(thread);
    }

    /** Replaces the listener told of every delivery attempt (the API's recent deliveries). */
    public void onDelivery(DeliveryListener listener) {
        this.listener = listener;
    }

    public DeliveryCounts counts(NotifierType type) {
        int base = type.ordinal() * KINDS;
        return new DeliveryCounts(counters.get(base + SENT), counters.get(base + FAILED), counters.get(base + RETRIED),
                counters.get(base + GIVEN_UP), counters.get(base + DEFERRED), counters.get(base + OPEN_BREAKERS));
    }

    @Override
    public void close() { close(DEFAULT_CLOSE_TIMEOUT); }

    /**
     * Stops accepting alerts, keeps delivering (retries included, waiting ones and open breakers' probes
     * made due at once) until nothing is pending or the timeout passes, then logs and returns the alerts
     * that could not be sent, in order per monitor. Idempotent.
     */
    public List<Alert> close(Duration timeout) {
        synchronized (closeLock) {
            if (unsent != null) return unsent;
            closeDeadline = System.nanoTime() + timeout.toNanos();
            closing = true;
            LockSupport.unpark(thread);
            try {
                thread.join(timeout.plusSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            senders.shutdownNow();
            List<Alert> lost = new ArrayList<>(leftOver);
            inbox.drain(lost::add); // offered while closing began
            for (Alert alert : lost.subList(leftOver.size(), lost.size())) report("not sent, delivery closed", alert, null);
            unsent = List.copyOf(lost);
            return unsent;
        }
    }

    // ---- dispatcher thread ----

    private void run() {
        while (true) {
            try {
                if (step()) return;
            } catch (RuntimeException e) {
                // a bug must not stop delivery for every monitor
                log.error("alert delivery step failed", e);
            }
        }
    }

    /** One round of work and a park until more is due; true when closing is complete. */
    private boolean step() {
        finished.drain(this::onFinished);
        inbox.drain(this::onAlert);
        long now = System.nanoTime();
        if (closing && !backoffsHurried) hurryBackoffs(now);
        while (!retries.isEmpty() && retries.peek().retryAt - now <= 0) offer(retries.poll());
        while (!probes.isEmpty() && probes.peek().probeAt - now <= 0) probe(probes.poll());
        if (closing) {
            if (lanes.isEmpty() && inbox.isEmpty()) return true;
            if (now - closeDeadline >= 0) {
                giveUpAllOnClose();
                return true;
            }
        }
        long wake = retries.isEmpty() ? Long.MAX_VALUE : retries.peek().retryAt - now;
        if (!probes.isEmpty()) wake = Math.min(wake, probes.peek().probeAt - now);
        if (closing) wake = Math.min(wake, closeDeadline - now);
        if (wake == Long.MAX_VALUE) LockSupport.park(this);
        else LockSupport.parkNanos(this, wake);
        return false;
    }

    private void onAlert(Alert alert) {
        if (alert.code() == null || !alert.code().dispatch()) return;
        Lane lane = lanes.computeIfAbsent(alert.monitor(), Lane::new);
        if (lane.head == null) startHead(lane, alert);
        else lane.waiting.add(alert);
    }

    private void startHead(Lane lane, Alert alert) {
        NotifyConfig config = alert.code().config();
        Destination destination = destinations.computeIfAbsent(config,
                c -> new Destination(c, notifierOf(c), CircuitBreaker.of(Notifiers.describe(c), breakerConfig)));
        lane.head = new Delivery(lane, alert, destination);
        offer(lane.head);
    }

    /** A destination that cannot be set up (unsupported, bad address) rejects its alerts: no retry can fix it. */
    private Notifier notifierOf(NotifyConfig config) {
        try {
            return notifiers.apply(config);
        } catch (RuntimeException e) {
            String reason = "cannot set up " + Notifiers.describe(config) + ": " + e.getMessage();
            return alert -> { throw new UndeliverableException(reason); };
        }
    }

    private void offer(Delivery delivery) {
        Destination destination = delivery.destination;
        destination.ready.add(delivery);
        if (destination.held()) count(destination.type, DEFERRED);
        else startReady(destination);
    }

    private void startReady(Destination destination) {
        while (!destination.held() && destination.running < policy.perDestination() && !destination.ready.isEmpty()) {
            if (!destination.breaker.tryAcquirePermission()) {
                // only a send started before the breaker half-opened can have taken the probe's permit
                syncBreaker(destination);
                return;
            }
            boolean probe = destination.open;
            if (probe) destination.probing = true;
            int size = destination.notifier instanceof BatchNotifier
                    ? Math.min(policy.maxBatch(), destination.ready.size()) : 1;
            List<Delivery> deliveries = new ArrayList<>(size);
            for (int i = 0; i < size; i++) deliveries.add(destination.ready.poll());
            destination.running++;
            Batch batch = new Batch(destination, deliveries, probe);
            senders.execute(() -> send(batch));
        }
    }

    /**
     * Closing: every retry and every open breaker's probe is due now rather than after its back-off (which
     * may be longer than the close timeout), so alerts for a destination that is back still go out. Later
     * failures back off as usual.
     */
    private void hurryBackoffs(long now) {
        backoffsHurried = true;
        List<Delivery> delayed = new ArrayList<>(retries);
        retries.clear();
        for (Delivery delivery : delayed) {
            delivery.retryAt = now;
            retries.add(delivery);
        }
        List<Destination> waiting = new ArrayList<>(probes);
        probes.clear();
        for (Destination destination : waiting) {
            destination.probeAt = now;
            probes.add(destination);
        }
    }

    /** The open breaker's wait is over: half-open it, so the next send goes as its probe. */
    private void probe(Destination destination) {
        destination.probeAt = 0;
        if (destination.breaker.getState() == CircuitBreaker.State.OPEN) destination.breaker.transitionToHalfOpenState();
        startReady(destination);
    }

    /**
     * Mirrors the breaker into the destination after an outcome was recorded: counts it open or closed,
     * and after an opening (first or after a failed probe) holds the ready alerts until the next probe.
     *
     * @return true when the breaker is not closed, so a failure is the destination's, not the alert's
     */
    private boolean syncBreaker(Destination destination) {
        CircuitBreaker.State state = destination.breaker.getState();
        if (state == CircuitBreaker.State.CLOSED) {
            if (destination.open) {
                destination.open = false;
                destination.opens = 0;
                counters.decrementAndGet(destination.type.ordinal() * KINDS + OPEN_BREAKERS);
                log.info("destination answers again, sending its held alerts: destination={}", destination.description);
            }
            return false;
        }
        if (state == CircuitBreaker.State.OPEN && destination.probeAt == 0) {
            if (!destination.open) {
                destination.open = true;
                count(destination.type, OPEN_BREAKERS);
            }
            destination.opens++;
            double random = ThreadLocalRandom.current().nextDouble();
            long wait = Math.max(1, policy.backoffNanos(policy.breakerFailures() - 1 + destination.opens, random));
            destination.probeAt = System.nanoTime() + wait;
            probes.add(destination);
            counters.addAndGet(destination.type.ordinal() * KINDS + DEFERRED, destination.ready.size());
            log.warn("destination keeps failing, its alerts are held until a probe succeeds: destination={} opening={} probe_in={}ms",
                    destination.description, destination.opens, TimeUnit.NANOSECONDS.toMillis(wait));
        }
        return true;
    }

    /** On a virtual thread. */
    private void send(Batch batch) {
        batch.started = System.nanoTime();
        try {
            if (batch.destination.notifier instanceof BatchNotifier batchNotifier) {
                batchNotifier.sendBatch(batch.deliveries.stream().map(d -> d.alert).toList());
            } else {
                batch.destination.notifier.send(batch.deliveries.getFirst().alert);
            }
        } catch (Throwable t) {
            batch.failure = t;
        } finally {
            finished.relaxedOffer(batch);
            LockSupport.unpark(thread);
        }
    }

    private void onFinished(Batch batch) {
        Destination destination = batch.destination;
        destination.running--;
        if (batch.probe) destination.probing = false;
        Throwable failure = batch.failure;
        long took = System.nanoTime() - batch.started;
        // a rejected alert is an answer: the destination works
        if (failure == null || failure instanceof UndeliverableException) destination.breaker.onSuccess(took, TimeUnit.NANOSECONDS);
        else destination.breaker.onError(took, TimeUnit.NANOSECONDS, SEND_FAILED);
        boolean destinationDown = syncBreaker(destination);
        NotifierType type = destination.type;
        for (Delivery delivery : batch.deliveries) {
            if (failure == null) {
                count(type, SENT);
                tell(delivery, DeliveryListener.Outcome.SENT, null);
                next(delivery.lane);
                continue;
            }
            count(type, FAILED);
            if (failure instanceof UndeliverableException) {
                delivery.attempts++;
                giveUp(delivery, failure);
            } else if (destinationDown) {
                destination.ready.add(delivery); // held for the probe, attempts untouched
                count(type, DEFERRED);
                tell(delivery, DeliveryListener.Outcome.DEFERRED, failure);
            } else if (++delivery.attempts >= policy.maxAttempts()) {
                giveUp(delivery, failure);
            } else {
                count(type, RETRIED);
                tell(delivery, DeliveryListener.Outcome.RETRYING, failure);
                double random = ThreadLocalRandom.current().nextDouble();
                delivery.retryAt = System.nanoTime() + policy.backoffNanos(delivery.attempts, random);
                retries.add(delivery);
            }
        }
        startReady(destination);
    }

    private void giveUp(Delivery delivery, Throwable failure) {
        count(delivery.destination.type, GIVEN_UP);
        tell(delivery, DeliveryListener.Outcome.GIVEN_UP, failure);
        report("given up after " + delivery.attempts + " attempts", delivery.alert, failure);
        next(delivery.lane);
    }

    /** The lane's head is done (sent or given up): the next alert of the monitor goes, or the lane ends. */
    private void next(Lane lane) {
        Alert nextAlert = lane.waiting.poll();
        if (nextAlert != null) {
            startHead(lane, nextAlert);
        } else {
            lane.head = null;
            lanes.remove(lane.monitor);
        }
    }

    private void giveUpAllOnClose() {
        for (Lane lane : lanes.values()) {
            leftOver.add(lane.head.alert);
            leftOver.addAll(lane.waiting);
        }
        inbox.drain(leftOver::add);
        for (Alert alert : leftOver) report("not sent before close timeout", alert, null);
        lanes.clear();
    }

    private void report(String what, Alert alert, Throwable failure) {
        NotifyConfig config = alert.code().config();
        String error = failure == null ? null : Secrets.mask(describe(failure), Notifiers.secrets(config));
        log.warn("alert {}: monitor={} colour={} sequence={} notifier={} destination={} error={}",
                what, alert.monitor(), alert.colour().key(), alert.sequence(), alert.code().notifier().key(),
                Notifiers.describe(config), error);
    }

    private void tell(Delivery delivery, DeliveryListener.Outcome outcome, Throwable failure) {
        Alert alert = delivery.alert;
        String error = failure == null ? null : Secrets.mask(describe(failure), Notifiers.secrets(alert.code().config()));
        try {
            int attempts = outcome == DeliveryListener.Outcome.SENT ? delivery.attempts + 1 : Math.max(1, delivery.attempts);
            listener.attempted(alert, delivery.destination.type, outcome, attempts, error);
        } catch (RuntimeException e) {
            log.warn("delivery listener failed", e);
        }
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null ? failure.getClass().getSimpleName() : message;
    }

    private void count(NotifierType type, int kind) { counters.incrementAndGet(type.ordinal() * KINDS + kind); }

    private static final class Lane {
        final String monitor;
        final ArrayDeque<Alert> waiting = new ArrayDeque<>();
        Delivery head;

        Lane(String monitor) { this.monitor = monitor; }
    }

    private static final class Destination {
        final NotifierType type;
        final String description;
        final Notifier notifier;
        final CircuitBreaker breaker;
        final ArrayDeque<Delivery> ready = new ArrayDeque<>();
        int running;
        /** Breaker not closed: sends wait for {@link #probeAt}, then one goes as the probe. */
        boolean open;
        boolean probing;
        long probeAt;
        /** Openings in a row (a failed probe re-opens): each waits longer. */
        int opens;

        Destination(NotifyConfig config, Notifier notifier, CircuitBreaker breaker) {
            this.type = Notifiers.typeOf(config);
            this.description = Notifiers.describe(config);
            this.notifier = notifier;
            this.breaker = breaker;
        }

        /** Ready alerts may not be sent now: the breaker waits for its probe time, or its probe is out. */
        boolean held() { return probeAt != 0 || probing; }
    }

    private static final class Delivery {
        final Lane lane;
        final Alert alert;
        final Destination destination;
        int attempts;
        long retryAt;

        Delivery(Lane lane, Alert alert, Destination destination) {
            this.lane = lane;
            this.alert = alert;
            this.destination = destination;
        }
    }

    private static final class SendFailed extends Exception {
        SendFailed() { super("send failed", null, false, false); }
    }

    /** One send on a virtual thread; handed back to the dispatcher thread with its outcome. */
    private static final class Batch {
        final Destination destination;
        final List<Delivery> deliveries;
        final boolean probe;
        long started;
        Throwable failure;

        Batch(Destination destination, List<Delivery> deliveries, boolean probe) {
            this.destination = destination;
            this.deliveries = deliveries;
            this.probe = probe;
        }
    }
}
