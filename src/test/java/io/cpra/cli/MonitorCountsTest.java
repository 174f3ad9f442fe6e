package io.cpra.cli;

import static io.cpra.cli.Monitors.monitor;
import static io.cpra.config.Colour.CYAN;
import static io.cpra.config.Colour.GREEN;
import static io.cpra.config.Colour.RED;
import static io.cpra.config.Colour.YELLOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cpra.config.ActionType;
import io.cpra.config.PulseType;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MonitorCountsTest {

    private static MonitorCounts threeMonitors() {
        MonitorCounts counts = new MonitorCounts();
        counts.accept(monitor("a", true, PulseType.HTTP, ActionType.SCRIPT, YELLOW, RED, CYAN, GREEN));
        counts.accept(monitor("b", true, PulseType.HTTP, null, RED));
        counts.accept(monitor("c", false, PulseType.TCP, null, RED, GREEN));
        return counts;
    }

    @Test
    void summaryListsNonZeroCountsPerSection() {
        assertThat(threeMonitors().summary()).isEqualTo(
                "ok: 3 monitors (2 enabled, 1 disabled); pulse http=2 tcp=1; interventions script=1;"
                        + " codes yellow=1 red=3 cyan=1 green=2; notifiers log=4 pagerduty=3");
    }

    @Test
    void emptySectionsSayNone() {
        MonitorCounts counts = new MonitorCounts();
        counts.accept(monitor("only", true, PulseType.ICMP, null));

        assertThat(counts.summary()).isEqualTo(
                "ok: 1 monitor (1 enabled, 0 disabled); pulse icmp=1; interventions none; codes none; notifiers none");
    }

    @Test
    void jsonHasEveryKeyIncludingZeros() throws Exception {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(text)) {
            threeMonitors().writeJson(g);
        }
        JsonNode json = new ObjectMapper().readTree(text.toString());

        assertThat(json.get("monitors").asLong()).isEqualTo(3);
        assertThat(json.get("enabled").asLong()).isEqualTo(2);
        assertThat(json.get("disabled").asLong()).isEqualTo(1);
        assertThat(json.get("pulse").toString()).isEqualTo("{\"http\":2,\"tcp\":1,\"icmp\":0,\"dns\":0,\"tls\":0}");
        assertThat(json.get("interventions").toString()).isEqualTo("{\"docker\":0,\"script\":1,\"webhook\":0}");
        assertThat(json.get("codes").toString())
                .isEqualTo("{\"yellow\":1,\"red\":3,\"cyan\":1,\"green\":2,\"gray\":0}");
        assertThat(json.get("notifiers").toString())
                .isEqualTo("{\"log\":4,\"slack\":0,\"pagerduty\":3,\"webhook\":0,\"email\":0}");
    }
}
