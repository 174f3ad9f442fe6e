package io.cpra.checks.icmp;

import io.cpra.checks.Probe;
import io.cpra.config.PulseSpec;
import io.cpra.config.PulseTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Owner of everything ICMP: the shared socket (or the ping program), its receiver thread and the host-name
 * resolver. The mode is chosen once, here, by trying in turn the ping socket, a raw socket and the
 * {@code ping} program; when none works every ICMP check fails with one message naming why each was
 * refused. See docs/icmp.md.
 *
 * <p>{@code ignore_privilege} is accepted and has no effect: CPRA always prefers the unprivileged ping
 * socket and falls back on its own.
 */
public final class IcmpProbes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IcmpProbes.class);

    /**
     * Which modes may be tried and where to look for {@code ping}; tests narrow it to force a mode.
     *
     * @param path a PATH-style list of directories
     */
    record Options(boolean pingSocket, boolean rawSocket, String path) {
        static Options system() {
            String path = System.getenv("PATH");
            return new Options(true, true, path == null ? "" : path);
        }
    }

    private final IcmpMode mode;
    private final EchoTransport transport;
    private final HostResolver resolver = new HostResolver();

    private IcmpProbes(IcmpMode mode, EchoTransport transport) {
        this.mode = mode;
        this.transport = transport;
    }

    /** Probes the machine's ICMP capability and logs the mode chosen. */
    public static IcmpProbes open() {
        return open(Options.system());
    }

    static IcmpProbes open(Options options) {
        List<String> refusals = new ArrayList<>();
        IcmpProbes probes = tryOpen(options, refusals);
        if (probes.mode == IcmpMode.UNAVAILABLE) log.warn("ICMP checks will fail: {}", probes.unavailableReason());
        else log.info("ICMP checks use {}{}", probes.mode.description(),
                refusals.isEmpty() ? "" : "; not used: " + String.join(", ", refusals));
        return probes;
    }

    private static IcmpProbes tryOpen(Options options, List<String> refusals) {
        short identifier = (short) ThreadLocalRandom.current().nextInt(1 << 16);
        try {
            if (!options.pingSocket()) refusals.add("ping socket disabled");
            else {
                try {
                    return new IcmpProbes(IcmpMode.PING_SOCKET, new EchoService(EchoSocket.open(EchoSocket.Kind.PING, identifier)));
                } catch (EchoSocket.Unavailable e) {
                    refusals.add(e.errno == Libc.EACCES
                            ? "ping socket denied (net.ipv4.ping_group_range)"
                            : "ping socket unavailable (" + Libc.describe(e.errno) + ")");
                }
            }
            if (!options.rawSocket()) refusals.add("raw socket disabled");
            else {
                try {
                    return new IcmpProbes(IcmpMode.RAW_SOCKET, new EchoService(EchoSocket.open(EchoSocket.Kind.RAW, identifier)));
                } catch (EchoSocket.Unavailable e) {
                    refusals.add(e.errno == Libc.EPERM || e.errno == Libc.EACCES
                            ? "raw socket needs CAP_NET_RAW"
                            : "raw socket unavailable (" + Libc.describe(e.errno) + ")");
                }
            }
        } catch (LinkageError e) {
            // not Linux, or native access refused: the sockets are out, the ping program may still work
            refusals.add("ICMP sockets unavailable (" + e + ")");
        }
        Path ping = findOnPath("ping", options.path());
        if (ping != null) return new IcmpProbes(IcmpMode.PING_PROGRAM, new PingProgram(ping));
        refusals.add("ping program not found");
        String reason = "ICMP unavailable: " + String.join(", ", refusals);
        return new IcmpProbes(IcmpMode.UNAVAILABLE, new EchoTransport.Unavailable(reason));
    }

    private static Path findOnPath(String program, String path) {
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isEmpty()) continue;
            Path candidate = Path.of(directory, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return candidate;
        }
        return null;
    }

    public IcmpMode mode() {
        return mode;
    }

    /** Why no mode works, or null when one does. */
    public String unavailableReason() {
        return transport instanceof EchoTransport.Unavailable(String reason) ? reason : null;
    }

    /**
     * A probe for an {@code icmp} pulse: {@code count} echo requests per attempt, success when at least one
     * reply arrives within the timeout; {@code latencyNanos} is the mean round-trip time of the replies.
     *
     * @throws IllegalArgumentException when the pulse is not an ICMP one
     */
    public Probe prepare(PulseSpec pulse) {
        if (!(pulse.target() instanceof PulseTarget.Icmp(String host, int count, _))) {
            throw new IllegalArgumentException("not an icmp pulse: " + pulse.type());
        }
        return new IcmpProbe(host, Math.max(1, count), pulse.timeoutNanos(), pulse.retries(), transport, resolver);
    }

    @Override
    public void close() {
        transport.close();
        resolver.close();
    }
}
