package io.cpra.fleet;

/** How a request to the fleet ended: its status class, or hung, or reset. */
public enum Outcome {
    STATUS_1XX("1xx"), STATUS_2XX("2xx"), STATUS_3XX("3xx"), STATUS_4XX("4xx"), STATUS_5XX("5xx"),
    HANG("hang"), RESET("reset");

    static final Outcome[] VALUES = values();

    /** The name in the stats JSON. */
    public final String key;

    Outcome(String key) {
        this.key = key;
    }

    static Outcome ofStatus(int status) {
        return VALUES[Math.clamp(status / 100 - 1, 0, STATUS_5XX.ordinal())];
    }
}
