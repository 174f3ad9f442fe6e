package io.cpra.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NameRegistryTest {

    @Test
    void remembersWhereEachNameFirstAppearedAcrossGrowth() {
        NameRegistry names = new NameRegistry();
        int n = 200_000;
        for (int i = 0; i < n; i++) assertThat(names.register("monitor-" + i, i % 3, i + 1)).isEqualTo(-1);
        for (int i = 0; i < n; i += 997) {
            long first = names.register("monitor-" + i, 9, 1);
            assertThat((int) (first >>> 32)).isEqualTo(i % 3);
            assertThat((int) first).isEqualTo(i + 1);
        }
        assertThat(names.register("monitor-" + n, 0, 1)).isEqualTo(-1);
    }
}
