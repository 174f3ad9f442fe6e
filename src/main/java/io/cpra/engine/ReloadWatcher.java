package io.cpra.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reloads when a monitor file changes ({@code cpra run --watch}). Watches the directory of each file given
 * (for that file's name only) and each directory given (for any file not starting with a dot), and once the
 * events have stopped for the debounce runs one reload: an editor or a deploy writes in several steps, and
 * a half-written file must not be loaded (if it is, the reload refuses it and the next event retries).
 */
public final class ReloadWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReloadWatcher.class);

    private final WatchService watcher;
    /** Per watched directory: the file names that count, or null when every file counts. */
    private final Map<WatchKey, Set<Path>> watched = new HashMap<>();
    private final long debounceNanos;
    private final Runnable reload;
    private final Thread thread;

    public ReloadWatcher(List<Path> paths, Duration debounce, Runnable reload) throws IOException {
        this.watcher = FileSystems.getDefault().newWatchService();
        this.debounceNanos = debounce.toNanos();
        this.reload = reload;
        Map<Path, Set<Path>> names = new HashMap<>();
        Set<Path> wholeDirectories = new HashSet<>();
        for (Path p : paths) {
            Path path = p.toAbsolutePath().normalize();
            if (Files.isDirectory(path)) wholeDirectories.add(path);
            else names.computeIfAbsent(path.getParent(), d -> new HashSet<>()).add(path.getFileName());
        }
        for (Path dir : wholeDirectories) names.remove(dir);
        for (Path dir : wholeDirectories) watched.put(register(dir), null);
        for (Map.Entry<Path, Set<Path>> e : names.entrySet()) watched.put(register(e.getKey()), e.getValue());
        this.thread = Thread.ofPlatform().daemon().name("cpra-reload-watcher").start(this::run);
    }

    private WatchKey register(Path dir) throws IOException {
        return dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
    }

    private void run() {
        try {
            while (true) {
                if (!relevant(watcher.take())) continue;
                WatchKey more;
                while ((more = watcher.poll(debounceNanos, TimeUnit.NANOSECONDS)) != null) relevant(more);
                try {
                    reload.run();
                } catch (RuntimeException e) { // a bug must not end the watching
                    log.error("reload after a file change failed", e);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    /** Consumes the key's events: whether any is about a monitor file. */
    private boolean relevant(WatchKey key) {
        Set<Path> names = watched.get(key);
        boolean relevant = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                relevant = true;
            } else if (event.context() instanceof Path name) {
                relevant |= names == null ? !name.toString().startsWith(".") : names.contains(name);
            }
        }
        key.reset();
        return relevant;
    }

    @Override
    public void close() throws IOException {
        watcher.close();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
