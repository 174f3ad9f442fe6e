package io.cpra.fleet;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * How a {@link Fleet} listens and what it bounds.
 *
 * @param host            an IPv4 loopback address (127.0.0.0/8): the fleet never listens beyond the machine
 * @param ports           the range of ports that answer
 * @param adminPort       the management port on 127.0.0.1; {@link #NO_ADMIN} for none, 0 for any free port
 * @param threads         event loop threads
 * @param maxConnections  open connections over all ports; more are closed at once and counted as refused
 * @param maxRequestBytes the largest request body accepted (larger gets 413); headers are capped at 8 KiB
 */
public record FleetSettings(InetAddress host, PortRange ports, int adminPort, int threads, int maxConnections,
                            int maxRequestBytes) {

    public static final int NO_ADMIN = -1;
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final int DEFAULT_MAX_REQUEST_BYTES = 16 * 1024;

    public FleetSettings {
        requireLoopback(host);
        if (adminPort < NO_ADMIN || adminPort > 65_535) throw new IllegalArgumentException("admin port must be within 0-65535, got " + adminPort);
        if (adminPort > 0 && ports.contains(adminPort)) {
            throw new IllegalArgumentException("admin port " + adminPort + " is inside the fleet's range " + ports);
        }
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (maxConnections < 1) throw new IllegalArgumentException("max connections must be >= 1, got " + maxConnections);
        if (maxRequestBytes < 0) throw new IllegalArgumentException("max request bytes must be >= 0, got " + maxRequestBytes);
    }

    /** 127.0.0.1, no admin port, one or two threads, default bounds. */
    public static FleetSettings of(PortRange ports) {
        return new FleetSettings(loopback("127.0.0.1"), ports, NO_ADMIN, defaultThreads(),
                DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_REQUEST_BYTES);
    }

    public FleetSettings withAdminPort(int port) {
        return new FleetSettings(host, ports, port, threads, maxConnections, maxRequestBytes);
    }

    public FleetSettings withThreads(int count) {
        return new FleetSettings(host, ports, adminPort, count, maxConnections, maxRequestBytes);
    }

    public FleetSettings withMaxConnections(int count) {
        return new FleetSettings(host, ports, adminPort, threads, count, maxRequestBytes);
    }

    public FleetSettings withHost(InetAddress address) {
        return new FleetSettings(address, ports, adminPort, threads, maxConnections, maxRequestBytes);
    }

    public static int defaultThreads() {
        return Math.min(2, Runtime.getRuntime().availableProcessors());
    }

    /**
     * An IPv4 literal in 127.0.0.0/8, or {@code localhost}; anything else is refused without a DNS lookup,
     * so that a simulator of failing services can never be reached from another machine.
     */
    public static InetAddress loopback(String host) {
        String text = host.strip();
        if (text.equalsIgnoreCase("localhost")) text = "127.0.0.1";
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(text);
        if (address == null) {
            throw new IllegalArgumentException("host '" + host + "' is not an IP address: the fleet listens only on 127.0.0.0/8");
        }
        requireLoopback(address);
        return address;
    }

    private static void requireLoopback(InetAddress address) {
        if (!(address instanceof Inet4Address) || address.getAddress()[0] != 127) {
            throw new IllegalArgumentException("refusing to listen on " + address.getHostAddress()
                    + ": the fleet listens only on loopback addresses 127.0.0.0/8");
        }
    }
}
