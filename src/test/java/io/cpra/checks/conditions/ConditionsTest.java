package io.cpra.checks.conditions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Expressions evaluated against result views, and the column of every kind of malformed expression. */
class ConditionsTest {

    private static final long HOUR = 3_600_000L;
    private static final String JSON = """
            {"status":"UP","items":[{"id":5,"name":"a"},{"id":7}],"count":12,"ratio":0.5,"ok":true,"nested":{"x":{"y":"z"}}}""";

    private static Consumer<ResultView> status(int code) {
        return v -> v.status(code);
    }

    private static Consumer<ResultView> body(String text) {
        return v -> v.body(text);
    }

    /** expression, result view, null when it holds or the expected reason. */
    static Stream<Arguments> table() {
        return Stream.of(
                arguments("[STATUS] == 200", status(200), null),
                arguments("[STATUS] == 200", status(503), "condition [STATUS] == 200 failed: status was 503"),
                arguments("[STATUS] < 300", status(204), null),
                arguments("[STATUS] < 300", status(301), "condition [STATUS] < 300 failed: status was 301"),
                arguments("[STATUS] >= 500", status(500), null),
                arguments("[STATUS] != 404", status(404), "condition [STATUS] != 404 failed: status was 404"),
                arguments("[STATUS] == any(200, 204)", status(204), null),
                arguments("[STATUS] == any(200, 204)", status(201), "condition [STATUS] == any(200, 204) failed: status was 201"),
                arguments("[STATUS] != any(500,503)", status(200), null),
                arguments("  [STATUS]==200  ", status(200), null),
                arguments("[RESPONSE_TIME] < 300", (Consumer<ResultView>) v -> v.responseTime(120_000_000L), null),
                arguments("[RESPONSE_TIME] < 300", (Consumer<ResultView>) v -> v.responseTime(512_400_000L),
                        "condition [RESPONSE_TIME] < 300 failed: response time was 512ms"),
                arguments("[RESPONSE_TIME] <= 1s", (Consumer<ResultView>) v -> v.responseTime(900_000_000L), null),
                arguments("[BODY].status == UP", body(JSON), null),
                arguments("[BODY].status == UP", body("{\"status\":\"DOWN\"}"), "condition [BODY].status == UP failed: was \"DOWN\""),
                arguments("[BODY].status == UP", body("<html>"), "condition [BODY].status == UP failed: body is not JSON"),
                arguments("[BODY].status == UP", body(""), "condition [BODY].status == UP failed: body is not JSON"),
                arguments("[BODY].missing == UP", body(JSON), "condition [BODY].missing == UP failed: not found"),
                arguments("[BODY].items[0].id == 5", body(JSON), null),
                arguments("[BODY].items[1].id == 5", body(JSON), "condition [BODY].items[1].id == 5 failed: was 7"),
                arguments("[BODY].items[9].id == 5", body(JSON), "condition [BODY].items[9].id == 5 failed: not found"),
                arguments("[BODY].count > 10", body(JSON), null),
                arguments("[BODY].count == 12.0", body(JSON), null),
                arguments("[BODY].ratio < 1", body(JSON), null),
                arguments("[BODY].status > 1", body(JSON), "condition [BODY].status > 1 failed: was \"UP\""),
                arguments("[BODY].ok == true", body(JSON), null),
                arguments("[BODY].nested.x.y == z", body(JSON), null),
                arguments("[BODY].nested == z", body(JSON), "condition [BODY].nested == z failed: was {\"x\":{\"y\":\"z\"}}"),
                arguments("[BODY].status == any(UP, DEGRADED)", body(JSON), null),
                arguments("[BODY] == pat(*ok*)", body("all ok here"), null),
                arguments("[BODY] == pat(*ok*)", body("all bad"), "condition [BODY] == pat(*ok*) failed: body was \"all bad\""),
                arguments("[BODY] != pat(*error*)", body("fine"), null),
                arguments("[BODY] == pat(h?llo)", body("hello"), null),
                arguments("[BODY].status == pat(U*)", body(JSON), null),
                arguments("[BODY] == pong", body("pong"), null),
                arguments("len([BODY].items) > 0", body(JSON), null),
                arguments("len([BODY].items) == 3", body(JSON), "condition len([BODY].items) == 3 failed: length was 2"),
                arguments("len([BODY].status) == 2", body(JSON), null),
                arguments("len([BODY]) < 1000", body(JSON), null),
                arguments("len([BODY]) < 5", body("123456"), "condition len([BODY]) < 5 failed: length was 6"),
                arguments("[CERTIFICATE_EXPIRATION] > 48h", (Consumer<ResultView>) v -> v.certificateRemainingMillis(72 * HOUR), null),
                arguments("[CERTIFICATE_EXPIRATION] > 720h", (Consumer<ResultView>) v -> v.certificateRemainingMillis(47 * HOUR + 60_000),
                        "condition [CERTIFICATE_EXPIRATION] > 720h failed: certificate expires in 1d 23h"),
                arguments("[CERTIFICATE_EXPIRATION] > 0", (Consumer<ResultView>) v -> v.certificateRemainingMillis(-3 * 24 * HOUR - 5),
                        "condition [CERTIFICATE_EXPIRATION] > 0 failed: certificate expired 3 days ago"),
                arguments("[CERTIFICATE_EXPIRATION] > 7d", (Consumer<ResultView>) v -> {}, "condition [CERTIFICATE_EXPIRATION] > 7d failed: no certificate"),
                arguments("[CONNECTED] == true", (Consumer<ResultView>) v -> v.connected(true), null),
                arguments("[CONNECTED] == true", (Consumer<ResultView>) v -> v.connected(false), "condition [CONNECTED] == true failed: connected was false"),
                arguments("[CONNECTED] != true", (Consumer<ResultView>) v -> v.connected(false), null),
                arguments("[DNS_RCODE] == NOERROR", (Consumer<ResultView>) v -> v.dnsRcode("NOERROR"), null),
                arguments("[DNS_RCODE] == NOERROR", (Consumer<ResultView>) v -> v.dnsRcode("NXDOMAIN"), "condition [DNS_RCODE] == NOERROR failed: rcode was NXDOMAIN"),
                arguments("[DNS_RCODE] == NXDOMAIN", (Consumer<ResultView>) v -> {}, "condition [DNS_RCODE] == NXDOMAIN failed: no DNS response"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("table")
    void evaluates(String expression, Consumer<ResultView> input, String expected) {
        ConditionSet set = Conditions.compile(List.of(expression));
        ResultView view = new ResultView();
        input.accept(view);

        assertThat(set.firstFailure(view)).isEqualTo(expected);
    }

    /** expression, expected 1-based column, a fragment of the message. */
    static Stream<Arguments> malformed() {
        return Stream.of(
                arguments("", 1, "empty condition"),
                arguments("   ", 1, "empty condition"),
                arguments("[STATSU] == 200", 1, "unknown placeholder [STATSU]"),
                arguments("  [FOO] == 1", 3, "unknown placeholder [FOO]"),
                arguments("STATUS == 200", 1, "expected a placeholder"),
                arguments("[STATUS] = 200", 10, "bad operator '='"),
                arguments("[STATUS] => 200", 10, "bad operator '=>'"),
                arguments("[STATUS] 200", 10, "expected an operator, found '2'"),
                arguments("[STATUS] ==", 12, "missing value after =="),
                arguments("[STATUS == 200", 1, "unbalanced '['"),
                arguments("[BODY].items[0 == 1", 13, "unbalanced '['"),
                arguments("len([BODY].items > 0", 4, "unbalanced '('"),
                arguments("[BODY] == pat(*ok*", 14, "unbalanced '(' in pat()"),
                arguments("[STATUS] == any(200, 204", 16, "unbalanced '(' in any()"),
                arguments("[BODY].items[x] == 1", 14, "array index must be a number"),
                arguments("[BODY]..a == 1", 7, "empty key in path"),
                arguments("[STATUS] == 2OO", 13, "bad number '2OO'"),
                arguments("[STATUS] == any(200, x)", 22, "bad number 'x'"),
                arguments("[BODY].count > many", 16, "bad number 'many'"),
                arguments("len([BODY]) > lots", 15, "bad number 'lots'"),
                arguments("[CERTIFICATE_EXPIRATION] > 48hours", 28, "bad duration '48hours'"),
                arguments("[RESPONSE_TIME] < fast", 19, "bad duration 'fast'"),
                arguments("[BODY] == pat()", 15, "empty pattern"),
                arguments("[BODY] < pat(*a*)", 8, "pat() works only with == and !="),
                arguments("[STATUS] == pat(2*)", 13, "pat() applies only to [BODY]"),
                arguments("[CONNECTED] == yes", 16, "expected true or false"),
                arguments("[CONNECTED] > true", 13, "only == and != apply to [CONNECTED]"),
                arguments("[DNS_RCODE] == NOPE", 16, "unknown DNS rcode 'NOPE'"),
                arguments("[STATUS].code == 1", 1, "only [BODY] takes a path"),
                arguments("len([STATUS]) > 1", 1, "len() applies only to [BODY]"));
    }

    @ParameterizedTest(name = "{0} -> column {1}")
    @MethodSource("malformed")
    void reportsTheColumn(String expression, int column, String message) {
        assertThat(Conditions.validate(expression)).hasValueSatisfying(e -> {
            assertThat(e.column()).as(e.message()).isEqualTo(column);
            assertThat(e.message()).contains(message);
        });
    }

    @Test
    void parseReportsEveryBadExpressionByIndex() {
        Conditions.Parsed parsed = Conditions.parse(List.of("[STATUS] == 200", "[NOPE] == 1", "[BODY] == ok", "[STATUS] =< 1"));

        assertThat(parsed.ok()).isFalse();
        assertThat(parsed.conditions()).isNull();
        assertThat(parsed.errors()).extracting(ConditionError::index, ConditionError::column)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 1), org.assertj.core.groups.Tuple.tuple(3, 10));
    }

    @Test
    void theFirstFailingConditionIsTheReason() {
        ConditionSet set = Conditions.compile(List.of("[STATUS] == 200", "[BODY] == pat(*ok*)", "len([BODY]) > 100"));
        ResultView view = new ResultView();
        view.status(200);
        view.body("not good");

        assertThat(set.firstFailure(view)).isEqualTo("condition [BODY] == pat(*ok*) failed: body was \"not good\"");
        assertThat(set.mentions(Placeholder.STATUS)).isTrue();
        assertThat(set.mentions(Placeholder.RESPONSE_TIME)).isFalse();
        assertThat(set.needsBody()).isTrue();
        assertThat(Conditions.compile(List.of("[STATUS] == 200")).needsBody()).isFalse();
        assertThat(Conditions.compile(List.of()).isEmpty()).isTrue();
    }

    @Test
    void bodyIsBoundedAndJsonParsedFromTheKeptBytes() {
        ResultView view = new ResultView();
        io.netty.buffer.ByteBuf big = io.netty.buffer.Unpooled.wrappedBuffer(new byte[100_000]);
        view.appendBody(big, 0, 70_000);
        view.appendBody(big, 0, 70_000);

        assertThat(Conditions.compile(List.of("len([BODY]) == 65536")).firstFailure(view)).isNull();
    }

    @Test
    void compileNamesTheBadExpression() {
        assertThatThrownBy(() -> Conditions.compile(List.of("[STATUS] == 200", "[STATUS] > abc")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid condition '[STATUS] > abc' at column 12: bad number 'abc'");
    }

    @Test
    void globNeverBacktracksExponentially() {
        ConditionSet set = Conditions.compile(List.of("[BODY] == pat(*a*a*a*a*a*a*a*a*b)"));
        ResultView view = new ResultView();
        view.body("a".repeat(20_000));

        assertThat(set.firstFailure(view)).startsWith("condition [BODY] == pat(");
    }
}
