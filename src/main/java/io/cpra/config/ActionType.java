package io.cpra.config;

import java.util.Locale;

public enum ActionType {
    DOCKER, SCRIPT, WEBHOOK;

    public String key() { return name().toLowerCase(Locale.ROOT); }

    public static ActionType parse(String key) {
        for (ActionType t : values()) if (t.key().equals(key)) return t;
        return null;
    }
}
