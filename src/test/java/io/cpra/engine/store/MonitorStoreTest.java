package io.cpra.engine.store;

import io.cpra.engine.MonitorState;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MonitorStoreTest {

    @Test
    void aFreedSlotIsReusedWithANewGenerationAndCleanColumns() {
        MonitorStore store = new MonitorStore(4);
        int a = store.allocate("a", MonitorState.UNKNOWN_CODE);
        store.failures[a] = 3;
        store.set(a, MonitorStore.INCIDENT_OPEN);
        int generation = store.generation[a];

        store.free(a);
        int b = store.allocate("b", MonitorState.HEALTHY_CODE);

        assertThat(b).isEqualTo(a);
        assertThat(store.generation[b]).isNotEqualTo(generation);
        assertThat(store.failures[b]).isZero();
        assertThat(store.has(b, MonitorStore.INCIDENT_OPEN)).isFalse();
        assertThat(store.find("a")).isEqualTo(-1);
        assertThat(store.find("b")).isEqualTo(b);
        assertThat(store.count(MonitorState.HEALTHY_CODE)).isEqualTo(1);
        assertThat(store.count(MonitorState.UNKNOWN_CODE)).isZero();
    }

    @Test
    void aTakenNameIsRejected() {
        MonitorStore store = new MonitorStore(4);
        store.allocate("a", MonitorState.UNKNOWN_CODE);
        assertThatThrownBy(() -> store.allocate("a", MonitorState.UNKNOWN_CODE))
                .hasMessage("duplicate monitor name: a");
    }

    /** Names survive growth, rehashing and removals in any order (backward-shift deletion). */
    @Test
    void namesStayFindableThroughGrowthAndRandomRemovals() {
        MonitorStore store = new MonitorStore(16);
        Map<String, Integer> live = new HashMap<>();
        Random random = new Random(3);
        for (int round = 0; round < 50_000; round++) {
            String name = "monitor-" + random.nextInt(5_000) + "-ü";
            Integer slot = live.get(name);
            if (slot == null) {
                live.put(name, store.allocate(name, MonitorState.UNKNOWN_CODE));
            } else if (random.nextBoolean()) {
                store.free(slot);
                live.remove(name);
            }
        }
        live.forEach((name, slot) -> {
            assertThat(store.find(name)).isEqualTo(slot);
            assertThat(store.name(slot)).isEqualTo(name);
        });
        assertThat(store.size()).isEqualTo(live.size());
        assertThat(store.find("monitor-none")).isEqualTo(-1);
    }
}
