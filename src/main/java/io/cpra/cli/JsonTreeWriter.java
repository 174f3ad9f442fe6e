package io.cpra.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;

/** {@link TreeWriter} over Jackson's streaming generator, pretty-printed. */
final class JsonTreeWriter implements TreeWriter {

    private static final JsonFactory FACTORY = new JsonFactory();
    private final JsonGenerator json;

    JsonTreeWriter(OutputStream out) throws IOException {
        this.json = FACTORY.createGenerator(out, JsonEncoding.UTF8).useDefaultPrettyPrinter();
    }

    @Override
    public void startObject() throws IOException {
        json.writeStartObject();
    }

    @Override
    public void startObject(String field) throws IOException {
        json.writeObjectFieldStart(field);
    }

    @Override
    public void startArray(String field) throws IOException {
        json.writeArrayFieldStart(field);
    }

    @Override
    public void endObject() throws IOException {
        json.writeEndObject();
    }

    @Override
    public void endArray() throws IOException {
        json.writeEndArray();
    }

    @Override
    public void field(String name, String value) throws IOException {
        json.writeStringField(name, value);
    }

    @Override
    public void field(String name, long value) throws IOException {
        json.writeNumberField(name, value);
    }

    @Override
    public void field(String name, boolean value) throws IOException {
        json.writeBooleanField(name, value);
    }

    @Override
    public void close() throws IOException {
        json.writeRaw('\n');
        json.close();
    }
}
