package io.cpra.config;

import static io.cpra.config.Loads.http;
import static io.cpra.config.Loads.pulse;
import static io.cpra.config.Loads.wrap;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every field, default and alias of CONFIG.md, each case run as JSON and as YAML (the same one-line
 * flow text is valid in both, so both parsers see byte-identical input).
 */
class MonitorLoaderFieldsTest {

    private static final long S = 1_000_000_000L;

    @TempDir
    Path dir;

    private record Case(String label, String monitor, Consumer<MonitorSpec> check) {}

    private static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("defaults", http("m", "", "", ""), m -> {
            assertThat(m.name()).isEqualTo("m");
            assertThat(m.enabled()).isTrue();
            PulseSpec p = m.pulse();
            assertThat(p.type()).isEqualTo(PulseType.HTTP);
            assertThat(p.intervalNanos()).isEqualTo(10 * S);
            assertThat(p.timeoutNanos()).isEqualTo(2 * S);
            assertThat(p.unhealthyThreshold()).isEqualTo(1);
            assertThat(p.healthyThreshold()).isZero();
            assertThat(p.recoveryThreshold()).isEqualTo(2);
            assertThat(p.verifyThreshold()).isEqualTo(3);
            assertThat(p.retries()).isZero();
            assertThat(p.groups()).isEmpty();
            assertThat(p.conditions()).isEmpty();
            assertThat(p.target()).isEqualTo(new PulseTarget.Http(URI.create("http://127.0.0.1:8080/health"), "GET",
                    List.of(), List.of(), null, false));
            assertThat(m.intervention()).isNull();
            assertThat(m.codes()).isEmpty();
            assertThat(m.metadata()).isEmpty();
            assertThat(m.notifyGroups()).isEmpty();
            assertThat(m.source().line()).isEqualTo(2);
        }));
        c.add(new Case("enabled false", http("m", "", "", ", \"enabled\": false"), m -> assertThat(m.enabled()).isFalse()));
        c.add(new Case("thresholds", http("m", "", ", \"unhealthy_threshold\": 3, \"healthy_threshold\": 4", ""), m -> {
            assertThat(m.pulse().unhealthyThreshold()).isEqualTo(3);
            assertThat(m.pulse().recoveryThreshold()).isEqualTo(4);
            assertThat(m.pulse().verifyThreshold()).isEqualTo(4);
        }));
        c.add(new Case("max_failures alias", http("m", "", ", \"max_failures\": 5", ""),
                m -> assertThat(m.pulse().unhealthyThreshold()).isEqualTo(5)));
        c.add(new Case("alias and name agreeing", http("m", "", ", \"max_failures\": 5, \"unhealthy_threshold\": 5", ""),
                m -> assertThat(m.pulse().unhealthyThreshold()).isEqualTo(5)));
        c.add(new Case("groups as string", http("m", "", ", \"groups\": \"payments\"", ""),
                m -> assertThat(m.pulse().groups()).containsExactly("payments")));
        c.add(new Case("groups as list, conditions", http("m", "", ", \"groups\": [\"a\", \"b\"], \"conditions\": [\"[STATUS] == 200\"]", ""), m -> {
            assertThat(m.pulse().groups()).containsExactly("a", "b");
            assertThat(m.pulse().conditions()).containsExactly("[STATUS] == 200");
        }));
        c.add(new Case("retries under pulse_check", http("m", "", ", \"retries\": 2", ""), m -> assertThat(m.pulse().retries()).isEqualTo(2)));
        c.add(new Case("retries under config", http("m", ", \"retries\": 3", "", ""), m -> assertThat(m.pulse().retries()).isEqualTo(3)));
        c.add(new Case("http fields", http("m", ", \"method\": \"post\", \"headers\": [\"Authorization: Bearer ${TOKEN}\", \"X-A:  b:c \"],"
                + " \"expected_status\": [200, 204], \"body_contains\": \"UP\", \"follow_redirects\": true", "", ""), m -> {
            PulseTarget.Http h = (PulseTarget.Http) m.pulse().target();
            assertThat(h.method()).isEqualTo("POST");
            assertThat(h.headers()).containsExactly(new Header("Authorization", "Bearer s3cret-token"), new Header("X-A", "b:c"));
            assertThat(h.expectedStatus()).containsExactly(200, 204);
            assertThat(h.bodyContains()).isEqualTo("UP");
            assertThat(h.followRedirects()).isTrue();
        }));
        c.add(new Case("header string, status int", http("m", ", \"headers\": \"Accept: */*\", \"expected_status\": 301", "", ""), m -> {
            PulseTarget.Http h = (PulseTarget.Http) m.pulse().target();
            assertThat(h.headers()).containsExactly(new Header("Accept", "*/*"));
            assertThat(h.expectedStatus()).containsExactly(301);
        }));
        c.add(new Case("tcp", pulse("tcp", "\"host\": \"${HOST}\", \"port\": 5432, \"retries\": 1"), m -> {
            assertThat(m.pulse().target()).isEqualTo(new PulseTarget.Tcp("db.internal", 5432));
            assertThat(m.pulse().retries()).isEqualTo(1);
        }));
        c.add(new Case("icmp defaults", pulse("icmp", "\"host\": \"10.0.0.1\""),
                m -> assertThat(m.pulse().target()).isEqualTo(new PulseTarget.Icmp("10.0.0.1", 1, false))));
        c.add(new Case("icmp fields", pulse("icmp", "\"host\": \"10.0.0.1\", \"count\": 3, \"ignore_privilege\": true"),
                m -> assertThat(m.pulse().target()).isEqualTo(new PulseTarget.Icmp("10.0.0.1", 3, true))));
        c.add(new Case("dns defaults", pulse("dns", "\"name\": \"example.com\""),
                m -> assertThat(m.pulse().target()).isEqualTo(new PulseTarget.Dns("example.com", "A", null, List.of()))));
        c.add(new Case("dns fields", pulse("dns", "\"name\": \"example.com\", \"record_type\": \"aaaa\", \"server\": \"1.1.1.1:53\", \"expected\": [\"::1\"]"),
                m -> assertThat(m.pulse().target()).isEqualTo(new PulseTarget.Dns("example.com", "AAAA", "1.1.1.1:53", List.of("::1")))));
        c.add(new Case("tls defaults", pulse("tls", "\"host\": \"example.com\""),
                m -> assertThat(m.pulse().target()).isEqualTo(new PulseTarget.Tls("example.com", 443, null))));
        c.add(new Case("tls fields, port from env", pulse("tls", "\"host\": \"example.com\", \"port\": \"${PORT}\", \"server_name\": \"www.example.com\""),
                m -> assertThat(m.pulse().target()).isEqualTo(new PulseTarget.Tls("example.com", 8443, "www.example.com"))));
        c.add(new Case("docker intervention defaults", http("m", "", "", ", \"intervention\": {\"action\": \"docker\", \"target\": {\"container\": \"api\"}}"),
                m -> assertThat(m.intervention()).isEqualTo(new InterventionSpec(ActionType.DOCKER, 0, 1,
                        new ActionTarget.Docker("api", 30 * S, null)))));
        c.add(new Case("docker intervention fields", http("m", "", "", ", \"intervention\": {\"action\": \"docker\", \"retries\": 2, \"max_failures\": 3,"
                + " \"target\": {\"container\": \"api\", \"timeout\": \"20s\", \"type\": \"restart\"}}"),
                m -> assertThat(m.intervention()).isEqualTo(new InterventionSpec(ActionType.DOCKER, 2, 3,
                        new ActionTarget.Docker("api", 20 * S, "restart")))));
        c.add(new Case("script intervention", http("m", "", "", ", \"intervention\": {\"action\": \"script\", \"target\": {\"path\": \"/opt/fix.sh\","
                + " \"args\": [\"-v\", \"x\"], \"env\": {\"K\": \"${TOKEN}\"}, \"timeout\": \"1m30s\"}}"),
                m -> assertThat(m.intervention().target()).isEqualTo(new ActionTarget.Script(Path.of("/opt/fix.sh"),
                        List.of("-v", "x"), Map.of("K", "s3cret-token"), 90 * S))));
        c.add(new Case("script defaults", http("m", "", "", ", \"intervention\": {\"action\": \"script\", \"target\": {\"path\": \"fix\"}}"),
                m -> assertThat(m.intervention().target()).isEqualTo(new ActionTarget.Script(Path.of("fix"), List.of(), Map.of(), 30 * S))));
        c.add(new Case("webhook intervention defaults", http("m", "", "", ", \"intervention\": {\"action\": \"webhook\", \"target\": {\"url\": \"https://h.example/fix\"}}"),
                m -> assertThat(m.intervention().target()).isEqualTo(new ActionTarget.Webhook(URI.create("https://h.example/fix"), "POST",
                        List.of(), null, 10 * S))));
        c.add(new Case("webhook intervention fields", http("m", "", "", ", \"intervention\": {\"action\": \"webhook\", \"target\": {\"url\": \"https://h.example/fix\","
                + " \"method\": \"PUT\", \"headers\": [\"X-Key: 1\"], \"body\": \"{}\", \"timeout\": \"500ms\"}}"),
                m -> assertThat(m.intervention().target()).isEqualTo(new ActionTarget.Webhook(URI.create("https://h.example/fix"), "PUT",
                        List.of(new Header("X-Key", "1")), "{}", 500_000_000L))));
        c.add(new Case("codes of every notifier", http("m", "", "", ", \"codes\": {"
                + "\"red\": {\"notify\": \"pagerduty\", \"repeat\": \"1h\", \"groups\": [\"ops\"], \"config\": {\"routing_key\": \"${TOKEN}\"}},"
                + " \"yellow\": {\"notify\": \"log\", \"config\": {\"file\": \"/var/log/w.log\"}},"
                + " \"green\": {\"notify\": \"webhook\", \"dispatch\": false, \"config\": {\"url\": \"http://hooks.internal/cpra\", \"headers\": \"X-T: 1\"}},"
                + " \"cyan\": {\"notify\": \"slack\", \"config\": {\"hook\": \"https://hooks.slack.com/x\"}},"
                + " \"gray\": {\"notify\": \"email\", \"config\": {\"to\": \"a@x.io\", \"from\": \"c@x.io\", \"smtp_host\": \"smtp.x.io\"}}}"), m -> {
            assertThat(m.codes().keySet()).containsExactly(Colour.YELLOW, Colour.RED, Colour.CYAN, Colour.GREEN, Colour.GRAY);
            assertThat(m.codes().get(Colour.RED)).isEqualTo(new CodeSpec(Colour.RED, NotifierType.PAGERDUTY, true,
                    new NotifyConfig.PagerDuty(URI.create(NotifyConfig.PagerDuty.DEFAULT_URL), "s3cret-token"), List.of("ops"), 3600 * S));
            assertThat(m.codes().get(Colour.YELLOW).config()).isEqualTo(new NotifyConfig.Log(Path.of("/var/log/w.log")));
            assertThat(m.codes().get(Colour.GREEN)).isEqualTo(new CodeSpec(Colour.GREEN, NotifierType.WEBHOOK, false,
                    new NotifyConfig.Webhook(URI.create("http://hooks.internal/cpra"), List.of(new Header("X-T", "1"))), List.of(), 0));
            assertThat(m.codes().get(Colour.CYAN).config()).isEqualTo(new NotifyConfig.Slack(URI.create("https://hooks.slack.com/x")));
            assertThat(m.codes().get(Colour.GRAY).config()).isEqualTo(new NotifyConfig.Email(List.of("a@x.io"), "c@x.io", "smtp.x.io",
                    587, null, null, true));
        }));
        c.add(new Case("email fields, pagerduty url", http("m", "", "", ", \"codes\": {"
                + "\"red\": {\"notify\": \"pagerduty\", \"config\": {\"url\": \"https://pd.example/v2\", \"routing_key\": \"k\"}},"
                + "\"gray\": {\"notify\": \"email\", \"config\": {\"to\": [\"a@x.io\", \"b@x.io\"], \"from\": \"c@x.io\", \"smtp_host\": \"smtp.x.io\","
                + " \"smtp_port\": 25, \"username\": \"u\", \"password\": \"$$ecret\", \"starttls\": false}}}"), m -> {
            assertThat(m.codes().get(Colour.RED).config()).isEqualTo(new NotifyConfig.PagerDuty(URI.create("https://pd.example/v2"), "k"));
            assertThat(m.codes().get(Colour.GRAY).config()).isEqualTo(new NotifyConfig.Email(List.of("a@x.io", "b@x.io"), "c@x.io",
                    "smtp.x.io", 25, "u", "$ecret", false));
        }));
        c.add(new Case("log file \"\" is standard output", http("m", "", "", ", \"codes\": {\"red\": {\"notify\": \"log\", \"config\": {\"file\": \"\"}}}"),
                m -> assertThat(m.codes().get(Colour.RED).config()).isEqualTo(new NotifyConfig.Log(null))));
        c.add(new Case("metadata and notify_groups", http("m", "", "", ", \"metadata\": {\"team\": \"core\", \"port_hint\": 8080},"
                + " \"notify_groups\": \"oncall\""), m -> {
            assertThat(m.metadata()).isEqualTo(Map.of("team", "core", "port_hint", "8080"));
            assertThat(m.notifyGroups()).containsExactly("oncall");
        }));
        c.add(new Case("substitution: $$ and a lone $ stay literal", http("cost-$$5-$x-${HOST}", "", "", ""),
                m -> assertThat(m.name()).isEqualTo("cost-$5-$x-db.internal")));
        c.add(new Case("durations of Go's grammar", http("m", "", "", "").replace("\"10s\"", "\"1h2m3.5s\"").replace("\"2s\"", "\"1500ms\""), m -> {
            assertThat(m.pulse().intervalNanos()).isEqualTo(3723_500_000_000L);
            assertThat(m.pulse().timeoutNanos()).isEqualTo(1_500_000_000L);
        }));
        return c;
    }

    static Stream<Arguments> casesInBothFormats() {
        return cases().stream().flatMap(c -> Stream.of(Arguments.of(c.label(), "json", c), Arguments.of(c.label(), "yaml", c)));
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("casesInBothFormats")
    void bindsFieldsAndDefaults(String label, String format, Case c) {
        Path file = Loads.write(dir, "m." + format, wrap(c.monitor()));
        Loads loads = Loads.of(file);
        c.check().accept(loads.only());
        assertThat(loads.result.monitors()).isEqualTo(1);
    }
}
