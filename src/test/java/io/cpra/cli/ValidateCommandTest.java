package io.cpra.cli;

import static io.cpra.cli.Monitors.monitor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cpra.config.ActionType;
import io.cpra.config.Colour;
import io.cpra.config.ConfigError;
import io.cpra.config.LoadResult;
import io.cpra.config.PulseType;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Three monitors this build can run: http with a script repair, tcp, and a disabled http. */
    private String validYaml() {
        String log = dir.resolve("alerts.log").toString();
        return """
                monitors:
                  - name: web
                    pulse_check:
                      type: http
                      interval: 5s
                      timeout: 1s
                      config: {url: http://127.0.0.1:8080/health}
                    intervention:
                      action: script
                      target: {path: /bin/true, timeout: 5s}
                    codes:
                      yellow: {notify: log, config: {file: LOG}}
                      red:    {notify: log, config: {file: LOG}}
                      cyan:   {notify: log, config: {file: LOG}}
                      green:  {notify: log, config: {file: LOG}}
                  - name: db
                    pulse_check:
                      type: tcp
                      interval: 10s
                      timeout: 2s
                      config: {host: 127.0.0.1, port: 5432}
                    codes:
                      red:  {notify: log, config: {file: LOG}}
                      gray: {notify: log, config: {file: LOG}}
                  - name: batch
                    enabled: false
                    pulse_check:
                      type: http
                      interval: 1m
                      timeout: 10s
                      config: {url: http://127.0.0.1:8081/}
                    codes:
                      red: {notify: log, config: {file: LOG}}
                """.replace("LOG", log);
    }

    /** Three errors, one per monitor: timeout above interval, port out of range, a misspelt field. */
    private static final String INVALID_YAML = """
            monitors:
              - name: slow
                pulse_check:
                  type: http
                  interval: 5s
                  timeout: 10s
                  config: {url: http://127.0.0.1:8080/}
              - name: far
                pulse_check:
                  type: tcp
                  interval: 5s
                  timeout: 1s
                  config: {host: 127.0.0.1, port: 70000}
              - name: typo
                pulse_check:
                  type: http
                  interval: 5s
                  timeout: 1s
                  unhealty_threshold: 3
                  config: {url: http://127.0.0.1:8080/}
            """;

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    @Test
    void validFilePrintsOneSummaryLine() throws IOException {
        Path file = write("monitors.yaml", validYaml());

        CliRun run = CliRun.of("validate", file.toString());

        assertThat(run.exit()).isEqualTo(ExitCode.OK);
        assertThat(run.outLines()).containsExactly(
                "ok: 3 monitors (2 enabled, 1 disabled); pulse http=2 tcp=1; interventions script=1;"
                        + " codes yellow=1 red=3 cyan=1 green=1 gray=1; notifiers log=7");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void validFileAsJson() throws IOException {
        Path file = write("monitors.yaml", validYaml());

        CliRun run = CliRun.of("validate", "--json", file.toString());

        assertThat(run.exit()).isEqualTo(ExitCode.OK);
        JsonNode json = JSON.readTree(run.out());
        assertThat(json.get("monitors").asInt()).isEqualTo(3);
        assertThat(json.get("enabled").asInt()).isEqualTo(2);
        assertThat(json.get("disabled").asInt()).isEqualTo(1);
        assertThat(json.at("/pulse/http").asInt()).isEqualTo(2);
        assertThat(json.at("/pulse/tcp").asInt()).isEqualTo(1);
        assertThat(json.at("/interventions/script").asInt()).isEqualTo(1);
        assertThat(json.at("/codes/red").asInt()).isEqualTo(3);
        assertThat(json.at("/notifiers/log").asInt()).isEqualTo(7);
    }

    @Test
    void directoryOfYamlAndGzippedJsonCountsEveryFile() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("conf.d"));
        Files.writeString(sub.resolve("a.yaml"), validYaml());
        String json = """
                {"monitors": [{"name": "api", "pulse_check": {"type": "tcp", "interval": "5s", "timeout": "1s",
                  "config": {"host": "127.0.0.1", "port": 9}},
                  "codes": {"red": {"notify": "log", "config": {"file": "%s"}}}}]}
                """.formatted(dir.resolve("alerts.log"));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(sub.resolve("b.json.gz")))) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        }

        CliRun run = CliRun.of("validate", sub.toString());

        assertThat(run.exit()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).startsWith("ok: 4 monitors (3 enabled, 1 disabled); pulse http=2 tcp=2;");
    }

    @Test
    void invalidFileListsEveryErrorWithPlaceMonitorAndField() throws IOException {
        Path file = write("bad.yaml", INVALID_YAML);

        CliRun run = CliRun.of("validate", file.toString());

        assertThat(run.exit()).isEqualTo(ExitCode.INVALID_CONFIG);
        String[] lines = run.outLines();
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).startsWith(file + ":" + lineOf("timeout: 10s") + ":").contains("monitor slow: ", "timeout");
        assertThat(lines[1]).startsWith(file + ":" + lineOf("port: 70000") + ":").contains("monitor far: ", "port");
        assertThat(lines[2]).startsWith(file + ":" + lineOf("unhealty_threshold") + ":")
                .contains("monitor typo: ", "unhealty_threshold", "unhealthy_threshold");
        assertThat(lines[3]).isEqualTo("invalid: 3 errors in 1 file");
    }

    @Test
    void invalidFileAsJsonListsErrorObjects() throws IOException {
        Path file = write("bad.yaml", INVALID_YAML);

        CliRun run = CliRun.of("validate", "--json", file.toString());

        assertThat(run.exit()).isEqualTo(ExitCode.INVALID_CONFIG);
        JsonNode errors = JSON.readTree(run.out()).get("errors");
        assertThat(errors).hasSize(3);
        assertThat(errors).extracting(e -> e.get("monitor").asText()).containsExactly("slow", "far", "typo");
        for (JsonNode e : errors) {
            assertThat(e.get("file").asText()).isEqualTo(file.toString());
            assertThat(e.get("line").asInt()).isPositive();
            assertThat(e.get("column").asInt()).isPositive();
            assertThat(e.get("field").asText()).isNotBlank();
            assertThat(e.get("message").asText()).isNotBlank();
        }
    }

    /** 1-based line of the first line containing {@code text} in {@link #INVALID_YAML}. */
    private static int lineOf(String text) {
        List<String> lines = INVALID_YAML.lines().toList();
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains(text)) return i + 1;
        throw new AssertionError(text);
    }

    // The report alone, from a hand-made load result: independent of the loader.

    private static final List<ConfigError> TWO_FILES_ERRORS = List.of(
            new ConfigError("a.yaml", 3, 5, "web", "pulse_check.timeout", "10s is longer than the interval 5s"),
            new ConfigError("a.yaml", 9, 7, null, "name", "required"),
            new ConfigError("b.json", 2, 1, "#1", "", "truncated file"));

    private static String report(LoadResult result, MonitorCounts counts, boolean json, int expectedExit)
            throws IOException {
        StringWriter out = new StringWriter();
        assertThat(ValidateCommand.report(result, counts, json, new PrintWriter(out))).isEqualTo(expectedExit);
        return out.toString();
    }

    @Test
    void reportOfErrorsIsOneLinePerErrorThenACount() throws IOException {
        String out = report(new LoadResult(0, TWO_FILES_ERRORS), new MonitorCounts(), false, ExitCode.INVALID_CONFIG);

        assertThat(out.lines()).containsExactly(
                "a.yaml:3:5: monitor web: pulse_check.timeout: 10s is longer than the interval 5s",
                "a.yaml:9:7: name: required",
                "b.json:2:1: monitor #1: truncated file",
                "invalid: 3 errors in 2 files");
    }

    @Test
    void reportOfErrorsAsJsonKeepsEveryField() throws IOException {
        String out = report(new LoadResult(0, TWO_FILES_ERRORS), new MonitorCounts(), true, ExitCode.INVALID_CONFIG);

        assertThat(out.lines()).hasSize(1);
        JsonNode errors = JSON.readTree(out).get("errors");
        assertThat(errors).hasSize(3);
        assertThat(errors.get(0).toString()).isEqualTo("{\"file\":\"a.yaml\",\"line\":3,\"column\":5,\"monitor\":\"web\","
                + "\"field\":\"pulse_check.timeout\",\"message\":\"10s is longer than the interval 5s\"}");
        assertThat(errors.get(1).get("monitor").isNull()).isTrue();
    }

    @Test
    void reportOfSuccessIsTheSummary() throws IOException {
        MonitorCounts counts = new MonitorCounts();
        counts.accept(monitor("a", true, PulseType.TCP, ActionType.SCRIPT, Colour.RED));

        assertThat(report(new LoadResult(1, List.of()), counts, false, ExitCode.OK)).isEqualTo(counts.summary() + "\n");
        assertThat(JSON.readTree(report(new LoadResult(1, List.of()), counts, true, ExitCode.OK)).get("monitors").asInt())
                .isEqualTo(1);
    }

    @Test
    void singleErrorCountIsSingular() {
        assertThat(ValidateCommand.errorCountLine(TWO_FILES_ERRORS.subList(0, 1))).isEqualTo("invalid: 1 error in 1 file");
    }

    @Test
    void loaderSummaryOfUnlistedErrorsMakesTheCountALowerBound() {
        List<ConfigError> capped = List.of(TWO_FILES_ERRORS.get(0), TWO_FILES_ERRORS.get(1),
                new ConfigError(null, 0, 0, null, null, "... and 12 more errors"));

        assertThat(ValidateCommand.errorCountLine(capped)).isEqualTo("invalid: 2+ errors in 1 file");
    }
}
