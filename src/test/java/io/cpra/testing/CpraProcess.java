package io.cpra.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts a real {@code cpra} process (a child JVM on the test classpath) in a working directory. */
public final class CpraProcess {

    private CpraProcess() {}

    /**
     * @param env environment changes: a variable mapped to null is removed
     * @return the process, with stdout in {@code dir/cpra.out} and stderr in {@code dir/cpra.err}
     *         unless {@code keepStderr} (then read it from the process)
     */
    public static Process start(Path dir, Map<String, String> env, boolean keepStderr, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "io.cpra.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("cpra.out").toFile());
        if (!keepStderr) pb.redirectError(dir.resolve("cpra.err").toFile());
        env.forEach((name, value) -> {
            if (value == null) pb.environment().remove(name);
            else pb.environment().put(name, value);
        });
        return pb.start();
    }
}
