package io.cpra.notify;

import io.cpra.config.Colour;
import io.cpra.config.NotifyConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.cpra.notify.Alerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogNotifierTest {

    @TempDir Path dir;

    @ParameterizedTest(name = "{0} action={1}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
        YELLOW | docker | null    | timeout | {"timestamp":"2026-11-22T11:08:32.123Z","type":"code","monitor":"checkout-api","job_id":47,"color":"yellow","status":"DEGRADED","severity":"warning","summary":"checkout-api is DEGRADED","action":"docker","next_steps":"watch: intervention docker runs if failures continue","message":"checkout-api failed a health check: timeout","incident_id":null,"error":"timeout"}
        YELLOW | null   | null    | timeout | {"timestamp":"2026-11-22T11:08:32.123Z","type":"code","monitor":"checkout-api","job_id":47,"color":"yellow","status":"DEGRADED","severity":"warning","summary":"checkout-api is DEGRADED","action":null,"next_steps":"watch: red follows if failures continue","message":"checkout-api failed a health check: timeout","incident_id":null,"error":"timeout"}
        RED    | docker | inc-7   | exit 3  | {"timestamp":"2026-11-22T11:08:32.123Z","type":"code","monitor":"checkout-api","job_id":47,"color":"red","status":"FAILED","severity":"critical","summary":"checkout-api is FAILED","action":"docker","next_steps":"investigate: intervention exhausted","message":"checkout-api is down and intervention docker did not restore it: exit 3","incident_id":"inc-7","error":"exit 3"}
        RED    | null   | inc-7   | status 503 | {"timestamp":"2026-11-22T11:08:32.123Z","type":"code","monitor":"checkout-api","job_id":47,"color":"red","status":"FAILED","severity":"critical","summary":"checkout-api is FAILED","action":null,"next_steps":"investigate: no intervention configured","message":"checkout-api is down: status 503","incident_id":"inc-7","error":"status 503"}
        CYAN   | script | null    | null    | {"timestamp":"2026-11-22T11:08:32.123Z","type":"code","monitor":"checkout-api","job_id":47,"color":"cyan","status":"RESTORED","severity":"info","summary":"checkout-api is RESTORED","action":"script","next_steps":"verify: waiting for healthy checks","message":"intervention script succeeded, verifying checkout-api","incident_id":null,"error":null}
        GREEN  | script | inc-7   | null    | {"timestamp":"2026-11-22T11:08:32.123Z","type":"code","monitor":"checkout-api","job_id":47,"color":"green","status":"RECOVERED","severity":"info","summary":"checkout-api is RECOVERED","action":"script","next_steps":"none","message":"checkout-api is healthy again","incident_id":"inc-7","error":null}
        GRAY   | null   | null    | null    | {"timestamp":"2026-11-22T11:08:32.123Z","type":"code","monitor":"checkout-api","job_id":47,"color":"gray","status":"MAINTENANCE","severity":"info","summary":"checkout-api is MAINTENANCE","action":null,"next_steps":"none: checks resume when the monitor is resumed","message":"checkout-api is paused, checks are suspended","incident_id":null,"error":null}
        """)
    void writesOneExactJsonLinePerAlert(Colour colour, String action, String incident, String error, String line) throws Exception {
        Path file = dir.resolve("a/b/alerts.log");
        try (LogNotifier notifier = new LogNotifier(file)) {
            notifier.send(alert("checkout-api", 7, colour, new NotifyConfig.Log(file), incident, error, action));
        }
        assertThat(Files.readAllLines(file)).containsExactly(line);
    }

    @Test
    void appendsBatchesAndEscapesJson() throws Exception {
        Path file = dir.resolve("alerts.log");
        Files.writeString(file, "existing\n");
        NotifyConfig config = new NotifyConfig.Log(file);
        try (LogNotifier notifier = new LogNotifier(file)) {
            notifier.sendBatch(List.of(alert("a", 1, Colour.YELLOW, config, null, "bad \"quote\"\nline", null),
                    alert("b", 1, Colour.GRAY, config)));
            notifier.send(alert("a", 2, Colour.GREEN, config));
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("existing");
        assertThat(lines.get(1)).contains("\"monitor\":\"a\"", "\"error\":\"bad \\\"quote\\\"\\nline\"");
        assertThat(lines.get(2)).startsWith("{\"timestamp\"").contains("\"monitor\":\"b\"", "\"color\":\"gray\"");
        assertThat(lines.get(3)).contains("\"monitor\":\"a\"", "\"color\":\"green\"");
    }

    @Test
    void writeErrorFailsTheSendAndTheNextAttemptRecovers() throws Exception {
        Path file = Alerts.blockedLogFile(dir);
        NotifyConfig config = new NotifyConfig.Log(file);
        try (LogNotifier notifier = new LogNotifier(file)) {
            assertThatThrownBy(() -> notifier.send(alert("a", 1, Colour.RED, config)))
                    .isInstanceOf(IOException.class).hasMessageStartingWith("cannot write " + file);
            Files.delete(file.getParent());
            notifier.send(alert("a", 1, Colour.RED, config));
        }
        assertThat(Files.readAllLines(file)).singleElement().asString().contains("\"color\":\"red\"");
    }
}
