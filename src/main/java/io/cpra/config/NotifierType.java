package io.cpra.config;

import java.util.Locale;

public enum NotifierType {
    LOG, SLACK, PAGERDUTY, WEBHOOK, EMAIL;

    private static final NotifierType[] VALUES = values();
    private final String key = name().toLowerCase(Locale.ROOT);

    public String key() { return key; }

    public static NotifierType parse(String key) {
        for (NotifierType t : VALUES) if (t.key().equals(key)) return t;
        return null;
    }
}
