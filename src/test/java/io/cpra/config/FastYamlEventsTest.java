package io.cpra.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.events.Event;

/**
 * The fast YAML reader against SnakeYAML, the reference: on written, example and fuzzed inputs, the
 * events it hands out (kind, value, anchor, plain or quoted, line and column) are SnakeYAML's, up to
 * where it declines the input; and what a whole read hands the sink (trees with every position, errors,
 * the aborting error) is what SnakeYAML alone gives. More fuzzing: {@code -DfuzzN=30000 -DfuzzSeed=21}.
 */
class FastYamlEventsTest {

    private static final long SEED = 0xFA57_7A31L;

    /** Inputs the fast reader must take whole, as they are in the subset. */
    static Stream<String> subset() {
        return Stream.of(
                "monitors:\n  - name: a\n    pulse_check: {type: http, interval: 5s}\n",
                "monitors:\r\n  - name: a\r\n    enabled: true\r\n",
                "--- # doc\nmonitors: []\n",
                "---\nmonitors: []\n",
                "# lead\n\nmonitors:   # trailing\n  # inner\n  - name: 'it''s'   \n    x: \"a\\tb\\u00e9\\x41\\\\ \\\"q\\\"\"\n",
                "monitors:\n- a\n- b\nnext: 1\n",
                "monitors:\n  - name: x\n    groups:\n    - a\n    - b\n    codes:\n      red:\n  - name: y\n",
                "x-base: &base\n  type: http\n  interval: 5s\nmonitors:\n  - pulse_check:\n      <<: *base\n      timeout: 1s\n",
                "monitors:\n  - &m\n    name: a\n  - *m\n  - <<: [*m, {b: 1}]\n",
                "monitors:\n  -\n  - \n  - name:\n  - name: &e\n    x: 1\n",
                "monitors:\n  - {a: [1, [2, {}], []], b: \"c, d\", 'e': f g, h: &x i, j: *x}\n",
                "monitors:\n  - url: http://h:80/p?q=1#frag\n    note: a #comment\n    v: -1\n    w: :x\n    z: ~\n",
                "monitors:\n  - \"quoted key\": 1\n    'single' : 2\n    key with spaces: 3\n",
                "monitors:\n    - name: deep\n      a:\n          b:\n             c: d\n",
                "  monitors:\n    - a\n",
                "monitors: [\"é\", 'ü', ñ]\n",
                "monitors:\n  - a\n  # between\n  - b",
                "monitors: [-1, -a]\n",
                "monitors: x\n");
    }

    /** Inputs outside the subset or broken: the fast reader must decline, never differ. */
    static Stream<String> outside() {
        return Stream.of(
                "monitors:\n  - name: |\n      block\n", "monitors:\n  - name: >-\n      folded\n",
                "monitors: !!str x\n", "monitors:\n  - name: a\n    b\n", "monitors:\n  - name: \"a\n     b\"\n",
                "monitors: [a,\n  b]\n", "monitors:\n  - ? a\n    : b\n", "monitors:\n\t- a\n", "%YAML 1.1\n---\nmonitors: []\n",
                "monitors: []\n---\nmonitors: []\n", "monitors: []\n...\n", "", "# only\n", "monitors:\n  - - a\n",
                "monitors:\n  - name: a: b\n", "monitors:\n  - [a, b,]\n", "monitors:\n  - {a}\n", "monitors: a\rb\n",
                "monitors:\n  - name: [a\n  - b: c\n", "monitors:\n - a\n  - b\n", "monitors:\n  - &a &b x\n", "a: 1\n b: 2\n",
                "monitors:\n  - *nope\n", "- a\n- b\n", "monitors: \"\\q\"\n", "monitors: \"\\/\"\n", "monitors: [a?b]\n", "monitors:\n  - \u0085x\n",
                "monitors:\n  - \"\\ud83d\"\n", "monitors:\n  - 😀: x\n", "monitors:\n  key: 1\n  - a\n");
    }

