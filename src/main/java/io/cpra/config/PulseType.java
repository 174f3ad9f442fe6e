package io.cpra.config;

import java.util.Locale;

public enum PulseType {
    HTTP, TCP, ICMP, DNS, TLS;

    public String key() { return name().toLowerCase(Locale.ROOT); }

    public static PulseType parse(String key) {
        for (PulseType t : values()) if (t.key().equals(key)) return t;
        return null;
    }
}
