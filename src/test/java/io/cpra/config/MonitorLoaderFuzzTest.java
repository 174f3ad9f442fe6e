package io.cpra.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutations of valid YAML and JSON files (dropped, duplicated and retyped nodes, truncation,
 * invalid UTF-8, byte flips): every load returns a result, never throws, never hangs.
 */
class MonitorLoaderFuzzTest {

    private static final long SEED = 0x5EEDC0FFEEL;
    private static final int ITERATIONS = 2000;
    private static final String[] VALUES = {"[]", "{}", "[1, 2]", "{a: 1}", "-1", "0", "\"\"", "null", "\"${UNSET}\"",
            "\"$$\"", "99999999999999999999", "1.5", "true", "*base", "&x y", "\"10s\"", "\"http://\"", "\"\\u0000\""};
    private static final byte[][] BAD_BYTES = {{(byte) 0xFF}, {(byte) 0xC3}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF0, (byte) 0x9F}, {0}, {(byte) 0x1F, (byte) 0x8B}};

    @TempDir
    Path dir;

    @Test
    void mutatedFilesNeverThrowNorHang() {
        List<String[]> seeds = List.of(
                new String[] {"yaml", MonitorLoaderFilesTest.V05},
                new String[] {"yaml", blockYaml()},
                new String[] {"json", Loads.wrap(Loads.http("a", ", \"headers\": [\"A: b\"], \"expected_status\": [200]", ", \"max_failures\": 2",
                        ", \"intervention\": {\"action\": \"docker\", \"target\": {\"container\": \"c\", \"timeout\": 5000000000}},"
                                + " \"codes\": {\"red\": {\"notify\": \"slack\", \"config\": {\"hook\": \"https://h.io/x\"}}}")
                        + ",\n" + Loads.http("b", "", "", ", \"metadata\": {\"k\": \"v\"}"))});
        Random random = new Random(SEED);
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < ITERATIONS; i++) {
                String[] seed = seeds.get(random.nextInt(seeds.size()));
                byte[] mutated = mutate(seed[1].getBytes(StandardCharsets.UTF_8), random);
                Path file = dir.resolve("f" + (i % 7) + "." + seed[0] + (random.nextInt(8) == 0 ? ".gz" : ""));
                write(file, mutated, random);
                List<MonitorSpec> seen = new ArrayList<>();
                LoadResult result = MonitorLoader.load(List.of(file), Capabilities.ALL, Loads.ENV, seen::add);
                assertThat(result.monitors()).isEqualTo(seen.size());
                if (result.ok()) {
                    assertThat(seen).allSatisfy(m -> assertThat(m.pulse().target()).isNotNull());
                } else {
                    assertThat(result.errors()).allSatisfy(e -> {
                        assertThat(e.message()).isNotBlank();
                        assertThat(e.toString()).doesNotContain("s3cret").doesNotContain("Exception");
                    });
                }
                outcomes[result.ok() ? 0 : 1]++;
            }
        });
        // the mutations must exercise both paths, or the test proves nothing
        assertThat(outcomes[0]).isGreaterThan(50);
        assertThat(outcomes[1]).isGreaterThan(ITERATIONS / 2);
    }

    static String blockYaml() {
        return """
                x-codes: &codes
                  red: {notify: pagerduty, config: {routing_key: "${TOKEN}"}}
                monitors:
                  - name: t
                    pulse_check: {type: tcp, interval: 5s, timeout: 1s, retries: 1, config: {host: h, port: 22}}
                    codes: *codes
                  - name: d
                    pulse_check:
                      type: dns
                      interval: 1m
                      timeout: 2s
                      groups: [a, b]
                      config: {name: example.com, record_type: AAAA}
                    intervention:
                      action: script
                      target: {path: /bin/true, args: [x], env: {A: b}}
                    metadata: {team: core}
                """;
    }

    static byte[] mutate(byte[] in, Random random) {
        byte[] out = in;
        int rounds = 1 + random.nextInt(3);
        for (int r = 0; r < rounds && out.length > 0; r++) {
            out = switch (random.nextInt(7)) {
                case 0 -> Arrays.copyOf(out, random.nextInt(out.length)); // truncate
                case 1 -> { // flip bytes
                    byte[] b = out.clone();
                    for (int k = 0, n = 1 + random.nextInt(4); k < n; k++) b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                    yield b;
                }
                case 2 -> splice(out, random.nextInt(out.length + 1), 0, BAD_BYTES[random.nextInt(BAD_BYTES.length)]);
                case 3 -> lines(out, random, true); // duplicate a line (a node)
                case 4 -> lines(out, random, false); // drop a line (a node)
                default -> retype(out, random);
            };
        }
        return out;
    }

    /** Replaces the value after a random {@code ": "} up to the next delimiter with another kind of value. */
    private static byte[] retype(byte[] in, Random random) {
        String s = new String(in, StandardCharsets.ISO_8859_1);
        int at = s.indexOf(": ", random.nextInt(s.length()));
        if (at < 0) return in;
        int start = at + 2;
        int end = start;
        while (end < s.length() && ",}\n]".indexOf(s.charAt(end)) < 0) end++;
        return splice(in, start, end - start, VALUES[random.nextInt(VALUES.length)].getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] lines(byte[] in, Random random, boolean duplicate) {
        String s = new String(in, StandardCharsets.ISO_8859_1);
        String[] lines = s.split("\n", -1);
        int i = random.nextInt(lines.length);
        List<String> out = new ArrayList<>(Arrays.asList(lines));
        if (duplicate) out.add(i, lines[i]);
        else out.remove(i);
        return String.join("\n", out).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] splice(byte[] in, int at, int remove, byte[] insert) {
        byte[] out = new byte[in.length - remove + insert.length];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(in, at + remove, out, at + insert.length, in.length - at - remove);
        return out;
    }

    private static void write(Path file, byte[] content, Random random) throws IOException {
        if (file.toString().endsWith(".gz")) {
            Loads.write(file.getParent(), file.getFileName().toString(), content);
            if (random.nextBoolean()) { // and sometimes damage the compressed bytes too
                byte[] gz = Files.readAllBytes(file);
                Files.write(file, Arrays.copyOf(gz, random.nextInt(gz.length + 1)));
            }
        } else {
            Files.write(file, content);
        }
    }
}