    @ParameterizedTest
    @MethodSource("subset")
    void takesTheSubsetWholeWithSnakeYamlsEvents(String yaml) {
        Trace fast = fastEvents(yaml);
        assertThat(fast.declined).as("declined: %s", fast.declined).isNull();
        assertThat(fast.events).isEqualTo(snakeEvents(yaml).events);
    }

    @ParameterizedTest
    @MethodSource({"subset", "outside"})
    void declinesOrAgreesAndReadsLikeSnakeYaml(String yaml) {
        assertAgrees(yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void examplesAndGeneratedFilesAreTakenWhole() throws IOException {
        List<byte[]> inputs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("examples"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".yaml")).toList()) inputs.add(Files.readAllBytes(p));
        }
        inputs.add(MonitorLoaderFilesTest.V05.getBytes(StandardCharsets.UTF_8));
        inputs.add(MonitorLoaderFuzzTest.blockYaml().getBytes(StandardCharsets.UTF_8));
        inputs.add(generated(50).getBytes(StandardCharsets.UTF_8));
        assertThat(inputs).hasSizeGreaterThan(4);
        for (byte[] input : inputs) {
            String yaml = new String(input, StandardCharsets.UTF_8);
            Trace fast = fastEvents(yaml);
            assertThat(fast.declined).as("declined: %s in\n%s", fast.declined, yaml).isNull();
            assertThat(fast.events).isEqualTo(snakeEvents(yaml).events);
            assertAgrees(input);
        }
    }

    @Test
    void fuzzedInputsAreDeclinedOrReadAlike() {
        List<String> seeds = new ArrayList<>(subset().toList());
        seeds.add(MonitorLoaderFilesTest.V05);
        seeds.add(MonitorLoaderFuzzTest.blockYaml());
        seeds.add(generated(5));
        Random random = new Random(Long.getLong("fuzzSeed", SEED));
        int taken = 0;
        for (int i = 0; i < Integer.getInteger("fuzzN", 3000); i++) {
            String seed = seeds.get(random.nextInt(seeds.size()));
            byte[] input = random.nextBoolean() ? MonitorLoaderFuzzTest.mutate(seed.getBytes(StandardCharsets.UTF_8), random)
                    : indicators(seed, random).getBytes(StandardCharsets.UTF_8);
            if (assertAgrees(input)) taken++;
        }
        assertThat(taken).as("mutations the fast reader took whole").isGreaterThan(300);
    }

    /** 12,000 monitors make a file big enough to be parsed on a second thread. */
    @ParameterizedTest
    @ValueSource(ints = {1, 12_000})
    void aFileDeclinedLateLoadsEveryMonitorOnceWithEveryErrorOnce(int good, @TempDir Path dir) {
        String monitor = "  - name: m%d\n    pulse_check: {type: tcp, interval: 5s, timeout: 1s, config: {host: h, port: %d}}\n";
        StringBuilder yaml = new StringBuilder("monitors:\n").append(monitor.formatted(0, 0));
        for (int i = 1; i <= good; i++) yaml.append(monitor.formatted(i, 22));
        yaml.append("  - name: late\n    pulse_check: {type: tcp, interval: 5s, timeout: 1s, config: {host: h, port: 22}}\n")
                .append("    metadata:\n      note: |\n        a block scalar, outside the fast subset\n").append(monitor.formatted(-1, 22));
        assertThat(fastEvents(yaml.toString()).declined).isNotNull();
        Path file = Loads.write(dir, "late.yaml", yaml.toString());
        assertThat(file.toFile().length() >= MonitorLoader.PIPELINE_BYTES).isEqualTo(good > 1);
        Loads loads = Loads.of(file);
        assertThat(loads.monitors).hasSize(good + 2);
        assertThat(loads.monitors.stream().map(MonitorSpec::name).distinct()).hasSize(good + 2);
        assertThat(loads.monitors.get(good).metadata()).containsEntry("note", "a block scalar, outside the fast subset\n");
        assertThat(loads.errors()).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(3); // port: 0
            assertThat(e.monitor()).isEqualTo("m0");
        });
    }

    @Test
    void aWholeFileOnOneLineIsLeftToSnakeYaml(@TempDir Path dir) {
        StringBuilder yaml = new StringBuilder("monitors: [");
        for (int i = 0; yaml.length() <= FastYamlEvents.MAX_LINE; i++) {
            yaml.append(i == 0 ? "" : ", ").append("{name: m").append(i)
                    .append(", pulse_check: {type: tcp, interval: 5s, timeout: 1s, config: {host: h, port: 22}}}");
        }
        yaml.append("]\n");
        assertThat(fastEvents(yaml.toString()).declined).contains("a line longer than");
        Loads loads = Loads.of(Loads.write(dir, "one-line.yaml", yaml.toString()));
        assertThat(loads.errors()).isEmpty();
        assertThat(loads.monitors).hasSizeGreaterThan(10_000);
    }

    @Test
    void theSinksOwnFailureIsNotTakenForADeclinedReading() {
        byte[] input = generated(2).getBytes(StandardCharsets.UTF_8);
        UncheckedIOException failure = new UncheckedIOException(new IOException("disk full"));
        TreeSink failing = new TreeSink() {
            @Override
            public void monitorStarting(int position) { }

            @Override
            public void monitor(Node node, int position) { throw failure; }

            @Override
            public void error(int line, int column, String field, String message) { }
        };
        assertThatThrownBy(() -> YamlTreeReader.read(new ByteArrayInputStream(input), () -> {
            throw new AssertionError("read again");
        }, failing, new YamlTreeReader[1])).isSameAs(failure);
    }

    private static final String INDICATORS = ":- #'\"&*[]{},\n\r?|>!\\%@`~";

    /** Inserts, deletes or replaces a few characters, mostly YAML's indicators, spaces and line breaks. */
    private static String indicators(String seed, Random random) {
        StringBuilder out = new StringBuilder(seed);
        for (int k = 0, n = 1 + random.nextInt(3); k < n && !out.isEmpty(); k++) {
            int at = random.nextInt(out.length());
            char c = INDICATORS.charAt(random.nextInt(INDICATORS.length()));
            switch (random.nextInt(3)) {
                case 0 -> out.insert(at, c);
                case 1 -> out.deleteCharAt(at);
                default -> out.setCharAt(at, c);
            }
        }
        return out.toString();
    }

    /** A file as LoaderBenchmark writes it. */
    private static String generated(int n) {
        StringBuilder out = new StringBuilder("monitors:\n");
        for (int i = 0; i < n; i++) {
            out.append("  - name: m-").append(i).append("\n    pulse_check:\n      type: http\n      interval: 5s\n")
                    .append("      timeout: 2s\n      config:\n        url: http://10.0.0.").append(i).append(":8080/health\n")
                    .append("    metadata:\n      port_hint: \"").append(1000 + i).append("\"\n")
                    .append("    codes:\n      red:\n        notify: pagerduty\n        config:\n          routing_key: ${PD_KEY}\n");
        }
        return out.toString();
    }

    /**
     * Events: the fast ones must be SnakeYAML's, or a prefix of them when declined. Whole reads: the
     * sink must see the same. Returns whether the fast reader took the input whole.
     */
    private static boolean assertAgrees(byte[] input) {
        String yaml = new String(input, StandardCharsets.UTF_8);
        Trace fast = fastEvents(input);
        Trace snake = snakeEvents(input);
        String what = "input:\n" + yaml + "\ndeclined: " + fast.declined;
        if (fast.declined == null) {
            assertThat(snake.failed).as(what).isFalse();
            assertThat(fast.events).as(what).isEqualTo(snake.events);
        } else if (!snake.failed) {
            assertThat(fast.events).as(what).isEqualTo(snake.events.subList(0, fast.events.size()));
        } else { // SnakeYAML rejects special characters and bad bytes a chunk ahead of parsing: one stops first
            int common = Math.min(fast.events.size(), snake.events.size());
            assertThat(fast.events.subList(0, common)).as(what).isEqualTo(snake.events.subList(0, common));
        }
        List<String> fastRead = read(input, true);
        List<String> snakeRead = read(input, false);
        if (fastRead.equals(snakeRead)) return fast.declined == null;
        // only a file that fails anyway may differ: in how far it was read before SnakeYAML's early check
        // of the characters stopped it, so the fast reading may report its failure, or an error before it
        assertThat(snakeRead.getLast()).as(what).startsWith("failed");
        assertThat(fastRead).as(what).anyMatch(call -> call.startsWith("failed") || call.startsWith("error"));
        int common = Math.min(fastRead.size(), snakeRead.size()) - 1;
        assertThat(fastRead.subList(0, common)).as(what).isEqualTo(snakeRead.subList(0, common));
        return fast.declined == null;
    }

    private record Trace(List<String> events, String declined, boolean failed) {}

    private static Trace fastEvents(String yaml) {
        return fastEvents(yaml.getBytes(StandardCharsets.UTF_8));
    }

    private static Trace fastEvents(byte[] input) {
        FastYamlEvents events = new FastYamlEvents(new ByteArrayInputStream(input));
        List<String> out = new ArrayList<>();
        try {
            drain(events, out);
            return new Trace(out, null, false);
        } catch (FastYamlEvents.Unsupported | UncheckedIOException e) {
            return new Trace(out, e.toString(), true);
        }
    }

    private static Trace snakeEvents(String yaml) {
        return snakeEvents(yaml.getBytes(StandardCharsets.UTF_8));
    }

    private static Trace snakeEvents(byte[] input) {
        SnakeYamlEvents events = new SnakeYamlEvents(new ByteArrayInputStream(input));
        List<String> out = new ArrayList<>();
        try {
            drain(events, out);
            return new Trace(out, null, false);
        } catch (RuntimeException e) { // YAMLException, and SnakeYAML's own slips such as NumberFormatException
            return new Trace(out, null, true);
        }
    }

    private static void drain(YamlEvents events, List<String> out) {
        Event.ID kind;
        do {
            kind = events.next();
            out.add(switch (kind) {
                case Scalar, Alias, MappingStart, SequenceStart -> kind + " " + events.value() + " &" + events.anchor()
                        + " tag=" + events.tag() + (events.plain() ? " plain" : "") + " @" + events.line() + ":" + events.column();
                default -> kind.toString();
            });
        } while (kind != Event.ID.StreamEnd);
    }

    /** What a whole read hands the sink, rendered with every position; the failure last, if any. */
    private static List<String> read(byte[] input, boolean fast) {
        List<String> out = new ArrayList<>();
        TreeSink sink = new TreeSink() {
            @Override
            public void monitorStarting(int position) { out.add("starting " + position); }

            @Override
            public void monitor(Node node, int position) { out.add(position + " " + render(node)); }

            @Override
            public void error(int line, int column, String field, String message) {
                out.add("error " + line + ":" + column + " " + field + " " + message);
            }
        };
        try {
            if (fast) {
                YamlTreeReader.read(new ByteArrayInputStream(input), () -> new ByteArrayInputStream(input), sink, new YamlTreeReader[1]);
            } else {
                YamlTreeReader.readWithSnakeYaml(new ByteArrayInputStream(input), sink);
            }
        } catch (TreeSink.Abort e) {
            out.add("abort " + e.line + ":" + e.column + " " + e.getMessage());
        } catch (RuntimeException | IOException e) {
            out.add("failed " + e);
        }
        return out;
    }

    private static String render(Node node) {
        StringBuilder out = new StringBuilder();
        render(node, out);
        return out.toString();
    }

    private static void render(Node node, StringBuilder out) {
        out.append('@').append(node.line).append(':').append(node.column).append(' ');
        switch (node) {
            case Node.Scalar s -> out.append(s.kind).append('"').append(s.text).append('"');
            case Node.MapNode m -> {
                out.append('{');
                for (int i = 0; i < m.size; i++) {
                    render(m.keys[i], out);
                    out.append(": ");
                    render(m.values[i], out);
                    out.append(", ");
                }
                out.append('}');
            }
            case Node.SeqNode q -> {
                out.append('[');
                for (int i = 0; i < q.size; i++) {
                    render(q.items[i], out);
                    out.append(", ");
                }
                out.append(']');
            }
        }
    }
}
