package io.cpra.config;

import java.util.Locale;

public enum PulseType {
    HTTP, TCP, ICMP, DNS, TLS;

    private static final PulseType[] VALUES = values();
    private final String key = name().toLowerCase(Locale.ROOT);

    public String key() { return key; }

    public static PulseType parse(String key) {
        for (PulseType t : VALUES) if (t.key().equals(key)) return t;
        return null;
    }
}
