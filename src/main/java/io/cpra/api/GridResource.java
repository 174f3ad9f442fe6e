package io.cpra.api;

import io.cpra.engine.Engine;
import io.cpra.engine.OperatorViews.GridCells;
import io.cpra.engine.OperatorViews.GridLayout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The dashboard's grid of every monitor, without a JSON object per monitor:
 * <ul>
 *   <li>{@code GET /api/v1/grid}: one byte per monitor in grid order, {@code state | colour << 3} (state as
 *       {@code MonitorState} ordinal, colour as ordinal + 1 of yellow, red, cyan, green, gray, 0 = none),
 *       gzipped when the client accepts it; the layout version in {@code X-Grid-Version}.</li>
 *   <li>{@code GET /api/v1/grid/layout}: the version and the groups with their number of cells, in order.</li>
 *   <li>{@code GET /api/v1/grid/names?version=&from=&count=}: the names of a range of cells, for hover and
 *       click; 409 when the layout changed meanwhile.</li>
 * </ul>
 * Grid order: grouped by first group (sorted, ungrouped last), slot order within a group. The order is
 * kept here between layout changes, so a poll costs one byte copy per monitor on the engine thread.
 */
final class GridResource {

    static final int MAX_NAMES = 4_096;
    private static final int GZIP_ABOVE = 8 * 1024;

    record Group(String name, int count) {}

    record Layout(long version, int total, List<Group> groups) {}

    record Names(long version, int from, List<String> names) {}

    private final Engine engine;
    private volatile GridLayout layout;

    GridResource(Engine engine) {
        this.engine = engine;
    }

    void routes(Router r) {
        r.add("GET", "/api/v1/grid", this::cells)
                .add("GET", "/api/v1/grid/layout", c -> Reply.ok(describe(currentLayout())))
                .add("GET", "/api/v1/grid/names", this::names);
    }

    private Reply cells(Call c) {
        GridCells cells = engine.gridCells();
        GridLayout l = layout;
        if (l == null || l.version() != cells.version()) l = refresh();
        int[] slots = l.slots();
        byte[] out = new byte[slots.length];
        for (int i = 0; i < slots.length; i++) {
            int slot = slots[i];
            out[i] = slot < cells.cells().length ? cells.cells()[slot] : GridCells.FREE;
        }
        Map<String, String> headers = new HashMap<>();
        headers.put("X-Grid-Version", Long.toString(l.version()));
        headers.put("Cache-Control", "no-store");
        String accept = c.exchange.getRequestHeaders().getFirst("Accept-Encoding");
        if (out.length > GZIP_ABOVE && accept != null && accept.contains("gzip")) {
            out = gzip(out);
            headers.put("Content-Encoding", "gzip");
        }
        return new Reply(200, "application/octet-stream", out, headers);
    }

    private Reply names(Call c) {
        long version = c.longQuery("version");
        GridLayout l = currentLayout();
        if (l.version() != version) throw HttpError.conflict("grid layout changed: fetch /api/v1/grid/layout again");
        int from = c.intQuery("from", 0, 0, Math.max(0, l.slots().length - 1));
        int count = c.intQuery("count", 256, 1, MAX_NAMES);
        int to = Math.min(l.slots().length, from + count);
        List<String> names = engine.names(version, Arrays.copyOfRange(l.slots(), from, to));
        if (names == null) throw HttpError.conflict("grid layout changed: fetch /api/v1/grid/layout again");
        return Reply.ok(new Names(version, from, names));
    }

    private GridLayout currentLayout() {
        GridLayout l = layout;
        return l != null && l.version() == engine.gridVersion() ? l : refresh();
    }

    private synchronized GridLayout refresh() {
        GridLayout l = engine.gridLayout();
        layout = l;
        return l;
    }

    private static Layout describe(GridLayout l) {
        List<Group> groups = new ArrayList<>(l.groupNames().size());
        for (int i = 0; i < l.groupNames().size(); i++) groups.add(new Group(l.groupNames().get(i), l.groupCounts()[i]));
        return new Layout(l.version(), l.slots().length, groups);
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(bytes.length / 8 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(buffer, 64 * 1024)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }
}
