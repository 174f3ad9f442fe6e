package io.cpra.checks.conditions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What one check observed, as conditions see it. A probe fills it while the check runs (one view per check
 * run, reused across its attempts) and then asks its {@link ConditionSet}. The JSON of the body is parsed
 * only when a condition asks for a {@code [BODY]} path, and at most once.
 */
public final class ResultView {

    /** The most body a check ever keeps. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    static final long NONE = Long.MIN_VALUE;
    private static final ObjectMapper JSON = new ObjectMapper();

    int status;
    long responseTimeNanos;
    long certificateRemainingMillis = NONE;
    boolean connected;
    String dnsRcode;
    private byte[] body = new byte[0];
    private int bodyLength;
    private JsonNode json;
    private boolean jsonParsed;

    /** Forgets the previous attempt. */
    public void reset() {
        status = 0;
        responseTimeNanos = 0;
        certificateRemainingMillis = NONE;
        connected = false;
        dnsRcode = null;
        bodyLength = 0;
        json = null;
        jsonParsed = false;
    }

    public void status(int code) {
        status = code;
    }

    public void responseTime(long nanos) {
        responseTimeNanos = nanos;
    }

    public void connected(boolean established) {
        connected = established;
    }

    public void dnsRcode(String rcode) {
        dnsRcode = rcode;
    }

    /** Time left until the earliest certificate expiry of the peer's chain (negative once expired). */
    public void certificateRemainingMillis(long millis) {
        certificateRemainingMillis = millis;
    }

    /** Appends body bytes up to {@link #MAX_BODY_BYTES}; the rest is dropped. */
    public void appendBody(ByteBuf buf, int index, int length) {
        int n = Math.min(length, MAX_BODY_BYTES - bodyLength);
        if (n <= 0) return;
        if (bodyLength + n > body.length) body = Arrays.copyOf(body, Math.min(MAX_BODY_BYTES, Math.max(bodyLength + n, body.length * 2)));
        buf.getBytes(index, body, bodyLength, n);
        bodyLength += n;
    }

    /** The whole body at once (a DNS answer), bounded like {@link #appendBody}. */
    public void body(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        body = Arrays.copyOf(bytes, Math.min(bytes.length, MAX_BODY_BYTES));
        bodyLength = body.length;
    }

    int bodyLength() {
        return bodyLength;
    }

    String bodyText() {
        return new String(body, 0, bodyLength, StandardCharsets.UTF_8);
    }

    /** The body as JSON, or null when it is not JSON. */
    JsonNode json() {
        if (!jsonParsed) {
            jsonParsed = true;
            try {
                json = JSON.readTree(body, 0, bodyLength);
            } catch (IOException e) {
                json = null;
            }
        }
        return json;
    }
}
