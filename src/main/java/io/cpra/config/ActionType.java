package io.cpra.config;

import java.util.Locale;

public enum ActionType {
    DOCKER, SCRIPT, WEBHOOK;

    private static final ActionType[] VALUES = values();
    private final String key = name().toLowerCase(Locale.ROOT);

    public String key() { return key; }

    public static ActionType parse(String key) {
        for (ActionType t : VALUES) if (t.key().equals(key)) return t;
        return null;
    }
}
