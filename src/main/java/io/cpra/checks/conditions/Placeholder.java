package io.cpra.checks.conditions;

/** The values a condition can test, written {@code [NAME]} in expressions. */
public enum Placeholder {
    STATUS, RESPONSE_TIME, BODY, CERTIFICATE_EXPIRATION, CONNECTED, DNS_RCODE;

    static Placeholder named(String name) {
        for (Placeholder p : values()) if (p.name().equals(name)) return p;
        return null;
    }

    static String known() {
        StringBuilder b = new StringBuilder();
        for (Placeholder p : values()) b.append(b.isEmpty() ? "" : ", ").append('[').append(p.name()).append(']');
        return b.toString();
    }
}
