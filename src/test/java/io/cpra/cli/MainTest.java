package io.cpra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MainTest {

    @Test
    void helpListsTheSubcommandsAndExitsZero() {
        CliRun run = CliRun.of("--help");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("Usage: cpra", "validate", "generate", "--version");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void versionFallsBackToDevOutsideAJar() {
        CliRun run = CliRun.of("--version");

        assertThat(run.exit()).isZero();
        assertThat(run.out().strip()).isEqualTo("cpra dev");
    }

    @ParameterizedTest(name = "[{index}] cpra {0}")
    @CsvSource(delimiter = '|', textBlock = """
            --bogus                              | Unknown option: '--bogus'
            frobnicate                           | Unmatched argument at index 0: 'frobnicate'
            ''                                   | missing command
            validate                             | Missing required parameter: 'FILE_OR_DIR'
            validate --jsn x.yaml                | Unknown option: '--jsn'
            generate --out x.yaml                | Missing required option: '--count=N'
            generate --count x --out m.yaml      | Invalid value for option '--count'
            generate --count 0 --out m.yaml      | --count must be at least 1, not 0
            generate --count 5 --out m.yaml --format xml | Invalid value for option '--format'
            generate --count 5 --out m.yaml --targets nohost | 'nohost' is not HOST:PORT or HOST:FIRST-LAST
            generate --count 5 --out m.yaml --targets h:9-8  | port range 9-8 is empty
            generate --count 5 --out m.yaml --targets h:70000 | port 70000 is outside 1-65535
            generate --count 5 --out m.yaml --pagerduty-url ftp://h/x | --pagerduty-url must be an http(s) URL with a host
            generate --count 5 --out m.yaml --pagerduty-url nohost | --pagerduty-url must be an http(s) URL with a host
            """)
    void usageErrorsExit64WithOneMessageAndAHint(String args, String message) {
        CliRun run = CliRun.of(args.isEmpty() ? new String[0] : args.split(" "));

        assertThat(run.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("cpra: ").contains(message).contains("--help' for more information.");
        assertThat(run.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void misspelledSubcommandGetsASuggestion() {
        CliRun run = CliRun.of("valdate", "x.yaml");

        assertThat(run.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("validate");
    }

    @Test
    void runtimeFailureIsOneLineOnStderrAndExitsOne(@TempDir Path dir) {
        Path out = dir.resolve("missing-dir").resolve("m.yaml");

        CliRun run = CliRun.of("generate", "--count", "3", "--out", out.toString());

        assertThat(run.exit()).isEqualTo(ExitCode.RUNTIME_FAILURE);
        assertThat(run.err().lines()).containsExactly(
                "cpra: cannot write " + out + ": directory " + out.getParent() + " does not exist");
    }

    @Test
    void describeNamesTheFileOfFileSystemErrors() {
        assertThat(ErrorHandlers.describe(new java.io.UncheckedIOException(new java.nio.file.NoSuchFileException("/x.yaml"))))
                .isEqualTo("no such file: /x.yaml");
        assertThat(ErrorHandlers.describe(new java.nio.file.AccessDeniedException("/root/x.yaml")))
                .isEqualTo("permission denied: /root/x.yaml");
        assertThat(ErrorHandlers.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
    }
}
