package io.cpra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cpra.config.ActionTarget;
import io.cpra.config.Capabilities;
import io.cpra.config.CodeSpec;
import io.cpra.config.Colour;
import io.cpra.config.LoadResult;
import io.cpra.config.MonitorLoader;
import io.cpra.config.MonitorSpec;
import io.cpra.config.NotifyConfig;
import io.cpra.config.PulseTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shipped examples load under the whole CONFIG.md contract and mean what their comments say. */
class ExamplesTest {

    private static final long SECOND = 1_000_000_000L;

    private static Map<String, MonitorSpec> load(String file, MonitorCounts counts) {
        Map<String, MonitorSpec> byName = new LinkedHashMap<>();
        LoadResult result = MonitorLoader.load(List.of(Path.of(file)), Capabilities.ALL, m -> {
            counts.accept(m);
            byName.put(m.name(), m);
        });
        assertThat(result.errors()).isEmpty();
        return byName;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            examples/monitors.yaml      | ok: 6 monitors (5 enabled, 1 disabled); pulse http=3 tcp=2 icmp=1; interventions script=1; codes yellow=3 red=6 cyan=1 green=5 gray=2; notifiers log=17
            examples/v0.5/anchors.yaml  | ok: 4 monitors (3 enabled, 1 disabled); pulse http=4; interventions none; codes red=4; notifiers log=4
            examples/v0.5/monitors.yaml | ok: 3 monitors (3 enabled, 0 disabled); pulse http=1 tcp=1 icmp=1; interventions docker=1; codes yellow=2 red=3 cyan=1 green=2; notifiers log=4 slack=2 pagerduty=2
            examples/v0.5/monitors.json | ok: 3 monitors (3 enabled, 0 disabled); pulse http=1 tcp=1 icmp=1; interventions docker=1; codes yellow=1 red=3 cyan=1 green=2; notifiers log=3 slack=2 pagerduty=2
            """)
    void loadsWithTheseCounts(String file, String summary) {
        MonitorCounts counts = new MonitorCounts();
        load(file, counts);

        assertThat(counts.summary()).isEqualTo(summary);
    }

    @Test
    void exampleUsesEveryColourAndARunnableScript() {
        Map<String, MonitorSpec> monitors = load("examples/monitors.yaml", new MonitorCounts());

        assertThat(monitors.values().stream().flatMap(m -> m.codes().keySet().stream()).distinct())
                .containsExactlyInAnyOrder(Colour.values());
        ActionTarget.Script script = (ActionTarget.Script) monitors.get("inventory-api").intervention().target();
        assertThat(Files.isExecutable(script.path())).isTrue();
        assertThat(script.args()).containsExactly("inventory-api");
        assertThat(monitors.get("orders-db").codes().get(Colour.GRAY).dispatch()).isFalse();
    }

    @Test
    void mergeKeysCopyTheAnchoredMonitor() {
        Map<String, MonitorSpec> monitors = load("examples/v0.5/anchors.yaml", new MonitorCounts());

        MonitorSpec copy = monitors.get("test-monitor-03");
        assertThat(copy.enabled()).isTrue();
        assertThat(copy.pulse().intervalNanos()).isEqualTo(5 * SECOND);
        assertThat(copy.pulse().retries()).isEqualTo(1);
        assertThat(((PulseTarget.Http) copy.pulse().target()).url()).hasToString("http://localhost:18080/health");
        assertThat(((NotifyConfig.Log) copy.codes().get(Colour.RED).config()).file()).isNull();
        assertThat(monitors.get("test-monitor-04").enabled()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"examples/v0.5/monitors.yaml, payments", "examples/v0.5/monitors.json, billing"})
    void v05FieldsKeepTheirMeaning(String file, String team) {
        Map<String, MonitorSpec> monitors = load(file, new MonitorCounts());
        MonitorSpec api = monitors.get(team + "-api");

        assertThat(api.pulse().unhealthyThreshold()).isEqualTo(3);
        assertThat(api.pulse().retries()).isEqualTo(1);
        assertThat(api.pulse().groups()).contains(team, "eu");
        assertThat(api.intervention().maxFailures()).isEqualTo(2);
        assertThat(api.intervention().retries()).isEqualTo(1);
        ActionTarget.Docker docker = (ActionTarget.Docker) api.intervention().target();
        assertThat(docker.container()).isEqualTo(team + "-api");
        assertThat(docker.timeoutNanos()).isEqualTo(20 * SECOND);
        assertThat(api.metadata()).containsEntry("team", team).containsEntry("region", "eu-west-1");
        assertThat(api.notifyGroups()).containsExactly(team + "-oncall");
        CodeSpec red = api.codes().get(Colour.RED);
        assertThat(red.groups()).containsExactly(team + "-oncall");
        assertThat(((NotifyConfig.PagerDuty) red.config()).routingKey()).isEqualTo("R0UT1NGK3Y0000000000000000000000");
        assertThat(((NotifyConfig.Slack) api.codes().get(Colour.GREEN).config()).hook().getHost())
                .isEqualTo("hooks.slack.com");
        assertThat(monitors.values()).allSatisfy(m -> assertThat(m.enabled()).isTrue());
    }
}
