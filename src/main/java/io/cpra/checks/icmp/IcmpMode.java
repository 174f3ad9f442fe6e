package io.cpra.checks.icmp;

/** How this process sends echo requests, chosen once at start in this order of preference. */
public enum IcmpMode {
    /** {@code socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)}: allowed by {@code net.ipv4.ping_group_range}. */
    PING_SOCKET("the unprivileged ping socket"),
    /** {@code socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)}: needs CAP_NET_RAW. */
    RAW_SOCKET("a raw socket (CAP_NET_RAW)"),
    /** One {@code ping} process per check. */
    PING_PROGRAM("the ping program"),
    /** Every ICMP check fails with the reason. */
    UNAVAILABLE("nothing");

    private final String description;

    IcmpMode(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
