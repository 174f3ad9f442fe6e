package io.cpra.config;

import static io.cpra.config.Loads.http;
import static io.cpra.config.Loads.wrap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Files as a whole: v0.5 files, anchors and merge keys, gzip, directories, size, and broken files. */
class MonitorLoaderFilesTest {

    @TempDir
    Path dir;

    static final String V05 = """
            monitors:
              - &base
                name: test-monitor-01
                enabled: true
                pulse_check:
                  type: http
                  interval: 5s
                  timeout: 2s
                  retries: 1
                  config:
                    url: http://localhost:18080/health
                    method: GET
                codes:
                  red:
                    notify: log
                    config:
                      file: ""
              - <<: *base
                name: test-monitor-02
            """;

    @Test
    void v05FileWithAnchorsAndMergeKeysLoadsUnchanged() {
        Loads loads = Loads.of(Loads.write(dir, "v05.yaml", V05));
        assertThat(loads.errors()).isEmpty();
        assertThat(loads.monitors).extracting(MonitorSpec::name).containsExactly("test-monitor-01", "test-monitor-02");
        MonitorSpec first = loads.monitors.get(0);
        MonitorSpec second = loads.monitors.get(1);
        assertThat(first.pulse().retries()).isEqualTo(1);
        assertThat(first.pulse().intervalNanos()).isEqualTo(5_000_000_000L);
        assertThat(second.pulse()).isEqualTo(first.pulse());
        assertThat(second.codes().get(Colour.RED).config()).isEqualTo(new NotifyConfig.Log(null));
        assertThat(second.codes()).isSameAs(first.codes()); // interned: the engine relies on sharing
        assertThat(first.source().line()).isEqualTo(2);
        assertThat(second.source().line()).isEqualTo(18);
    }

    @Test
    void mergeKeyListAndExtensionKeysHoldAnchors() {
        String yaml = """
                x-pulse: &pulse {type: tcp, interval: 5s, timeout: 1s, config: {host: h, port: 1}}
                x-codes: &codes {codes: {red: {notify: log, config: {file: /tmp/a.log}}}}
                monitors:
                  - <<: [{pulse_check: *pulse}, *codes]
                    name: a
                  - {name: b, pulse_check: *pulse, <<: *codes}
                """;
        Loads loads = Loads.of(Loads.write(dir, "m.yml", yaml));
        assertThat(loads.errors()).isEmpty();
        assertThat(loads.monitors).hasSize(2);
        assertThat(loads.monitors.get(0).pulse().target()).isEqualTo(new PulseTarget.Tcp("h", 1));
        assertThat(loads.monitors.get(1).codes().get(Colour.RED).config()).isEqualTo(new NotifyConfig.Log(Path.of("/tmp/a.log")));
    }

