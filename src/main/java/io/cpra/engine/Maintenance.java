package io.cpra.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Maintenance windows, owned by the engine thread. A window pauses its monitors (by name or by group)
 * from start to end of wall time as the engine's clock tells it; the engine asks {@link #due} each tick and
 * re-evaluates the windows only when a start or end has passed.
 */
final class Maintenance {

    static final class Window {
        final long id;
        final Set<String> monitors;
        final Set<String> groups;
        final long startMillis;
        final long endMillis;
        boolean active;

        Window(long id, Set<String> monitors, Set<String> groups, long startMillis, long endMillis) {
            this.id = id;
            this.monitors = monitors;
            this.groups = groups;
            this.startMillis = startMillis;
            this.endMillis = endMillis;
        }

        boolean covers(String name, List<String> monitorGroups) {
            if (monitors.contains(name)) return true;
            for (String g : monitorGroups) if (groups.contains(g)) return true;
            return false;
        }

        boolean coversGroups(List<String> monitorGroups) {
            for (String g : monitorGroups) if (groups.contains(g)) return true;
            return false;
        }
    }

    final List<Window> windows = new ArrayList<>();
    private long nextId = 1;
    private long nextChangeMillis = Long.MAX_VALUE;

    Window add(Set<String> monitors, Set<String> groups, long startMillis, long endMillis) {
        Window w = new Window(nextId++, monitors, groups, startMillis, endMillis);
        windows.add(w);
        nextChangeMillis = Math.min(nextChangeMillis, startMillis);
        return w;
    }

    boolean due(long wallMillis) {
        return wallMillis >= nextChangeMillis;
    }

    /** Marks what should be active at {@code wallMillis}, drops ended windows; @return windows that changed */
    List<Window> advance(long wallMillis) {
        List<Window> changed = new ArrayList<>();
        long next = Long.MAX_VALUE;
        for (var it = windows.iterator(); it.hasNext(); ) {
            Window w = it.next();
            boolean active = wallMillis >= w.startMillis && wallMillis < w.endMillis;
            if (active != w.active) {
                w.active = active;
                changed.add(w);
            }
            if (wallMillis >= w.endMillis) {
                it.remove();
            } else {
                next = Math.min(next, active ? w.endMillis : w.startMillis);
            }
        }
        nextChangeMillis = next;
        return changed;
    }

    /** @return the removed window, or null */
    Window remove(long id) {
        for (var it = windows.iterator(); it.hasNext(); ) {
            Window w = it.next();
            if (w.id == id) {
                it.remove();
                return w;
            }
        }
        return null;
    }

    boolean covered(String name, List<String> groups) {
        for (Window w : windows) if (w.active && w.covers(name, groups)) return true;
        return false;
    }

    int active() {
        int n = 0;
        for (Window w : windows) if (w.active) n++;
        return n;
    }
}
