package io.cpra.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Real files, the platform's watch service: one reload per burst of writes, none for other files. */
class ReloadWatcherTest {

    private static final Duration DEBOUNCE = Duration.ofMillis(500);

    @TempDir
    Path dir;

    private final AtomicInteger reloads = new AtomicInteger();

    @Test
    void aBurstOfWritesToTheFileReloadsOnceOtherFilesNever() throws Exception {
        Path file = Files.writeString(dir.resolve("monitors.yaml"), "monitors: []\n");
        try (ReloadWatcher ignored = new ReloadWatcher(List.of(file), DEBOUNCE, reloads::incrementAndGet)) {
            Files.writeString(dir.resolve("notes.txt"), "not a monitor file");
            Thread.sleep(3 * DEBOUNCE.toMillis());
            assertThat(reloads).hasValue(0);

            for (int i = 0; i < 5; i++) {
                Files.writeString(file, "monitors: [] # " + i + "\n");
                Thread.sleep(DEBOUNCE.toMillis() / 10);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> reloads.get() == 1);
            Thread.sleep(3 * DEBOUNCE.toMillis());
            assertThat(reloads).as("one reload for the burst").hasValue(1);
        }
    }

    @Test
    void aNewFileInAWatchedDirectoryReloadsAHiddenOneDoesNot() throws Exception {
        try (ReloadWatcher ignored = new ReloadWatcher(List.of(dir), DEBOUNCE, reloads::incrementAndGet)) {
            Files.writeString(dir.resolve(".swap"), "editor state");
            Thread.sleep(3 * DEBOUNCE.toMillis());
            assertThat(reloads).hasValue(0);

            Files.writeString(dir.resolve("more.yaml"), "monitors: []\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> reloads.get() == 1);
        }
    }

    @Test
    void aFailingReloadDoesNotEndTheWatching() throws Exception {
        Path file = Files.writeString(dir.resolve("monitors.yaml"), "monitors: []\n");
        try (ReloadWatcher ignored = new ReloadWatcher(List.of(file), DEBOUNCE, () -> {
            reloads.incrementAndGet();
            throw new IllegalStateException("bug");
        })) {
            Files.writeString(file, "monitors: [] # 1\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> reloads.get() == 1);
            Files.writeString(file, "monitors: [] # 2\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> reloads.get() == 2);
        }
    }

    @Test
    void closingStopsTheWatching() throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("monitors.yaml"), "monitors: []\n");
        new ReloadWatcher(List.of(file), DEBOUNCE, reloads::incrementAndGet).close();
        Files.writeString(file, "monitors: [] # changed\n");
        Thread.sleep(3 * DEBOUNCE.toMillis());
        assertThat(reloads).hasValue(0);
    }
}
