package org.spice.itests;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process the integration tests start: its output (stdout and stderr together) is kept for assertions and
 * written to {@code target/it-logs/NAME.log}; closing it ends it and every process it started, politely first.
 * Its standard input is a pipe kept open and never written.
 */
final class Proc implements AutoCloseable {
    static final Path LOGS = Path.of("target/it-logs");

    final String name;
    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;

    private Proc(String name, Process process, Path log) throws IOException {
        this.name = name;
        this.process = process;
        PrintWriter w = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
        reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)); w) {
                for (String line; (line = r.readLine()) != null;) {
                    output.append(line).append('\n');
                    w.println(line);
                }
            } catch (IOException e) {
                output.append("(output unreadable: ").append(e).append(")\n");
            }
        }, "output of " + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code command} in {@code dir} with {@code env} added to this JVM's environment. */
    static Proc start(String name, Path dir, Map<String, String> env, String... command) throws IOException {
        Files.createDirectories(LOGS);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        // Standard input stays an open pipe that nobody writes: Karaf's client drops a command's output when its
        // input ends first.
        return new Proc(name, pb.start(), LOGS.resolve(name + ".log"));
    }

    /** Runs {@code command} to its end, or for {@code timeout} at most (then ends it and fails). */
    static Proc run(String name, Duration timeout, Path dir, Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        Proc p = start(name, dir, env, command);
        if (!p.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.close();
            fail(name + " did not end within " + timeout.toSeconds() + " s: " + String.join(" ", command)
                    + "\n" + p.output());
        }
        p.reader.join(5_000);
        return p;
    }

    int exitCode() {
        return process.exitValue();
    }

    String output() {
        return output.toString();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until the output has a line containing {@code text}; fails when the process ends first. */
    void awaitOutput(String text, Duration timeout) throws InterruptedException {
        awaitOutput(text, 0, timeout);
    }

    /** Waits until {@code text} occurs in the output after character {@code from}. */
    void awaitOutput(String text, int from, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (output.indexOf(text, from) < 0) {
            if (!process.isAlive()) {
                Thread.sleep(200); // the last lines
                if (output.indexOf(text, from) >= 0) {
                    return;
                }
                fail(name + " ended (exit " + process.exitValue() + ") before printing '" + text + "':\n" + output());
            }
            if (System.nanoTime() > deadline) {
                fail(name + " did not print '" + text + "' within " + timeout.toSeconds() + " s:\n" + output());
            }
            Thread.sleep(100);
        }
    }

    int length() {
        return output.length();
    }

    /** Ends the process tree: SIGTERM to every descendant and the process, then SIGKILL after 20 s. */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (ProcessHandle h : all) {
            long left = deadline - System.nanoTime();
            try {
                h.onExit().get(Math.max(left, 1), TimeUnit.NANOSECONDS);
            } catch (Exception stillRunning) {
                h.destroyForcibly();
            }
        }
        reader.join(5_000);
    }
}
