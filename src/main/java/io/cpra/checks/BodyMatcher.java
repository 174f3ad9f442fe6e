package io.cpra.checks;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Streaming substring search (Knuth-Morris-Pratt) over body chunks as they arrive, so a match that straddles
 * two reads is found without buffering the body. Immutable; the per-check state is one int.
 */
final class BodyMatcher {

    private final byte[] needle;
    private final int[] fallback;
    final String failure;
    final String failureTruncated;

    BodyMatcher(String text) {
        if (text.isEmpty()) throw new IllegalArgumentException("body_contains must not be empty");
        needle = text.getBytes(StandardCharsets.UTF_8);
        fallback = new int[needle.length];
        for (int i = 1, k = 0; i < needle.length; i++) {
            while (k > 0 && needle[i] != needle[k]) k = fallback[k - 1];
            if (needle[i] == needle[k]) k++;
            fallback[i] = k;
        }
        String quoted = Failures.clip("\"" + text + "\"");
        failure = "body does not contain " + quoted;
        failureTruncated = failure + " in its first " + HttpCheck.MAX_BODY_BYTES / 1024 + " KiB";
    }

    /** Feeds {@code length} bytes from {@code index}; returns the new state. */
    int feed(ByteBuf buf, int index, int length, int matched) {
        int k = matched;
        for (int i = index, end = index + length; i < end && k < needle.length; i++) {
            byte b = buf.getByte(i);
            while (k > 0 && b != needle[k]) k = fallback[k - 1];
            if (b == needle[k]) k++;
        }
        return k;
    }

    boolean found(int matched) {
        return matched == needle.length;
    }
}
