package io.cpra.checks;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How {@link NettyProbeFactory} runs its network checks.
 *
 * @param ioThreads             event loop threads, named {@code cpra-check-N}
 * @param maxConnectionsPerHost keep-alive pool bound per (host, port, tls); more checks wait for a free one
 * @param idleTimeout           an idle pooled connection is closed after this long
 * @param trustedCertificates   PEM file of CA certificates that replaces the JDK trust store, or null
 * @param nameServers           DNS servers to ask, or empty for the system's /etc/resolv.conf
 */
public record ProbeSettings(int ioThreads, int maxConnectionsPerHost, Duration idleTimeout,
                            Path trustedCertificates, List<InetSocketAddress> nameServers) {

    public ProbeSettings {
        if (ioThreads < 1) throw new IllegalArgumentException("ioThreads must be >= 1, got " + ioThreads);
        if (maxConnectionsPerHost < 1) {
            throw new IllegalArgumentException("maxConnectionsPerHost must be >= 1, got " + maxConnectionsPerHost);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive, got " + idleTimeout);
        }
        nameServers = List.copyOf(nameServers);
    }

    public static ProbeSettings defaults() {
        return new ProbeSettings(Runtime.getRuntime().availableProcessors(), 8, Duration.ofSeconds(30), null, List.of());
    }

    public ProbeSettings withIoThreads(int threads) {
        return new ProbeSettings(threads, maxConnectionsPerHost, idleTimeout, trustedCertificates, nameServers);
    }

    public ProbeSettings withMaxConnectionsPerHost(int max) {
        return new ProbeSettings(ioThreads, max, idleTimeout, trustedCertificates, nameServers);
    }

    public ProbeSettings withTrustedCertificates(Path pemFile) {
        return new ProbeSettings(ioThreads, maxConnectionsPerHost, idleTimeout, pemFile, nameServers);
    }

    public ProbeSettings withNameServers(List<InetSocketAddress> servers) {
        return new ProbeSettings(ioThreads, maxConnectionsPerHost, idleTimeout, trustedCertificates, servers);
    }
}
