package io.cpra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class YamlTreeWriterTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @ParameterizedTest
    @CsvSource({
            "mon-000001, true", "http://127.0.0.1:8080/health, true", "5s, true", "1m30s, true", "500ms, true",
            "cpra-alerts.log, true", "x, true",
            "127.0.0.1, false", "8080, false", "true, false", "No, false", "null, false", "abc:, false",
            "'a b', false", "'', false", "-x, false", "a#b, false", "1.5, false", "1e5, false", "0x1f, false", "2d, false",
    })
    void plainOnlyWhenTheStringReadsBackAsItself(String value, boolean plain) {
        assertThat(YamlTreeWriter.isPlain(value)).isEqualTo(plain);
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "off", "8080", "1.5", "0x1f", "0o17", "1h2x", "~", "127.0.0.1", "a: b", "#x", "- x", "[x]", "{x}",
            "\"q\"", "back\\slash", "tab\there", "line\nbreak", "", "12:30", "*alias", "&anchor", "!tag", "%x", "@x",
            "ünïcödé"})
    void everyStringReadsBackAsTheSameString(String value) throws IOException {
        JsonNode read = YAML.readTree(write(w -> w.field("v", value)));

        assertThat(read.get("v").isTextual()).isTrue();
        assertThat(read.get("v").asText()).isEqualTo(value);
    }

    @Test
    void nestsMapsAndListsOfMapsWithTwoColumnIndent() throws IOException {
        String yaml = write(w -> {
            w.startArray("items");
            for (int i = 1; i <= 2; i++) {
                w.startObject();
                w.field("n", i);
                w.startObject("inner");
                w.field("ok", i == 1);
                w.endObject();
                w.endObject();
            }
            w.endArray();
            w.field("after", "x");
        });

        assertThat(yaml).isEqualTo("""
                items:
                  - n: 1
                    inner:
                      ok: true
                  - n: 2
                    inner:
                      ok: false
                after: x
                """);
        assertThat(YAML.readTree(yaml).at("/items/1/inner/ok").asBoolean()).isFalse();
    }

    private interface Body {
        void write(TreeWriter w) throws IOException;
    }

    private static String write(Body body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TreeWriter w = new YamlTreeWriter(bytes)) {
            w.startObject();
            body.write(w);
            w.endObject();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
