package io.cpra.actions;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cpra.config.ActionTarget;
import io.cpra.config.ActionType;
import io.cpra.config.InterventionSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ScriptActionTest {

    @TempDir Path dir;
    private final Actions actions = new Actions(Duration.ofMillis(20), Duration.ofSeconds(1), null);

    @AfterEach
    void tearDown() { actions.close(); }

    private Path script(String body) throws Exception {
        Path file = Files.createTempFile(dir, "script", ".sh");
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private static InterventionSpec spec(Path path, List<String> args, Map<String, String> env, Duration timeout, int retries) {
        return new InterventionSpec(ActionType.SCRIPT, retries, 1,
                new ActionTarget.Script(path, args, env, timeout.toNanos()));
    }

    private static final ActionJob JOB = new ActionJob(3, 1, 99, "checkout-api", 2, "REMEDIATING", "status 503", 0);

    /** Runs once and checks that done is called exactly once. */
    private ActionResult run(InterventionSpec spec) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<ActionResult> result = new CompletableFuture<>();
        actions.prepare(spec).start(JOB, r -> {
            calls.incrementAndGet();
            result.complete(r);
        });
        ActionResult r = result.get(20, TimeUnit.SECONDS);
        Thread.sleep(50);
        assertThat(calls).hasValue(1);
        assertThat(r.job()).isEqualTo(JOB);
        return r;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
        echo fixed; exit 0         | true  | null   | fixed
        echo broken >&2; exit 3    | false | exit 3 | broken
        printf 'a\\nb'; exit 255   | false | exit 255 | a\\nb
        """)
    void exitCodeDecides(String body, boolean success, String error, String output) throws Exception {
        ActionResult result = run(spec(script(body), List.of(), Map.of(), Duration.ofSeconds(5), 0));
        assertThat(result.success()).isEqualTo(success);
        assertThat(result.error()).isEqualTo(error);
        assertThat(result.output().strip()).isEqualTo(output.replace("\\n", "\n"));
    }

    @Test
    void passesArgumentsLiterallyAndTheEnvironment() throws Exception {
        Path marker = dir.resolve("injected");
        Path path = script("printf '%s|%s|%s|%s|%s|%s|%s' \"$CPRA_MONITOR\" \"$CPRA_STATE\" \"$CPRA_ERROR\" "
                + "\"$CPRA_ATTEMPT\" \"$REGION\" \"$1\" \"$2\"; test -n \"$PATH\"");
        String hostile = "$(touch " + marker + "); `touch " + marker + "`";
        ActionResult result = run(spec(path, List.of("two words", hostile), Map.of("REGION", "eu"), Duration.ofSeconds(5), 0));
        assertThat(result.success()).isTrue();
        assertThat(result.output()).isEqualTo("checkout-api|REMEDIATING|status 503|2|eu|two words|" + hostile);
        assertThat(marker).doesNotExist();
    }

    @Test
    void timeoutKillsTheWholeTreeIncludingALeftBehindChild() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        Path path = script("sleep 60 &\necho $! > " + pidFile + "\necho started\nsleep 60");
        long started = System.nanoTime();
        ActionResult result = run(spec(path, List.of(), Map.of(), Duration.ofMillis(500), 0));
        assertThat(result.success()).isFalse();
        assertThat(result.error()).isEqualTo("timed out after 500ms");
        assertThat(result.output()).isEqualTo("started\n");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        long child = Long.parseLong(Files.readString(pidFile).strip());
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void keepsOnlyTheTailOfLongOutput() throws Exception {
        Path path = script("head -c 100000 /dev/zero | tr '\\0' x; echo END; exit 1");
        ActionResult result = run(spec(path, List.of(), Map.of(), Duration.ofSeconds(5), 0));
        assertThat(result.error()).isEqualTo("exit 1");
        assertThat(result.output()).hasSize(3 + ScriptAction.OUTPUT_LIMIT).startsWith("...xxx").endsWith("xxxEND\n");
    }

    @Test
    void reportsAProgramThatCannotStart() throws Exception {
        Path missing = dir.resolve("missing.sh");
        ActionResult result = run(spec(missing, List.of(), Map.of(), Duration.ofSeconds(5), 2));
        assertThat(result.success()).isFalse();
        assertThat(result.error()).startsWith("cannot start: ").contains(missing.toString());
    }

    @Test
    void retriesInsideOneRunAndAuditsOnceWithSecretsMasked() throws Exception {
        ListAppender<ILoggingEvent> audit = new ListAppender<>();
        audit.start();
        ((Logger) LoggerFactory.getLogger("io.cpra.audit")).addAppender(audit);
        Path counter = dir.resolve("count");
        Path path = script("echo x >> " + counter + "\necho \"token=$API_TOKEN try $(wc -l < " + counter + ")\"\n"
                + "test $(wc -l < " + counter + ") -ge 3");
        InterventionSpec spec = spec(path, List.of(), Map.of("API_TOKEN", "s3cr3t-value"), Duration.ofSeconds(5), 2);
        ActionResult result = run(spec);
        assertThat(result.success()).isTrue();
        assertThat(result.output()).isEqualTo("token=**** try 3\n");
        assertThat(Files.readAllLines(counter)).hasSize(3);
        assertThat(audit.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .startsWith("monitor=checkout-api action=script run=2 tries=3 duration=")
                .contains("outcome=success error=null output=\"token=**** try 3\\n\"")
                .doesNotContain("s3cr3t");
    }

    @Test
    void budgetCoversEveryTryAndPause() throws Exception {
        Action action = actions.prepare(spec(script("true"), List.of(), Map.of(), Duration.ofSeconds(5), 2));
        assertThat(action.budgetNanos()).isEqualTo(Duration.ofSeconds(15).plusMillis(40).toNanos());
        Action defaulted = actions.prepare(spec(script("true"), List.of(), Map.of(), Duration.ZERO, 0));
        assertThat(defaulted.budgetNanos()).isEqualTo(Duration.ofSeconds(30).toNanos());
    }

    @Test
    void aClosedFactoryStillAnswersOnce() throws Exception {
        Action action = actions.prepare(spec(script("true"), List.of(), Map.of(), Duration.ofSeconds(5), 0));
        actions.close();
        ActionResult result = run(spec(script("true"), List.of(), Map.of(), Duration.ofSeconds(5), 0));
        assertThat(result.success()).isFalse();
        assertThat(result.error()).isEqualTo("interventions are shut down");
        assertThat(action).isNotNull();
    }
}
