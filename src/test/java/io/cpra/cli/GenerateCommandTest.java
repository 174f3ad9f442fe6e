package io.cpra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cpra.config.Capabilities;
import io.cpra.config.LoadResult;
import io.cpra.config.MonitorLoader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GenerateCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path dir;

    /** Runs {@code cpra generate} for 1000 monitors with {@code extra} options, by default on ports 9000-9009. */
    private Path generate(String fileName, String... extra) {
        return generate(fileName, 1000, extra);
    }

    private Path generate(String fileName, int count, String... extra) {
        Path out = dir.resolve(fileName);
        List<String> args = new ArrayList<>(List.of("generate", "--count", Integer.toString(count),
                "--out", out.toString()));
        args.addAll(List.of(extra));
        if (!args.contains("--targets")) args.addAll(List.of("--targets", "127.0.0.1:9000-9009"));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exit()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).startsWith("wrote " + count + " monitors to " + out);
        return out;
    }

    /** The file's text, gunzipped when it is gzip (by its magic bytes, not its name). */
    private static String text(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        boolean gzip = bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
        if (!gzip) return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static JsonNode monitors(String text) throws IOException {
        ObjectMapper mapper = text.startsWith("{") ? JSON : YAML;
        return mapper.readTree(text).get("monitors");
    }

    @ParameterizedTest(name = "{0} {1} -> {2}, gzip {3}")
    @CsvSource(textBlock = """
            m.yaml,    '',            yaml, false
            m.yml,     '',            yaml, false
            m.json,    '',            json, false
            m.yaml.gz, '',            yaml, true
            m.json.gz, '',            json, true
            m.txt,     --format=json, json, false
            m.json,    --format=yaml, yaml, false
            m.json.gz, --format=YAML, yaml, true
            """)
    void formatFollowsTheNameUnlessGivenAndGzipFollowsTheName(String name, String option, String format, boolean gzip)
            throws IOException {
        Path out = option.isEmpty() ? generate(name, 20) : generate(name, 20, option);

        byte[] head = Arrays.copyOf(Files.readAllBytes(out), 2);
        assertThat((head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b).isEqualTo(gzip);
        String text = text(out);
        assertThat(text).startsWith(format.equals("json") ? "{" : "monitors:");
        assertThat(monitors(text)).hasSize(20);
    }

    @ParameterizedTest
    @CsvSource({"m.yaml", "m.json"})
    void mixIsEightyTenTenInEveryBlockOfTen(String name) throws IOException {
        JsonNode monitors = monitors(text(generate(name)));

        Map<String, Integer> total = new HashMap<>();
        for (int block = 0; block < 100; block++) {
            Map<String, Integer> inBlock = new HashMap<>();
            for (int i = block * 10; i < block * 10 + 10; i++) {
                String type = monitors.get(i).at("/pulse_check/type").asText();
                inBlock.merge(type, 1, Integer::sum);
                total.merge(type, 1, Integer::sum);
            }
            assertThat(inBlock).containsExactlyInAnyOrderEntriesOf(Map.of("http", 8, "tcp", 1, "icmp", 1));
        }
        assertThat(total).containsExactlyInAnyOrderEntriesOf(Map.of("http", 800, "tcp", 100, "icmp", 100));
    }

    @ParameterizedTest
    @CsvSource({"m.yaml", "m.json"})
    void eachTypeHasItsShape(String name) throws IOException {
        for (JsonNode m : monitors(text(generate(name)))) {
            JsonNode pulse = m.get("pulse_check");
            JsonNode config = pulse.get("config");
            switch (pulse.get("type").asText()) {
                case "http" -> {
                    assertThat(pulse.get("interval").asText()).isEqualTo("5s");
                    assertThat(pulse.get("timeout").asText()).isEqualTo("2s");
                    URI url = URI.create(config.get("url").asText());
                    assertThat(url.getScheme()).isEqualTo("http");
                    assertThat(url.getHost()).isEqualTo("127.0.0.1");
                    assertThat(url.getPath()).isIn("/health", "/healthz", "/status", "/ready");
                    assertThat(m.has("metadata")).isFalse();
                }
                case "tcp" -> {
                    assertThat(pulse.get("interval").asText()).isEqualTo("10s");
                    assertThat(config.get("host").asText()).isEqualTo("127.0.0.1");
                    assertThat(config.get("port").isInt()).isTrue();
                }
                case "icmp" -> {
                    assertThat(pulse.get("interval").asText()).isEqualTo("15s");
                    assertThat(config.get("host").asText()).isEqualTo("127.0.0.1");
                    assertThat(m.at("/metadata/port_hint").isTextual()).isTrue();
                }
                default -> throw new AssertionError(pulse);
            }
            assertThat(m.get("enabled").asBoolean()).isTrue();
            assertThat(m.at("/codes/red/notify").asText()).isEqualTo("pagerduty");
            assertThat(m.at("/codes/red/config/routing_key").asText()).isEqualTo(MonitorGenerator.ROUTING_KEY);
            assertThat(m.at("/codes/yellow/notify").asText()).isEqualTo("log");
            assertThat(m.at("/codes/yellow/config/file").asText()).isEqualTo(MonitorGenerator.ALERT_LOG);
        }
    }

    @Test
    void namesAreUniqueZeroPaddedAndInOrder() throws IOException {
        JsonNode monitors = monitors(text(generate("m.yaml")));

        Set<String> names = new HashSet<>();
        for (int i = 0; i < monitors.size(); i++) {
            String name = monitors.get(i).get("name").asText();
            assertThat(name).isEqualTo("mon-%06d".formatted(i + 1));
            names.add(name);
        }
        assertThat(names).hasSize(1000);
    }

    @Test
    void portsAreSpreadEvenlyOverTheRange() throws IOException {
        Map<Integer, Integer> perPort = new HashMap<>();
        for (JsonNode m : monitors(text(generate("m.json")))) {
            JsonNode config = m.at("/pulse_check/config");
            int port = switch (m.at("/pulse_check/type").asText()) {
                case "http" -> URI.create(config.get("url").asText()).getPort();
                case "tcp" -> config.get("port").asInt();
                default -> Integer.parseInt(m.at("/metadata/port_hint").asText());
            };
            perPort.merge(port, 1, Integer::sum);
        }

        assertThat(perPort.keySet()).containsExactlyInAnyOrder(9000, 9001, 9002, 9003, 9004, 9005, 9006, 9007, 9008, 9009);
        assertThat(perPort.values()).containsOnly(100);
    }

    @Test
    void bracketedIpv6HostGoesInUrlsWithBracketsAndInHostsWithout() throws IOException {
        Path out = generate("v6.yaml", 20, "--targets", "[::1]:80");

        for (JsonNode m : monitors(text(out))) {
            JsonNode config = m.at("/pulse_check/config");
            if (config.has("url")) assertThat(config.get("url").asText()).startsWith("http://[::1]:80/");
            else assertThat(config.get("host").asText()).isEqualTo("::1");
        }
    }

    @Test
    void sameSeedSameFileOtherSeedOtherOrder() throws IOException {
        String a = Files.readString(generate("a.yaml", "--seed", "7"));
        String b = Files.readString(generate("b.yaml", "--seed", "7"));
        String c = Files.readString(generate("c.yaml", "--seed", "8"));

        assertThat(a).isEqualTo(b);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void replacesAnExistingFileAndLeavesNothingElseBehind() throws IOException {
        Path out = dir.resolve("m.yaml");
        Files.writeString(out, "old");

        generate("m.yaml");

        assertThat(Files.readString(out)).startsWith("monitors:");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(out);
        }
    }

    @ParameterizedTest
    @CsvSource({"m.yaml", "m.json.gz"})
    void generatedFileLoadsWithTheWholeConfigContract(String name) {
        Path out = generate(name);
        List<String> types = new ArrayList<>();

        LoadResult result = MonitorLoader.load(List.of(out), Capabilities.ALL, m -> types.add(m.pulse().type().key()));

        assertThat(result.errors()).isEmpty();
        assertThat(result.monitors()).isEqualTo(1000);
        assertThat(types.stream().filter("http"::equals).count()).isEqualTo(800);
    }

    /** --types, --interval and --path narrow the mix for load tests (cpra bench uses them); the file loads. */
    @ParameterizedTest(name = "{0} every {1}")
    @CsvSource({
            "http,     10s,   /health, 1000, 0,   10s,   2s",
            "http,     500ms, /ok,     1000, 0,   500ms, 500ms",
            "'http,tcp', 30s, /health, 889,  111, 30s,   2s",
    })
    void typesIntervalAndPathNarrowTheMix(String types, String interval, String path, int http, int tcp,
                                          String expectedInterval, String httpTimeout) throws IOException {
        Path out = generate("m.json", "--types", types, "--interval", interval, "--path", path);
        JsonNode all = monitors(text(out));
        int httpSeen = 0;
        int tcpSeen = 0;
        for (JsonNode m : all) {
            JsonNode pulse = m.get("pulse_check");
            assertThat(pulse.get("interval").asText()).isEqualTo(expectedInterval);
            if (pulse.get("type").asText().equals("http")) {
                httpSeen++;
                assertThat(pulse.get("timeout").asText()).isEqualTo(httpTimeout);
                assertThat(URI.create(pulse.get("config").get("url").asText()).getPath()).isEqualTo(path);
            } else {
                tcpSeen++;
                assertThat(pulse.get("type").asText()).isEqualTo("tcp");
            }
        }
        assertThat(httpSeen).isEqualTo(http);
        assertThat(tcpSeen).isEqualTo(tcp);
        assertThat(MonitorLoader.load(List.of(out), Capabilities.ALL, m -> { }).errors()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--types=dns        | cannot generate dns monitors",
            "--path=health      | path must start with /",
            "--interval=0s      | must be a positive duration",
    })
    void badShapesAreUsageErrors(String option, String message) {
        CliRun run = CliRun.of("generate", "--count", "10", "--out", dir.resolve("m.yaml").toString(), option);
        assertThat(run.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains(message);
        assertThat(dir.resolve("m.yaml")).doesNotExist();
    }
}
