package io.cpra.api;

import java.util.Map;

/** What a handler answers: a status, a content type and the body bytes (JSON unless said otherwise). */
record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {

    static final String JSON = "application/json; charset=utf-8";

    static Reply json(int status, Object value) {
        return new Reply(status, JSON, Json.bytes(value), Map.of());
    }

    static Reply ok(Object value) {
        return json(200, value);
    }

    static Reply error(int status, String message) {
        return json(status, Map.of("error", message));
    }
}
