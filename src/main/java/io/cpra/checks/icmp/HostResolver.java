package io.cpra.checks.icmp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Resolves ICMP host names on one named thread so the engine thread never waits for DNS. IPv4 only: a name
 * with only IPv6 addresses fails with a message saying so.
 */
final class HostResolver implements AutoCloseable {

    private static final IcmpProbe STOP = new IcmpProbe("0.0.0.0", 1, 1, 0, null, null);

    private final LinkedBlockingQueue<IcmpProbe> queue = new LinkedBlockingQueue<>();
    private final Thread thread = new Thread(this::run, "cpra-icmp-resolver");

    HostResolver() {
        thread.setDaemon(true);
        thread.start();
    }

    void submit(IcmpProbe probe) {
        queue.add(probe);
    }

    private void run() {
        try {
            for (IcmpProbe probe = queue.take(); probe != STOP; probe = queue.take()) resolve(probe);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void resolve(IcmpProbe probe) {
        try {
            for (InetAddress candidate : InetAddress.getAllByName(probe.host)) {
                if (candidate instanceof Inet4Address v4) {
                    byte[] b = v4.getAddress();
                    probe.resolvedTo((b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff), null);
                    return;
                }
            }
            probe.resolvedTo(0, "host " + probe.host + " has no IPv4 address (ICMP checks are IPv4 only)");
        } catch (UnknownHostException e) {
            probe.resolvedTo(0, "cannot resolve host " + probe.host);
        } catch (RuntimeException e) {
            probe.resolvedTo(0, "cannot resolve host " + probe.host + ": " + e.getMessage());
        }
    }

    /** The address of a dotted-quad IPv4 literal as a big-endian int, or null when {@code host} is not one. */
    static Integer parseIpv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) return null;
        int address = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) return null;
            int octet = Integer.parseInt(part);
            if (octet > 255) return null;
            address = address << 8 | octet;
        }
        return address;
    }

    @Override
    public void close() {
        queue.add(STOP);
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
