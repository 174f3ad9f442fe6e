package io.cpra.engine.capacity;

import static io.cpra.engine.capacity.SlidingWindowTest.exponential;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CapacityPlannerTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long MILLI = 1_000_000L;
    private static final double ARRIVALS_PER_SECOND = 100_000;
    private static final long MEAN_SERVICE = 50 * MILLI;

    @Test
    void sizesOneHundredThousandArrivalsPerSecond() {
        SplittableRandom random = new SplittableRandom(42);
        CapacityPlanner planner = new CapacityPlanner(new SlidingWindow(), MILLI, 1, 1_000_000);
        long meanGap = Math.round(SECOND / ARRIVALS_PER_SECOND);
        long t = 0;
        while (t < 30 * SECOND) {
            t += exponential(random, meanGap);
            planner.window().recordArrival(t);
            planner.window().recordCompletion(t, exponential(random, MEAN_SERVICE));
        }
        CapacityPlan plan = planner.recompute(t);

        assertThat(plan.arrivalRate()).isCloseTo(ARRIVALS_PER_SECOND, within(ARRIVALS_PER_SECOND * 0.01));
        assertThat(plan.serviceRate()).isCloseTo(20, within(0.2));
        assertThat(plan.arrivalCv()).isCloseTo(1, within(0.05));
        assertThat(plan.serviceCv()).isCloseTo(1, within(0.05));
        // Little's law for the servers: L = λW, the mean number busy is λ times the mean service time.
        double busy = plan.arrivalRate() * planner.window().meanServiceNanos(t) / 1e9;
        assertThat(plan.offeredLoad()).isCloseTo(busy, within(1e-6));
        assertThat(plan.utilisation() * plan.servers()).isCloseTo(busy, within(1e-6));
        // Square-root staffing: c ≈ a + β√a with β of a few units for a wait of 1 ms against 50 ms service.
        assertThat(plan.servers()).isGreaterThan((int) busy).isLessThan((int) (busy + 4 * Math.sqrt(busy)));
        assertThat(plan.predictedWaitNanos()).isPositive().isLessThanOrEqualTo(MILLI);
        assertThat(plan.saturated()).isFalse();
        assertThat(plan.toString()).startsWith("in-flight " + plan.servers() + " (rho 0.9").hasSizeLessThan(100);

        // Cross-check with a simulated M/M/c at the recommended c: the measured queueing fits Little's
        // law (Lq = λ·Wq) and the mean wait is of the predicted size.
        Simulation sim = Simulation.run(plan.servers(), ARRIVALS_PER_SECOND, MEAN_SERVICE, 10 * SECOND, random);
        assertThat(sim.meanQueueLength()).isCloseTo(ARRIVALS_PER_SECOND * sim.meanWaitSeconds(), within(0.05 * sim.meanQueueLength() + 1e-3));
        assertThat(sim.meanWaitSeconds()).isLessThan(3e-3);
        assertThat(sim.meanBusy()).isCloseTo(busy, within(busy * 0.03));
    }

    @Test
    void idleUntilThereIsLoadThenTracksIt() {
        CapacityPlanner planner = new CapacityPlanner(new SlidingWindow(), 10 * MILLI, 4, 64);
        assertThat(planner.current().idle()).isTrue();
        assertThat(planner.current().servers()).isEqualTo(4);
        assertThat(planner.current().toString()).isEqualTo("in-flight 4 (no load measured)");

        for (long t = 0; t < 10 * SECOND; t += MILLI) {
            planner.window().recordArrival(t);
            planner.window().recordCompletion(t, 30 * MILLI);
        }
        CapacityPlan busy = planner.recompute(10 * SECOND);
        assertThat(busy.idle()).isFalse();
        assertThat(busy.servers()).isBetween(30, 40);
        assertThat(planner.current()).isSameAs(busy);

        assertThat(planner.recompute(50 * SECOND).servers()).isEqualTo(4);
    }

    @Test
    void theCeilingCapsTheLimitAndReportsSaturation() {
        CapacityPlanner planner = new CapacityPlanner(new SlidingWindow(), MILLI, 1, 10);
        for (long t = 0; t < 5 * SECOND; t += MILLI) {
            planner.window().recordArrival(t);
            planner.window().recordCompletion(t, 100 * MILLI);
        }
        CapacityPlan plan = planner.recompute(5 * SECOND);
        assertThat(plan.servers()).isEqualTo(10);
        assertThat(plan.saturated()).isTrue();
        assertThat(plan.predictedWaitNanos()).isEqualTo(Long.MAX_VALUE);
        assertThat(plan.toString()).contains("saturated");
    }

    /** A first-come first-served M/M/c queue in virtual time. */
    private record Simulation(double meanWaitSeconds, double meanQueueLength, double meanBusy) {

        static Simulation run(int servers, double arrivalsPerSecond, long meanServiceNanos, long duration,
                              SplittableRandom random) {
            PriorityQueue<Long> freeAt = new PriorityQueue<>(servers);
            for (int i = 0; i < servers; i++) freeAt.add(0L);
            long meanGap = Math.round(1e9 / arrivalsPerSecond);
            long warmUp = duration / 5;
            long t = 0;
            long measured = 0;
            double totalWait = 0;
            double totalService = 0;
            while (t < duration) {
                t += exponential(random, meanGap);
                long start = Math.max(t, freeAt.poll());
                long service = exponential(random, meanServiceNanos);
                freeAt.add(start + service);
                if (t < warmUp) continue;
                measured++;
                totalWait += start - t;
                totalService += service;
            }
            double window = (duration - warmUp) / 1e9;
            // The time-average queue length is the waiting time all arrivals spent, over the time.
            return new Simulation(totalWait / measured / 1e9, totalWait / 1e9 / window, totalService / 1e9 / window);
        }
    }
}
