package io.cpra.checks;

import io.cpra.config.PulseSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.cpra.checks.Checks.http;
import static io.cpra.checks.Checks.run;
import static io.cpra.checks.Checks.tcp;
import static io.cpra.checks.Checks.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Conditions through the real HTTP and TCP probes against local servers. */
class HttpConditionsTest {

    private static final String UP = "{\"status\":\"UP\",\"items\":[{\"id\":5},{\"id\":7}]}";
    private static final String DOWN = "{\"status\":\"DOWN\",\"items\":[]}";

    private static NettyProbeFactory factory;
    private static TestServer up;
    private static TestServer down;
    private static TestServer unavailable;
    private static TestServer slow;
    private static TestServer huge;

    @BeforeAll
    static void start() throws Exception {
        factory = new NettyProbeFactory(ProbeSettings.defaults().withIoThreads(1));
        up = TestServer.start(TestServer.respond(200, UP));
        down = TestServer.start(TestServer.respond(200, DOWN));
        unavailable = TestServer.start(TestServer.respond(503, DOWN));
        slow = TestServer.start(TestServer.respondAfter(150, 200, UP));
        huge = TestServer.start(TestServer.respond(200, "[" + "1,".repeat(50_000) + "1]"));
    }

    @AfterAll
    static void stop() throws Exception {
        factory.close();
        for (TestServer s : new TestServer[] {up, down, unavailable, slow, huge}) s.close();
    }

    private static PulseSpec get(TestServer server, String... conditions) {
        return when(http(server.url("/health")).spec(), conditions);
    }

    /** server, conditions, null when the check passes or its expected error. */
    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("up", new String[] {"[STATUS] == 200", "[BODY].status == UP"}, null),
                arguments("down", new String[] {"[STATUS] == 200", "[BODY].status == UP"},
                        "condition [BODY].status == UP failed: was \"DOWN\""),
                arguments("up", new String[] {"[BODY].items[1].id == 7", "len([BODY].items) > 0"}, null),
                arguments("down", new String[] {"len([BODY].items) > 0"}, "condition len([BODY].items) > 0 failed: length was 0"),
                arguments("up", new String[] {"[BODY] == pat(*\"status\":\"UP\"*)"}, null),
                arguments("down", new String[] {"[BODY] == pat(*\"status\":\"UP\"*)"},
                        "condition [BODY] == pat(*\"status\":\"UP\"*) failed: body was \"" + DOWN + "\""),
                // a [STATUS] condition replaces the default 2xx rule...
                arguments("unavailable", new String[] {"[STATUS] == 503"}, null),
                arguments("unavailable", new String[] {"[STATUS] == 200"}, "condition [STATUS] == 200 failed: status was 503"),
                arguments("unavailable", new String[] {"[STATUS] < 500", "[BODY].status == DOWN"}, "condition [STATUS] < 500 failed: status was 503"),
                // ...otherwise both apply
                arguments("unavailable", new String[] {"[BODY].status == DOWN"}, "status 503 not 2xx"),
                arguments("slow", new String[] {"[RESPONSE_TIME] < 100"}, "response time"),
                arguments("slow", new String[] {"[RESPONSE_TIME] < 5000", "[CONNECTED] == true"}, null),
                arguments("huge", new String[] {"len([BODY]) == 65536"}, null),
                arguments("huge", new String[] {"[BODY].x == 1"}, "condition [BODY].x == 1 failed: body is not JSON"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void conditionsJudgeTheResponse(String server, String[] conditions, String error) {
        TestServer target = switch (server) {
            case "up" -> up;
            case "down" -> down;
            case "unavailable" -> unavailable;
            case "slow" -> slow;
            default -> huge;
        };
        CheckJob job = run(factory.prepare(get(target, conditions)));

        if (error == null) {
            assertThat(job.error).isNull();
            assertThat(job.success).isTrue();
        } else if (error.equals("response time")) {
            assertThat(job.error).matches("condition \\[RESPONSE_TIME] < 100 failed: response time was \\d+ms");
        } else {
            assertThat(job.success).isFalse();
            assertThat(job.error).isEqualTo(error);
        }
    }

    @Test
    void anExplicitExpectedStatusIsNeverReplaced() {
        CheckJob job = run(factory.prepare(when(http(unavailable.url("/")).expect(200).spec(), "[STATUS] == 503")));

        assertThat(job.error).isEqualTo("status 503 not in [200]");
    }

    @Test
    void bodyContainsAndConditionsBothApply() {
        CheckJob job = run(factory.prepare(when(http(up.url("/")).body("UP").spec(), "[BODY].items[0].id == 6")));

        assertThat(job.error).isEqualTo("condition [BODY].items[0].id == 6 failed: was 5");
    }

    @Test
    void keepAliveConnectionsServeLaterChecksWithFreshViews() {
        PulseSpec spec = get(up, "[BODY].status == UP");
        int before = up.connections.get();
        for (int i = 0; i < 3; i++) assertThat(run(factory.prepare(spec)).error).isNull();

        assertThat(up.connections.get() - before).isLessThanOrEqualTo(1);
    }

    @Test
    void tcpChecksTakeConditionsToo() {
        assertThat(run(factory.prepare(when(tcp("127.0.0.1", up.port(), 1000), "[CONNECTED] == true", "[RESPONSE_TIME] < 5000"))).error)
                .isNull();
        assertThat(run(factory.prepare(when(tcp("127.0.0.1", up.port(), 1000), "[RESPONSE_TIME] < 0"))).error)
                .startsWith("condition [RESPONSE_TIME] < 0 failed: response time was ");
    }

    @Test
    void aBadConditionIsRejectedAtPrepare() {
        assertThatThrownBy(() -> factory.prepare(get(up, "[STATUS] == 200", "[STATUS] >> 1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid condition '[STATUS] >> 1' at column 10: bad operator '>>'; use ==, !=, <, <=, > or >=");
    }
}
