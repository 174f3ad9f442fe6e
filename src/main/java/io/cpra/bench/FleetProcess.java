package io.cpra.bench;

import io.cpra.fleet.PortRange;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code cpra fleet} as a child process of the bench, on the same classpath: its CPU is then the fleet's
 * alone (read from /proc), and its threads and garbage do not share the engine's heap. Driven through its
 * admin port.
 */
final class FleetProcess implements AutoCloseable {

    private static final Pattern ADMIN = Pattern.compile("admin 127\\.0\\.0\\.1:(\\d+)");
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private final Process process;
    private final int adminPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private FleetProcess(Process process, int adminPort) {
        this.process = process;
        this.adminPort = adminPort;
    }

    /** Starts the fleet and waits for its "fleet: ..." line. */
    static FleetProcess start(PortRange ports, int maxConnections, Duration startTimeout) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseParallelGC",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), "io.cpra.cli.Main", "fleet",
                "--ports", ports.toString(), "--admin", "0", "--max-connections", Integer.toString(maxConnections)));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long end = System.nanoTime() + startTimeout.toNanos();
        try {
            while (System.nanoTime() < end && process.isAlive()) {
                String line = out.readLine();
                if (line == null) break;
                Matcher m = ADMIN.matcher(line);
                if (m.find()) return new FleetProcess(process, Integer.parseInt(m.group(1)));
            }
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        process.destroyForcibly();
        throw new IOException("the fleet child process did not start (exit " + (process.isAlive() ? "none" : process.exitValue()) + ")");
    }

    /** Sets a fraction of the ports flapping (failing first); returns the fleet's answer. */
    String flap(double fraction, Duration period) throws IOException, InterruptedException {
        return post("/flap?fraction=" + fraction + "&period=" + period.toMillis() + "ms");
    }

    void stopFlap() throws IOException, InterruptedException {
        post("/flap/stop");
    }

    String stats() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(admin("/stats")).timeout(Duration.ofSeconds(5)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** User + system CPU seconds of the fleet process so far, from /proc/PID/stat. */
    double cpuSeconds() {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the fleet's CPU time", e);
        }
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ": state is field 0, utime 11, stime 12
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS_PER_SECOND;
    }

    private String post(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(admin(pathAndQuery)).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) throw new IOException("fleet admin " + pathAndQuery + ": " + response.statusCode() + " " + response.body());
        return response.body();
    }

    private URI admin(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + adminPort + pathAndQuery);
    }

    /** Stops the fleet: SIGTERM, then SIGKILL after 10 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
