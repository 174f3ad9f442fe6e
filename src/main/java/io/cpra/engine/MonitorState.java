package io.cpra.engine;

/** The states of LIFECYCLE.md. Stored per monitor as the byte {@link #code()}. */
public enum MonitorState {
    UNKNOWN, HEALTHY, DEGRADED, REMEDIATING, VERIFYING, UNHEALTHY, PAUSED;

    public static final byte UNKNOWN_CODE = 0;
    public static final byte HEALTHY_CODE = 1;
    public static final byte DEGRADED_CODE = 2;
    public static final byte REMEDIATING_CODE = 3;
    public static final byte VERIFYING_CODE = 4;
    public static final byte UNHEALTHY_CODE = 5;
    public static final byte PAUSED_CODE = 6;

    private static final MonitorState[] VALUES = values();

    public byte code() { return (byte) ordinal(); }

    public static MonitorState of(byte code) { return VALUES[code]; }
}
