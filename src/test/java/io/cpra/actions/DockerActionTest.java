package io.cpra.actions;

import io.cpra.config.ActionTarget;
import io.cpra.config.ActionType;
import io.cpra.config.InterventionSpec;
import io.cpra.testing.FakeDockerEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.cpra.actions.ActionRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DockerActionTest {

    @TempDir Path dir;
    private FakeDockerEngine engine;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void startEngine() throws Exception {
        engine = new FakeDockerEngine(dir.resolve("docker.sock"));
        closeables.add(engine);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables) c.close();
    }

    private Actions actions(String dockerHost) {
        Actions actions = new Actions(Duration.ofMillis(10), Duration.ofMillis(500), dockerHost);
        closeables.addFirst(actions);
        return actions;
    }

    private static InterventionSpec restart(String container, Duration timeout, int retries) {
        return new InterventionSpec(ActionType.DOCKER, retries, 1,
                new ActionTarget.Docker(container, timeout.toNanos(), "container"));
    }

    @Test
    void negotiatesTheApiVersionOnceAndRestarts() throws Exception {
        Action action = actions(engine.dockerHost()).prepare(restart("checkout-api", Duration.ofSeconds(20), 0));
        assertThat(run(action).success()).isTrue();
        ActionResult second = run(action);
        assertThat(second.success()).isTrue();
        assertThat(second.error()).isNull();
        assertThat(engine.calls).containsExactly("GET /_ping",
                "POST /v1.47/containers/checkout-api/restart?t=20", "POST /v1.47/containers/checkout-api/restart?t=20");
        assertThat(action.budgetNanos()).isEqualTo(Duration.ofMillis(20_500).toNanos());
    }

    @Test
    void withoutAnApiVersionGoesUnversionedAndEscapesTheName() throws Exception {
        engine.apiVersion = null;
        Action action = actions(engine.dockerHost()).prepare(restart("../x?y", Duration.ofSeconds(1), 0));
        assertThat(run(action).success()).isTrue();
        assertThat(engine.calls).containsExactly("GET /_ping", "POST /containers/..%2Fx%3Fy/restart?t=1");
    }

    @Test
    void missingContainerIsNamed() throws Exception {
        engine.answer = FakeDockerEngine.json(404, "Not Found", "{\"message\":\"No such container: checkout-api\"}");
        ActionResult result = run(actions(engine.dockerHost()).prepare(restart("checkout-api", Duration.ofSeconds(5), 0)));
        assertThat(result.success()).isFalse();
        assertThat(result.error()).isEqualTo("container checkout-api not found");
        assertThat(result.output()).isEqualTo("No such container: checkout-api");
    }

    @Test
    void otherStatusesReportDockersMessageAndAreRetried() throws Exception {
        engine.answer = FakeDockerEngine.chunked(500, "Server Error", "{\"message\":\"driver failed programming external connectivity\"}");
        ActionResult result = run(actions(engine.dockerHost()).prepare(restart("db", Duration.ofSeconds(5), 2)));
        assertThat(result.success()).isFalse();
        assertThat(result.error()).isEqualTo("docker answered 500: driver failed programming external connectivity");
        assertThat(engine.calls).containsExactly("GET /_ping", "POST /v1.47/containers/db/restart?t=5",
                "POST /v1.47/containers/db/restart?t=5", "POST /v1.47/containers/db/restart?t=5");
    }

    @Test
    void aHangingEngineFailsAfterTimeoutPlusMargin() throws Exception {
        engine.answer = null;
        long started = System.nanoTime();
        ActionResult result = run(actions(engine.dockerHost()).prepare(restart("db", Duration.ofSeconds(1), 0)));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(result.success()).isFalse();
        assertThat(result.error()).isEqualTo("docker at " + engine.dockerHost() + ": no answer within the deadline");
        assertThat(tookMillis).isBetween(1_400L, 10_000L);
    }

    @Test
    void worksOverTcp() throws Exception {
        try (FakeDockerEngine tcp = new FakeDockerEngine(null)) {
            ActionResult result = run(actions(tcp.dockerHost()).prepare(restart("web", Duration.ofSeconds(3), 0)));
            assertThat(result.success()).isTrue();
            assertThat(tcp.calls).containsExactly("GET /_ping", "POST /v1.47/containers/web/restart?t=3");
        }
    }

    @Test
    void anAbsentEngineIsAFailureNotAnException() throws Exception {
        String host = "unix://" + dir.resolve("nobody.sock");
        ActionResult result = run(actions(host).prepare(restart("web", Duration.ofSeconds(1), 0)));
        assertThat(result.success()).isFalse();
        assertThat(result.error()).startsWith("docker at " + host + ": ");
    }

    @Test
    void rejectsUnsupportedDockerHosts() {
        assertThatThrownBy(() -> actions("ssh://admin@host").prepare(restart("web", Duration.ofSeconds(1), 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DOCKER_HOST ssh://admin@host is not supported: use unix:///path or tcp://host:port");
        assertThatThrownBy(() -> actions(null).prepare(restart(" ", Duration.ofSeconds(1), 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("docker intervention needs target.container");
    }
}
