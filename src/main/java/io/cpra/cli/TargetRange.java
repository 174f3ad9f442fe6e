package io.cpra.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code HOST:PORT} or {@code HOST:FIRST-LAST}: where generated monitors point. HOST is a host name, an
 * IPv4 address or a bracketed IPv6 address such as {@code [::1]}.
 *
 * @param host as written, usable in a URL
 */
record TargetRange(String host, int firstPort, int lastPort) {

    private static final Pattern FORM =
            Pattern.compile("([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+]):(\\d{1,5})(?:-(\\d{1,5}))?");

    /** The host without IPv6 brackets, as tcp and icmp configs take it. */
    String bareHost() {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    int portCount() {
        return lastPort - firstPort + 1;
    }

    /** Ports are handed out round-robin by monitor index. */
    int portFor(long index) {
        return firstPort + (int) (index % portCount());
    }

    static TargetRange parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new TypeConversionException("'" + text + "' is not HOST:PORT or HOST:FIRST-LAST");
        }
        int first = port(m.group(2));
        int last = m.group(3) == null ? first : port(m.group(3));
        if (last < first) throw new TypeConversionException("port range " + first + "-" + last + " is empty");
        return new TargetRange(m.group(1), first, last);
    }

    private static int port(String digits) {
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65535) throw new TypeConversionException("port " + port + " is outside 1-65535");
        return port;
    }

    /** Lets picocli parse {@code --targets}. */
    static final class Converter implements ITypeConverter<TargetRange> {
        @Override
        public TargetRange convert(String value) {
            return parse(value);
        }
    }
}
