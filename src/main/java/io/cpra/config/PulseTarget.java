package io.cpra.config;

import java.net.URI;
import java.util.List;

/** What a pulse check talks to; one record per pulse type. */
public sealed interface PulseTarget {

    /**
     * @param expectedStatus accepted status codes; empty means any 2xx
     * @param bodyContains   substring the body must contain, or null
     */
    record Http(URI url, String method, List<Header> headers, List<Integer> expectedStatus,
                String bodyContains, boolean followRedirects) implements PulseTarget {}

    record Tcp(String host, int port) implements PulseTarget {}

    record Icmp(String host, int count, boolean ignorePrivilege) implements PulseTarget {}

    /** New: a DNS query. {@code server} null means the system resolver. */
    record Dns(String name, String recordType, String server, List<String> expected) implements PulseTarget {}

    /** New: TLS handshake and certificate expiry. */
    record Tls(String host, int port, String serverName) implements PulseTarget {}
}
