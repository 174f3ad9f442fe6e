package io.cpra.actions;

import io.cpra.config.ActionTarget;
import io.cpra.config.Durations;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the target program directly (never through a shell) with the inherited environment, the target's
 * {@code env} and {@code CPRA_MONITOR}, {@code CPRA_STATE}, {@code CPRA_ERROR}, {@code CPRA_ATTEMPT} (the
 * run number within the incident). Exit 0 is success. Standard output and error are merged and the last
 * {@link #OUTPUT_LIMIT} bytes kept. On timeout the whole process tree is killed.
 *
 * <p>A script that exits but leaves a background process holding its output pipe does not delay the
 * result ({@link #OUTPUT_GRACE_MILLIS}); the reader thread ends when that process closes the pipe.
 */
final class ScriptAction implements Attempt {

    static final int OUTPUT_LIMIT = 4096;
    private static final long OUTPUT_GRACE_MILLIS = 200;

    private final ActionTarget.Script target;
    private final long timeoutNanos;

    ScriptAction(ActionTarget.Script target, long timeoutNanos) {
        this.target = target;
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public Outcome run(ActionJob job) throws InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(target.path().toString());
        if (target.args() != null) command.addAll(target.args());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        if (target.env() != null) env.putAll(target.env());
        env.put("CPRA_MONITOR", job.monitor());
        env.put("CPRA_STATE", job.monitorState() == null ? "" : job.monitorState());
        env.put("CPRA_ERROR", job.lastError() == null ? "" : job.lastError());
        env.put("CPRA_ATTEMPT", Integer.toString(job.attempt()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            return Outcome.failed(("cannot start: " + e.getMessage()).strip(), "");
        }
        closeInput(process);
        TailBuffer output = new TailBuffer(OUTPUT_LIMIT);
        Thread reader = Thread.ofVirtual().name("cpra-script-output").start(() -> output.drain(process.getInputStream()));
        try {
            if (!process.waitFor(timeoutNanos, TimeUnit.NANOSECONDS)) {
                killTree(process);
                reader.join(OUTPUT_GRACE_MILLIS);
                return Outcome.failed("timed out after " + Durations.format(timeoutNanos), output.text());
            }
        } catch (InterruptedException e) {
            killTree(process);
            throw e;
        }
        reader.join(OUTPUT_GRACE_MILLIS);
        int exit = process.exitValue();
        return exit == 0 ? Outcome.ok(output.text()) : Outcome.failed("exit " + exit, output.text());
    }

    /** The script reads no input: end of file right away rather than a read that waits forever. */
    private static void closeInput(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already exited
        }
    }

    /** Children first listed, then the parent killed so it spawns no more, then each child with its own. */
    private static void killTree(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        for (ProcessHandle child : children) {
            child.descendants().forEach(ProcessHandle::destroyForcibly);
            child.destroyForcibly();
        }
    }
}
