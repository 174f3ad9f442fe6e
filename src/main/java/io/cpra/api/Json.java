package io.cpra.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import java.io.IOException;

/** The API's one JSON mapper: snake_case fields, unknown fields in a request body refused. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private Json() {}

    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** @throws HttpError 400 naming what is wrong with the body */
    static <T> T read(byte[] body, Class<T> type) {
        if (body.length == 0) throw HttpError.badRequest("request body must be a JSON object");
        try {
            return MAPPER.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw HttpError.badRequest("bad JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw HttpError.badRequest("cannot read the request body: " + e.getMessage());
        }
    }
}
