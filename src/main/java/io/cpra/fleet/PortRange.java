package io.cpra.fleet;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code FIRST-LAST} or a single {@code PORT}, both ends included. */
public record PortRange(int first, int last) {

    private static final Pattern FORM = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?");

    public PortRange {
        if (first < 1 || last > 65_535) throw new IllegalArgumentException("ports must be within 1-65535, got " + first + "-" + last);
        if (last < first) throw new IllegalArgumentException("port range " + first + "-" + last + " is empty");
    }

    public static PortRange parse(String text) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) throw new IllegalArgumentException("'" + text + "' is not PORT or FIRST-LAST");
        int first = Integer.parseInt(m.group(1));
        return new PortRange(first, m.group(2) == null ? first : Integer.parseInt(m.group(2)));
    }

    public int size() {
        return last - first + 1;
    }

    public boolean contains(int port) {
        return port >= first && port <= last;
    }

    /** The port's position in the range, from 0. */
    int indexOf(int port) {
        if (!contains(port)) throw new IllegalArgumentException("port " + port + " is not in the fleet's range " + this);
        return port - first;
    }

    @Override
    public String toString() {
        return first == last ? Integer.toString(first) : first + "-" + last;
    }
}
