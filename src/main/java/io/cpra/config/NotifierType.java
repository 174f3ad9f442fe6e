package io.cpra.config;

import java.util.Locale;

public enum NotifierType {
    LOG, SLACK, PAGERDUTY, WEBHOOK, EMAIL;

    public String key() { return name().toLowerCase(Locale.ROOT); }

    public static NotifierType parse(String key) {
        for (NotifierType t : values()) if (t.key().equals(key)) return t;
        return null;
    }
}
