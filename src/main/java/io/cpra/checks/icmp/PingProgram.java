package io.cpra.checks.icmp;

import io.cpra.checks.CheckJob;
import io.cpra.checks.CheckSink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The last-resort transport: runs {@code ping -n -c COUNT -W SECS -w SECS ADDRESS} directly (never through a
 * shell) and reads its summary. One named launcher thread starts the processes, at most
 * {@link #MAX_PROCESSES} at a time; exits are observed asynchronously. A check costs a process here, so
 * this mode suits a few hundred ICMP monitors, not a million.
 */
final class PingProgram implements EchoTransport {

    static final int MAX_PROCESSES = 64;
    private static final int MAX_QUEUED = EchoService.MAX_IN_FLIGHT;
    private static final long KILL_GRACE_SECONDS = 2;
    /** Queueing and process start-up time an attempt may borrow beyond its share of the budget. */
    private static final long QUEUE_SLACK_NANOS = 100_000_000L;

    /** One check, queued for its next attempt; {@code startedAt} is when the check began (System.nanoTime). */
    private record Launch(IcmpProbe probe, int address, CheckJob job, CheckSink sink, long startedAt,
                          int attemptsLeft, int sentBefore) {}

    private final Path executable;
    private final ArrayBlockingQueue<Launch> queue = new ArrayBlockingQueue<>(MAX_QUEUED);
    private final Semaphore processes = new Semaphore(MAX_PROCESSES);
    private final Thread launcher = new Thread(this::launchLoop, "cpra-icmp-ping-launcher");
    private volatile boolean closed;

    PingProgram(Path executable) {
        this.executable = executable;
        launcher.setDaemon(true);
        launcher.start();
    }

    @Override
    public void start(IcmpProbe probe, int ipv4, CheckJob job, CheckSink sink) {
        if (closed) EchoTransport.complete(job, sink, false, 0, IcmpTexts.CLOSED);
        else if (!queue.offer(new Launch(probe, ipv4, job, sink, System.nanoTime(), probe.retries, 0))) {
            EchoTransport.complete(job, sink, false, 0, IcmpTexts.TOO_MANY);
        }
    }

    private void launchLoop() {
        while (!closed) {
            Launch launch;
            try {
                launch = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                processes.acquire();
            } catch (InterruptedException e) {
                EchoTransport.complete(launch.job, launch.sink, false, 0, IcmpTexts.CLOSED);
                return;
            }
            if (fitsInBudget(launch)) {
                launch(launch);
            } else {
                processes.release();
                EchoTransport.complete(launch.job, launch.sink, false, 0, launch.sentBefore > 0
                        ? IcmpTexts.timeout(launch.probe.timeoutNanos, launch.sentBefore)
                        : "ping program busy: check could not start within its time budget");
            }
        }
    }

    /** Whether one more attempt still ends within the check's budget after waiting in the queue. */
    private static boolean fitsInBudget(Launch launch) {
        long used = System.nanoTime() - launch.startedAt;
        return used + launch.probe.timeoutNanos <= launch.probe.budgetNanos() + QUEUE_SLACK_NANOS;
    }

    private void launch(Launch launch) {
        String seconds = Long.toString(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(launch.probe.timeoutNanos + 999_999_999L)));
        List<String> command = List.of(executable.toString(), "-n", "-c", Integer.toString(launch.probe.count),
                "-W", seconds, "-w", seconds, IcmpTexts.ipv4(launch.address));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            processes.release();
            EchoTransport.complete(launch.job, launch.sink, false, 0, "cannot run " + executable + ": " + e.getMessage());
            return;
        }
        long limitSeconds = Long.parseLong(seconds) + KILL_GRACE_SECONDS;
        process.onExit().orTimeout(limitSeconds, TimeUnit.SECONDS)
                .whenComplete((exited, failure) -> exited(launch, process, failure));
    }

    private void exited(Launch launch, Process process, Throwable failure) {
        processes.release();
        try {
            report(launch, process, failure);
        } catch (RuntimeException e) {
            EchoTransport.complete(launch.job, launch.sink, false, 0, "ping failed: " + e);
        }
    }

    private void report(Launch launch, Process process, Throwable failure) {
        if (failure != null) {
            process.destroyForcibly();
            String reason = failure instanceof TimeoutException
                    ? "ping did not exit in time" : "ping failed: " + failure.getMessage();
            EchoTransport.complete(launch.job, launch.sink, false, 0, reason);
            return;
        }
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            output = "";
        }
        PingOutput summary = PingOutput.parse(output);
        if (summary != null && summary.received() > 0) {
            EchoTransport.complete(launch.job, launch.sink, true, summary.avgRttNanos(), null);
            return;
        }
        int sent = launch.sentBefore + (summary == null ? 0 : summary.transmitted());
        if (launch.attemptsLeft > 0 && !closed) {
            Launch retry = new Launch(launch.probe, launch.address, launch.job, launch.sink, launch.startedAt,
                    launch.attemptsLeft - 1, sent);
            if (queue.offer(retry)) return;
        }
        String reason = summary != null
                ? IcmpTexts.timeout(launch.probe.timeoutNanos, sent)
                : "ping failed (exit " + process.exitValue() + "): " + lastLine(output);
        EchoTransport.complete(launch.job, launch.sink, false, 0, reason);
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\\R");
        String last = lines[lines.length - 1].strip();
        if (last.isEmpty()) return "no output";
        return last.length() > 200 ? last.substring(0, 200) + "..." : last;
    }

    @Override
    public void close() {
        closed = true;
        launcher.interrupt();
        try {
            launcher.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Launch left; (left = queue.poll()) != null; ) {
            EchoTransport.complete(left.job, left.sink, false, 0, IcmpTexts.CLOSED);
        }
    }
}
