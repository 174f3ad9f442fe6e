package io.cpra.engine.scheduler;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TimingWheelTest {

    private static final long RES = 1_000_000L;

    /**
     * Against a plain array of due times: every scheduled id comes out at the first poll whose time has
     * reached its due time, never earlier, never twice, in step order within a poll, whatever the jumps
     * (within a bucket, across level-1 slots, beyond level 1's span) and whatever the handler reschedules.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 7, 99})
    void everyIdComesOutAtTheFirstPollAtOrAfterItsDueTime(long seed) {
        Random random = new Random(seed);
        int ids = 500;
        long now = -5_000 * RES + random.nextInt(1_000); // negative times work too (System.nanoTime may be)
        TimingWheel wheel = new TimingWheel(ids, 16, RES, now); // tiny levels: 16 ms, 256 ms
        long[] due = new long[ids];
        boolean[] scheduled = new boolean[ids];
        boolean[] past = new boolean[ids]; // scheduled for a time already passed: comes out first thing, unordered
        for (int round = 0; round < 20_000; round++) {
            int id = random.nextInt(ids);
            switch (random.nextInt(4)) {
                case 0, 1 -> {
                    long at = now + spread(random);
                    wheel.schedule(id, at);
                    due[id] = at;
                    scheduled[id] = true;
                    past[id] = at <= now;
                }
                case 2 -> {
                    wheel.cancel(id);
                    scheduled[id] = false;
                }
                default -> {
                    long to = now + (random.nextInt(10) == 0 ? random.nextInt(2_000) * RES : random.nextInt(3 * (int) RES));
                    long pollTime = to;
                    List<Long> out = new ArrayList<>();
                    wheel.poll(pollTime, (i, d) -> {
                        assertThat(scheduled[i]).as("id %d handed out once", i).isTrue();
                        assertThat(d).isEqualTo(due[i]).isLessThanOrEqualTo(pollTime);
                        scheduled[i] = false;
                        if (!past[i]) out.add(d);
                        if (random.nextInt(4) == 0) { // reschedule from the handler, sometimes for the past
                            long at = pollTime + spread(random);
                            wheel.schedule(i, at);
                            due[i] = at;
                            scheduled[i] = true;
                            past[i] = at <= pollTime;
                        }
                    });
                    now = to;
                    for (int i = 0; i < ids; i++) {
                        if (scheduled[i] && due[i] <= now) {
                            // only a reschedule into the past from the handler may wait for the next poll
                            wheel.poll(now, (j, d) -> scheduled[j] = false);
                            assertThat(scheduled[i]).as("id %d due %d left behind at %d", i, due[i], now).isFalse();
                        }
                    }
                    for (int i = 1; i < out.size(); i++) {
                        assertThat(Math.floorDiv(out.get(i), RES)).isGreaterThanOrEqualTo(Math.floorDiv(out.get(i - 1), RES));
                    }
                }
            }
            int count = 0;
            for (boolean b : scheduled) if (b) count++;
            assertThat(wheel.size()).isEqualTo(count);
        }
    }

    private static long spread(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> -random.nextInt(50) * RES;          // already past
            case 1 -> random.nextInt(20) * RES;           // this level-0 rotation
            case 2 -> random.nextInt(300) * RES;          // level 1
            default -> random.nextInt(5_000) * RES;       // beyond level 1's span
        };
    }

    @Test
    void aPollCostsTheDueIdsNotTheScheduledOnes() {
        TimingWheel wheel = new TimingWheel(100_000, 4096, RES, 0);
        for (int i = 0; i < 100_000; i++) wheel.schedule(i, 3_600_000 * RES + i);
        int[] handed = {0};
        for (long t = 0; t < 10_000; t++) wheel.poll(t * RES, (id, d) -> handed[0]++);
        assertThat(handed[0]).isZero();
        assertThat(wheel.size()).isEqualTo(100_000);
    }

    /**
     * A limited poll hands out at most its limit, oldest bucket first, and leaves the rest scheduled
     * unchanged: over several limited polls every due id comes out once, in bucket order, as one unlimited
     * poll would hand them out.
     */
    @ParameterizedTest(name = "limit {0}")
    @ValueSource(ints = {1, 7, 64, 1_000})
    void aLimitedPollLeavesTheRestScheduledUnchangedInTimeOrder(int limit) {
        Random random = new Random(limit);
        int ids = 2_000;
        TimingWheel wheel = new TimingWheel(ids, 16, RES, 0); // tiny levels: 16 ms, 256 ms
        long[] due = new long[ids];
        for (int i = 0; i < ids; i++) wheel.schedule(i, due[i] = random.nextInt(2_000) * RES + random.nextInt((int) RES));
        long now = 0;
        List<Long> out = new ArrayList<>();
        boolean[] handed = new boolean[ids];
        while (out.size() < ids) {
            now += random.nextInt(400) * RES;
            long pollTime = now;
            int before = out.size();
            int n = wheel.poll(pollTime, (id, d) -> {
                assertThat(handed[id]).isFalse();
                assertThat(d).isEqualTo(due[id]).isLessThanOrEqualTo(pollTime);
                handed[id] = true;
                out.add(d);
            }, limit);
            assertThat(n).isEqualTo(out.size() - before).isLessThanOrEqualTo(limit);
            long dueNow = java.util.stream.IntStream.range(0, ids).filter(i -> !handed[i] && due[i] <= pollTime).count();
            if (n < limit) assertThat(dueNow).as("a poll under its limit leaves nothing due").isZero();
            for (int i = 0; i < ids; i++) {
                if (handed[i]) continue;
                assertThat(wheel.isScheduled(i)).isTrue();
                assertThat(wheel.dueNanos(i)).isEqualTo(due[i]);
            }
        }
        for (int i = 1; i < out.size(); i++) {
            assertThat(Math.floorDiv(out.get(i), RES)).isGreaterThanOrEqualTo(Math.floorDiv(out.get(i - 1), RES));
        }
        assertThat(wheel.size()).isZero();
    }
}
