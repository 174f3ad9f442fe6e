package io.cpra.config;

import static io.cpra.config.Loads.http;
import static io.cpra.config.Loads.wrap;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every validation error class, as JSON and as YAML from the same one-line text: each case asserts the
 * file, line, column (where {@code at} first occurs on the monitor's line), monitor, field and message.
 */
class MonitorLoaderErrorsTest {

    @TempDir
    Path dir;

    record Case(String label, String monitor, String monitorId, String field, String message, String at) {}

    private static final String PAGER = ", \"codes\": {\"red\": {\"notify\": \"pagerduty\", \"config\": {\"routing_key\": \"k\"}}}";

    private static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("missing name", "{\"pulse_check\": {\"type\": \"tcp\", \"interval\": \"1s\", \"timeout\": \"1s\", \"config\": {\"host\": \"h\", \"port\": 1}}}",
                "#1", "name", "missing required field", "{"));
        c.add(new Case("missing pulse_check", "{\"name\": \"m\"}", "m", "pulse_check", "missing required field", "{"));
        c.add(new Case("unknown field with suggestion", http("m", "", ", \"unhealty_threshold\": 3", ""), "m",
                "pulse_check.unhealty_threshold", "unknown field unhealty_threshold; did you mean unhealthy_threshold?", "\"unhealty_threshold\""));
        c.add(new Case("unknown monitor field", http("m", "", "", ", \"colors\": {}"), "m", "colors", "unknown field colors", "\"colors\""));
        c.add(new Case("duplicate key", http("m", "", "", ", \"enabled\": true, \"enabled\": false"), "m", "enabled",
                "duplicate key (first at line 2)", "\"enabled\": false"));
        c.add(new Case("bool given as string", http("m", "", "", ", \"enabled\": \"yes\""), "m", "enabled",
                "expected true or false, got a string", "\"yes\""));
        c.add(new Case("string given as mapping", http("m", "", "", "").replace("\"http://127.0.0.1:8080/health\"", "{}"), "m",
                "pulse_check.config.url", "expected a string, got a mapping", "{}"));
        c.add(new Case("int given as quoted string", pulse("tcp", "\"host\": \"h\", \"port\": \"5432\""), "m",
                "pulse_check.config.port", "expected an integer, got a string", "\"5432\""));
        c.add(new Case("unknown duration unit", http("m", "", "", "").replace("\"10s\"", "\"10x\""), "m",
                "pulse_check.interval", "unknown unit \"x\" in duration", "\"10x\""));
        c.add(new Case("duration without unit", http("m", "", "", "").replace("\"10s\"", "\"10\""), "m",
                "pulse_check.interval", "missing unit in duration", "\"10\""));
        c.add(new Case("missing interval", http("m", "", "", "").replace("\"interval\": \"10s\", ", ""), "m",
                "pulse_check.interval", "missing required field", "{\"type\""));
        c.add(new Case("timeout above interval", http("m", "", "", "").replace("\"2s\"", "\"20s\""), "m",
                "pulse_check.timeout", "must not exceed interval", "\"20s\""));
        c.add(new Case("zero interval", http("m", "", "", "").replace("\"10s\"", "\"0s\""), "m",
                "pulse_check.interval", "must be greater than zero", "\"0s\""));
        c.add(new Case("negative interval", http("m", "", "", "").replace("\"10s\"", "\"-5s\""), "m",
                "pulse_check.interval", "must be greater than zero", "\"-5s\""));
        c.add(new Case("condition with unknown placeholder", http("m", "", ", \"conditions\": [\"[STAUTS] == 200\"]", ""), "m",
                "pulse_check.conditions[0]", "invalid condition: unknown placeholder [STAUTS] (known: [STATUS], [RESPONSE_TIME], "
                + "[BODY], [CERTIFICATE_EXPIRATION], [CONNECTED], [DNS_RCODE])", "[STAUTS]"));
        c.add(new Case("condition with bad number", http("m", "", ", \"conditions\": [\"[STATUS] == 2x0\"]", ""), "m",
                "pulse_check.conditions[0]", "invalid condition: bad number '2x0'", "2x0"));
        c.add(new Case("unknown type", http("m", "", "", "").replace("\"http\"", "\"htp\""), "m",
                "pulse_check.type", "unknown type \"htp\"; did you mean http?", "\"htp\""));
        c.add(new Case("unknown action", http("m", "", "", ", \"intervention\": {\"action\": \"dockr\", \"target\": {}}"), "m",
                "intervention.action", "unknown action \"dockr\"; did you mean docker?", "\"dockr\""));
        c.add(new Case("unknown notify", http("m", "", "", PAGER.replace("\"pagerduty\"", "\"pager\"")), "m",
                "codes.red.notify", "unknown notify \"pager\"; did you mean pagerduty?", "\"pager\""));
        c.add(new Case("unknown colour", http("m", "", "", PAGER.replace("\"red\"", "\"blue\"")), "m",
                "codes.blue", "unknown colour blue", "\"blue\""));
        c.add(new Case("URL that does not parse", http("m", "", "", "").replace("http://127.0.0.1:8080/health", "http://a b/"), "m",
                "pulse_check.config.url", "not a valid URL", "\"http://a b/\""));
        c.add(new Case("URL without host", http("m", "", "", "").replace("http://127.0.0.1:8080/health", "http:///health"), "m",
                "pulse_check.config.url", "has no (valid) host", "\"http:///health\""));
        c.add(new Case("URL with another scheme", http("m", "", "", "").replace("http://127.0.0.1:8080/health", "ftp://h/x"), "m",
                "pulse_check.config.url", "must start with http:// or https://", "\"ftp://h/x\""));
        c.add(new Case("notifier URL such as pager", http("m", "", "", ", \"codes\": {\"red\": {\"notify\": \"slack\", \"config\": {\"hook\": \"pager\"}}}"),
                "m", "codes.red.config.hook", "not a valid URL", "\"pager\""));
        c.add(new Case("port above range", pulse("tcp", "\"host\": \"h\", \"port\": 70000"), "m",
                "pulse_check.config.port", "must be between 1 and 65535", "70000"));
        c.add(new Case("port zero", pulse("tls", "\"host\": \"h\", \"port\": 0"), "m",
                "pulse_check.config.port", "must be between 1 and 65535", "0}"));
        c.add(new Case("missing port", pulse("tcp", "\"host\": \"h\""), "m", "pulse_check.config.port", "missing required field", "{\"host\""));
        c.add(new Case("unset variable", http("m", "", "", "").replace("127.0.0.1", "${NOPE}"), "m",
                "pulse_check.config.url", "environment variable NOPE is not set", "\"http://${NOPE}"));
        c.add(new Case("bad duration from a variable, not echoed", http("m", "", "", "").replace("\"10s\"", "\"${TOKEN}\""), "m",
                "pulse_check.interval", "not a valid duration (the value from ${...} is not shown)", "\"${TOKEN}\""));
        c.add(new Case("unterminated variable", http("m", "", "", "").replace("127.0.0.1", "${NOPE"), "m",
                "pulse_check.config.url", "unterminated ${", "\"http://${NOPE"));
        c.add(new Case("malformed header, secret not echoed", http("m", ", \"headers\": [\"Authorization ${TOKEN}\"]", "", ""), "m",
                "pulse_check.config.headers", "a header must look like \"Name: value\"", "\"Authorization"));
        c.add(new Case("status out of range", http("m", ", \"expected_status\": [200, 99]", "", ""), "m",
                "pulse_check.config.expected_status", "between 100 and 599", "99"));
        c.add(new Case("contradicting retries", http("m", ", \"retries\": 2", ", \"retries\": 1", ""), "m",
                "pulse_check.config.retries", "contradicts pulse_check.retries", "2}"));
        c.add(new Case("contradicting threshold alias", http("m", "", ", \"unhealthy_threshold\": 2, \"max_failures\": 3", ""), "m",
                "pulse_check.max_failures", "contradicts pulse_check.unhealthy_threshold", "3,"));
        c.add(new Case("zero threshold", http("m", "", ", \"unhealthy_threshold\": 0", ""), "m",
                "pulse_check.unhealthy_threshold", "must be at least 1", "0,"));
        c.add(new Case("repeat on yellow", http("m", "", "", ", \"codes\": {\"yellow\": {\"notify\": \"log\", \"repeat\": \"1m\", \"config\": {\"file\": \"\"}}}"),
                "m", "codes.yellow.repeat", "only supported on red", "\"1m\""));
        c.add(new Case("missing notify", http("m", "", "", ", \"codes\": {\"red\": {\"config\": {\"file\": \"x\"}}}"), "m",
                "codes.red.notify", "missing required field", "{\"config\""));
        c.add(new Case("log without file", http("m", "", "", ", \"codes\": {\"red\": {\"notify\": \"log\", \"config\": {}}}"), "m",
                "codes.red.config.file", "missing required field", "{}"));
        c.add(new Case("pagerduty without routing_key", http("m", "", "", ", \"codes\": {\"red\": {\"notify\": \"pagerduty\", \"config\": {\"url\": \"https://p.io/x\"}}}"),
                "m", "codes.red.config.routing_key", "missing required field", "{\"url\": \"https://p.io"));
        c.add(new Case("docker without container", http("m", "", "", ", \"intervention\": {\"action\": \"docker\", \"target\": {\"timeout\": \"5s\"}}"),
                "m", "intervention.target.container", "missing required field", "{\"timeout\""));
        c.add(new Case("unknown target field", http("m", "", "", ", \"intervention\": {\"action\": \"docker\", \"target\": {\"container\": \"c\", \"timout\": \"5s\"}}"),
                "m", "intervention.target.timout", "did you mean timeout?", "\"timout\""));
        c.add(new Case("monitor that is not a mapping", "\"just a string\"", "#1", "", "a monitor must be a mapping, got a string", "\"just"));
        return c;
    }

    private static String pulse(String type, String config) {
        return "{\"name\": \"m\", \"pulse_check\": {\"type\": \"" + type + "\", \"interval\": \"10s\", \"timeout\": \"2s\", \"config\": {" + config + "}}}";
    }

    static Stream<Arguments> casesInBothFormats() {
        return cases().stream().flatMap(c -> Stream.of(Arguments.of(c.label(), "json", c), Arguments.of(c.label(), "yaml", c)));
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("casesInBothFormats")
    void reportsErrorWithPosition(String label, String format, Case c) {
        Path file = Loads.write(dir, "m." + format, wrap(c.monitor()));
        Loads loads = Loads.of(file);
        assertThat(loads.result.ok()).isFalse();
        assertThat(loads.monitors).isEmpty();
        int column = c.monitor().indexOf(c.at()) + 1;
        assertThat(column).as("test case anchor").isPositive();
        assertThat(loads.errors()).hasSize(1);
        ConfigError e = loads.errors().getFirst();
        assertThat(e.file()).isEqualTo(file.toString());
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(column);
        assertThat(e.monitor()).isEqualTo(c.monitorId());
        assertThat(e.field()).isEqualTo(c.field());
        assertThat(e.message()).contains(c.message());
        assertThat(e.toString()).doesNotContain("s3cret");
    }
}