    @Test
    void aliasBombFailsFastWithOneError() {
        StringBuilder yaml = new StringBuilder("x-0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i <= 9; i++) {
            yaml.append("x-").append(i).append(": &l").append(i).append(" [");
            for (int j = 0; j < 10; j++) yaml.append(j == 0 ? "" : ", ").append("*l").append(i - 1);
            yaml.append("]\n");
        }
        yaml.append("monitors:\n  - {name: m, metadata: {x: *l9}}\n");
        Path file = Loads.write(dir, "bomb.yaml", yaml.toString());
        Loads loads = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Loads.of(file));
        assertThat(loads.errors()).hasSize(1);
        assertThat(loads.errors().getFirst().message()).contains("alias bomb");
        assertThat(loads.errors().getFirst().line()).isEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"m.yaml.gz", "m.json.gz", "m.yml", "m.json"})
    void readsEveryExtension(String name) {
        Loads loads = Loads.of(Loads.write(dir, name, wrap(http("m", "", "", ""))));
        assertThat(loads.only().name()).isEqualTo("m");
    }

    @Test
    void directoryLoadsMonitorFilesSortedByName() {
        Loads.write(dir, "b.json", wrap(http("b", "", "", "")));
        Loads.write(dir, "a.yaml.gz", wrap(http("a", "", "", "")));
        Loads.write(dir, "c.yml", wrap(http("c", "", "", "")));
        Loads.write(dir, "notes.txt", "not a monitor file");
        Loads.write(dir, ".hidden.yaml", "garbage: [");
        Loads loads = Loads.of(dir);
        assertThat(loads.errors()).isEmpty();
        assertThat(loads.monitors).extracting(MonitorSpec::name).containsExactly("a", "b", "c");
    }

    @Test
    void duplicateNamesAcrossFilesNameTheFirst() {
        Path one = Loads.write(dir, "one.yaml", "monitors:\n  - " + http("same", "", "", "") + "\n");
        Path two = Loads.write(dir, "two.json", wrap(http("other", "", "", "") + ",\n" + http("same", "", "", "")));
        Loads loads = Loads.of(one, two);
        assertThat(loads.monitors).extracting(MonitorSpec::name).containsExactly("same", "other");
        assertThat(loads.errors()).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo(two.toString());
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.column()).isEqualTo(10);
            assertThat(e.monitor()).isEqualTo("same");
            assertThat(e.field()).isEqualTo("name");
            assertThat(e.message()).isEqualTo("duplicate monitor name (first defined at " + one + ":2)");
        });
    }

    @Test
    void duplicateNameInheritedThroughMergeKeyPointsAtTheMonitor() {
        Path file = Loads.write(dir, "m.yaml", V05.replace("    name: test-monitor-02\n", "    enabled: false\n"));
        Loads loads = Loads.of(file);
        assertThat(loads.errors()).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(18);
            assertThat(e.column()).isEqualTo(5);
            assertThat(e.message()).isEqualTo("duplicate monitor name (first defined at " + file + ":3)");
        });
    }

    @Test
    void equalCodesBlocksShareOneInstanceAndErrorsAreNeverReused() {
        String good = ", \"codes\": {\"red\": {\"notify\": \"pagerduty\", \"config\": {\"routing_key\": \"${TOKEN}\"}}}";
        String bad = ", \"codes\": {\"red\": {\"notify\": \"pagerduty\", \"config\": {}}}";
        String monitors = String.join(",\n", http("a", "", "", good), http("b", "", "", bad), http("c", "", "", good),
                http("d", "", "", bad));
        Loads loads = Loads.of(Loads.write(dir, "m.json", wrap(monitors)));
        assertThat(loads.monitors).extracting(MonitorSpec::name).containsExactly("a", "c");
        assertThat(loads.monitors.get(1).codes()).isSameAs(loads.monitors.get(0).codes());
        assertThat(loads.errors()).extracting(ConfigError::monitor).containsExactly("b", "d");
        assertThat(loads.errors()).extracting(ConfigError::line).containsExactly(3, 5);
    }

    @Test
    void deepNestingFailsWithoutStackOverflow() {
        String deep = "[".repeat(100_000);
        Path yaml = Loads.write(dir, "deep.yaml", "monitors:\n  - {name: m, metadata: {x: " + deep + "\n");
        Path json = Loads.write(dir, "deep.json", "{\"monitors\": [{\"name\": \"m\", \"metadata\": {\"x\": " + deep);
        Loads loads = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> Loads.of(yaml, json));
        assertThat(loads.errors()).hasSize(2).allSatisfy(e -> assertThat(e.message()).containsIgnoringCase("nest"));
        assertThat(loads.errors()).extracting(ConfigError::monitor).containsExactly("#1", "#1");
    }

    @Test
    void collectsErrorsOfAllFilesAndCapsThem() {
        StringBuilder many = new StringBuilder("monitors:\n");
        for (int i = 0; i < 1500; i++) many.append("  - {enabled: true}\n");
        Path bad = Loads.write(dir, "many.yaml", many.toString());
        Path missing = dir.resolve("nope.yaml");
        Loads loads = Loads.of(missing, bad);
        assertThat(loads.errors()).hasSize(ErrorList.MAX_ERRORS + 1);
        assertThat(loads.errors().getFirst().file()).isEqualTo(missing.toString());
        assertThat(loads.errors().getFirst().message()).isEqualTo("no such file or directory");
        assertThat(loads.errors().get(1).monitor()).isEqualTo("#1");
        assertThat(loads.errors().getLast().message()).isEqualTo("... and 2001 more errors");
    }

    @Test
    void capabilitiesNameWhatIsNotBuiltYet() {
        Capabilities noEmail = new Capabilities(EnumSet.allOf(PulseType.class), EnumSet.allOf(ActionType.class),
                EnumSet.complementOf(EnumSet.of(NotifierType.EMAIL)));
        String m = http("m", "", "", ", \"codes\": {\"gray\": {\"notify\": \"email\", \"config\": {\"to\": \"a@b\", \"from\": \"c@d\", \"smtp_host\": \"s\"}}}");
        Loads loads = Loads.of(noEmail, Loads.write(dir, "m.json", wrap(m)));
        assertThat(loads.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("codes.gray.notify");
            assertThat(e.message()).isEqualTo("notify \"email\" is not available in this build yet");
        });
    }

    @Test
    void jsonDockerTimeoutMayBeNanoseconds() {
        String m = http("m", "", "", ", \"intervention\": {\"action\": \"docker\", \"target\": {\"container\": \"c\", \"timeout\": 20000000000}}");
        MonitorSpec spec = Loads.of(Loads.write(dir, "m.json", wrap(m))).only();
        assertThat(spec.intervention().target().timeoutNanos()).isEqualTo(20_000_000_000L);
    }

    @Test
    void fileLargerThanThreeMegabytesLoads() {
        StringBuilder yaml = new StringBuilder("monitors:\n");
        StringBuilder json = new StringBuilder("{\"monitors\": [\n");
        int n = 2_000;
        String padding = "x".repeat(1700);
        for (int i = 0; i < n; i++) {
            String m = http("monitor-" + i, "", "", ", \"metadata\": {\"padding\": \"" + padding + "\"}");
            yaml.append("  - ").append(m).append('\n');
            json.append(i == 0 ? "" : ",\n").append(m);
        }
        json.append("]}\n");
        assertThat(yaml.length()).isGreaterThan(3_400_000); // SnakeYAML's default limit is 3 MiB of code points
        Loads y = Loads.of(Loads.write(dir, "big.yaml", yaml.toString()));
        Loads j = Loads.of(Loads.write(dir, "big.json", json.toString()));
        assertThat(y.errors()).isEmpty();
        assertThat(j.errors()).isEmpty();
        assertThat(y.result.monitors()).isEqualTo(n);
        assertThat(j.result.monitors()).isEqualTo(n);
    }

    /** A file big enough to be parsed on a second thread, followed by {@code tail} lines; returns its line count. */
    private static String bigYaml(int monitors, String tail) {
        StringBuilder yaml = new StringBuilder("monitors:\n");
        String padding = "p".repeat(200);
        for (int i = 0; i < monitors; i++) {
            yaml.append("  - ").append(http("m" + i, "", "", ", \"metadata\": {\"pad\": \"" + padding + "\"}")).append('\n');
        }
        return yaml.append(tail).toString();
    }

    @Test
    void pipelinedReadKeepsOrderPositionsAndFailures() {
        int n = 3000; // about 1.2 MB: parsed on its own thread
        String text = bigYaml(n, "  - {name: bad, pulse_check: {type: htp, interval: 1s, timeout: 1s}}\n  - name: [unclosed\n");
        assertThat(text.length()).isGreaterThan((int) MonitorLoader.PIPELINE_BYTES);
        Path file = Loads.write(dir, "big.yaml", text);
        Loads loads = Loads.of(file);
        assertThat(loads.monitors).hasSize(n);
        assertThat(loads.monitors.get(n - 1).name()).isEqualTo("m" + (n - 1));
        assertThat(loads.monitors.get(n - 1).source().line()).isEqualTo(n + 1);
        assertThat(loads.errors()).extracting(ConfigError::line).containsExactly(n + 2, n + 4);
        assertThat(loads.errors().get(0).monitor()).isEqualTo("bad");
        assertThat(loads.errors().get(1).monitor()).isEqualTo("#" + (n + 2));
        assertThat(loads.errors().get(1).message()).startsWith("YAML syntax error");
    }

    @Test
    void pipelinedReadReportsInvalidUtf8AndTruncatedGzipWithPosition() throws Exception {
        byte[] text = bigYaml(3000, "  - name: caf\u00e9\n").getBytes(StandardCharsets.UTF_8);
        text[text.length - 2] = (byte) 0xFF;
        Path file = dir.resolve("bad.yaml");
        Files.write(file, text);
        assertThat(Loads.of(file).errors()).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(3002);
            assertThat(e.column()).isEqualTo(14);
            assertThat(e.message()).contains("UTF-8");
        });
        Path gz = dir.resolve("cut.yaml.gz");
        Files.write(gz, truncatedGzip(bigYaml(20_000, "").getBytes(StandardCharsets.UTF_8)));
        Loads loads = Loads.of(gz);
        assertThat(loads.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("truncated"));
        assertThat(loads.monitors).isNotEmpty();
    }

    @Test
    void pipelinedReadStopsItsThreadWhenTheConsumerFails() {
        Path file = Loads.write(dir, "big.yaml", bigYaml(5000, ""));
        int[] seen = {0};
        LoadResult result = MonitorLoader.load(List.of(file), Capabilities.ALL, Loads.ENV, m -> {
            if (++seen[0] == 10) throw new IllegalStateException("consumer gave up");
        });
        assertThat(seen[0]).isEqualTo(10);
        assertThat(result.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("consumer gave up"));
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("cpra-config-parser"));
    }

    @Test
    void consumerFailureBecomesAnError() {
        Path file = Loads.write(dir, "m.yaml", wrap(http("m", "", "", "")));
        LoadResult result = MonitorLoader.load(List.of(file), Capabilities.ALL, Loads.ENV, m -> {
            throw new IllegalStateException("boom");
        });
        assertThat(result.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("boom"));
    }

    record Broken(String name, byte[] content, int line, String message) {}

    static List<Broken> broken() {
        byte[] valid = wrap(http("m", "", "", "")).getBytes(StandardCharsets.UTF_8);
        byte[] badUtf8 = Arrays.copyOf(valid, valid.length);
        badUtf8[30] = (byte) 0xC3; // inside the name on line 2: a lead byte without its continuation
        badUtf8[31] = (byte) 0x28;
        return List.of(
                new Broken("syntax.yaml", "monitors:\n  - name: [a\n  - b: c\n".getBytes(StandardCharsets.UTF_8), 3, "YAML syntax error"),
                new Broken("utf8.yaml", badUtf8, 2, "invalid UTF-8"),
                new Broken("utf8.json", badUtf8, 2, "Invalid UTF-8"),
                new Broken("cut.json", Arrays.copyOf(valid, valid.length - 8), 2, "end-of-input"),
                new Broken("cut.json.gz", truncatedGzip(valid), 0, "truncated"),
                new Broken("cut.yaml.gz", truncatedGzip(valid), 0, "truncated"),
                new Broken("empty.yaml", new byte[0], 1, "the file is empty"),
                new Broken("empty.json", new byte[0], 1, "the file is empty"),
                new Broken("alias.yaml", "monitors:\n  - *nope\n".getBytes(StandardCharsets.UTF_8), 2, "unknown alias *nope"),
                new Broken("top.yaml", "monitors: []\nmonitor:\n  - {}\n".getBytes(StandardCharsets.UTF_8), 2, "did you mean monitors?"),
                new Broken("list.json", "[1, 2]".getBytes(StandardCharsets.UTF_8), 1, "top level must be an object"),
                new Broken("list.yaml", "- a\n- b\n".getBytes(StandardCharsets.UTF_8), 1, "top level must be a mapping"),
                new Broken("trailing.json", "{\"monitors\": []} {}".getBytes(StandardCharsets.UTF_8), 1, "unexpected content after"),
                new Broken("null.yaml", "monitors:\n".getBytes(StandardCharsets.UTF_8), 1, "expected a list of monitors"));
    }

    @Test
    void brokenFilesFailWithOneClearError() throws Exception {
        for (Broken b : broken()) {
            Path file = Files.write(dir.resolve(b.name()), b.content()); // as is: no gzip added
            Loads loads = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Loads.of(file));
            assertThat(loads.errors()).as(b.name()).hasSize(1);
            ConfigError e = loads.errors().getFirst();
            assertThat(e.file()).as(b.name()).isEqualTo(file.toString());
            assertThat(e.message()).as(b.name()).contains(b.message());
            if (b.line() > 0) assertThat(e.line()).as(b.name() + " " + e).isEqualTo(b.line());
        }
    }

    private static byte[] truncatedGzip(byte[] content) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (var gz = new java.util.zip.GZIPOutputStream(out)) {
                gz.write(content);
            }
            byte[] all = out.toByteArray();
            return Arrays.copyOf(all, all.length / 2);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void invalidUtf8InYamlNamesExactPosition() throws Exception {
        byte[] bytes = "monitors:\n  - name: ab\u00e9cd\n".getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 4] = (byte) 0xFF; // second byte of é
        Path file = dir.resolve("bad.yaml");
        Files.write(file, bytes);
        ConfigError e = Loads.of(file).errors().getFirst();
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(13);
    }
}
