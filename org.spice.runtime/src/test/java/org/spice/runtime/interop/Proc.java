package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A peer process started by a test: its stdout and stderr go to files in the test's directory, waits are bounded, and
 * {@link #close()} ends the whole process tree. Processes that a test left running are ended when the test JVM exits.
 */
final class Proc implements AutoCloseable {
    private static final Set<Proc> LIVE = ConcurrentHashMap.newKeySet();

    static {
        java.lang.Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Proc::close), "interop-reaper"));
    }

    final String name;
    final List<String> command;
    final Path out;
    final Path err;
    private final Process process;

    private Proc(String name, List<String> command, Path out, Path err, Process process) {
        this.name = name;
        this.command = command;
        this.out = out;
        this.err = err;
        this.process = process;
    }

    /** A process builder for {@code command}; adjust its environment, then {@link #start}. */
    static Builder of(String... command) {
        return new Builder(List.of(command));
    }

    static Builder of(List<String> command) {
        return new Builder(List.copyOf(command));
    }

    static final class Builder {
        private final List<String> command;
        private final ProcessBuilder pb;
        private boolean mergeErr;
        private Path input;
        private boolean pipedInput;

        private Builder(List<String> command) {
            this.command = command;
            this.pb = new ProcessBuilder(command);
        }

        Builder env(String key, String value) {
            pb.environment().put(key, value);
            return this;
        }

        Builder unsetEnv(String key) {
            pb.environment().remove(key);
            return this;
        }

        Builder env(Map<String, String> env) {
            pb.environment().putAll(env);
            return this;
        }

        Builder dir(Path dir) {
            pb.directory(dir.toFile());
            return this;
        }

        /** stdin comes from {@code file} instead of /dev/null. */
        Builder input(Path file) {
            input = file;
            return this;
        }

        /** stdin is a pipe that {@link Proc#send} writes to (for interactive programs such as the Gogo shell). */
        Builder pipedInput() {
            pipedInput = true;
            return this;
        }

        /** stderr goes to the stdout file (for peers such as spice-gtk that split one log over both). */
        Builder mergeErr() {
            mergeErr = true;
            return this;
        }

        /** Starts the process with output in {@code dir/name.out} and {@code dir/name.err}. */
        Proc start(Path dir, String name) {
            try {
                Files.createDirectories(dir);
                Path out = dir.resolve(name + ".out");
                Path err = dir.resolve(mergeErr ? name + ".out" : name + ".err");
                Files.writeString(dir.resolve(name + ".cmd"), String.join(" ", command) + "\n");
                pb.redirectOutput(out.toFile());
                if (mergeErr) {
                    pb.redirectErrorStream(true);
                } else {
                    pb.redirectError(err.toFile());
                }
                pb.redirectInput(pipedInput ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.from(
                        input != null ? input.toFile() : new java.io.File("/dev/null")));
                Proc p = new Proc(name, command, out, err, pb.start());
                LIVE.add(p);
                return p;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + command, e);
            }
        }

        /** Starts the process, waits for it to end and returns its result; fails the test after {@code timeout}. */
        Result run(Path dir, String name, Duration timeout) {
            try (Proc p = start(dir, name)) {
                int code = p.awaitExit(timeout);
                return new Result(command, code, p.stdout(), p.stderr());
            }
        }
    }

    /** The outcome of a process that ended. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        /** The whole result, for assertion messages. */
        String describe() {
            return "$ " + String.join(" ", command) + "\nexit " + exitCode + "\n--- stdout\n" + stdout
                    + "--- stderr\n" + stderr;
        }

        List<String> lines() {
            return stdout.lines().toList();
        }
    }

    /** Writes a line to the stdin of a process started with {@link Builder#pipedInput()}. */
    void send(String line) {
        try {
            process.getOutputStream().write((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot write to stdin", e);
        }
    }

    /** Closes the stdin of a process started with {@link Builder#pipedInput()}: it reads its end. */
    void closeStdin() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot close stdin", e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String stdout() {
        return read(out);
    }

    String stderr() {
        return err.equals(out) ? "" : read(err);
    }

    /** stdout and stderr, for assertion messages. */
    String describe() {
        String s = "$ " + String.join(" ", command) + "\n" + status() + "\n--- " + out.getFileName() + "\n"
                + stdout();
        return err.equals(out) ? s : s + "--- " + err.getFileName() + "\n" + stderr();
    }

    private String status() {
        if (process.isAlive()) {
            return "(running)";
        }
        int code = process.exitValue();
        // timeout(1) and the shell report a process killed by signal N as 128+N.
        return "exit " + code + (code > 128 && code < 160 ? " (killed by signal " + (code - 128) + ")" : "");
    }

    /** Waits for the process to end and returns its exit code; kills it and fails the test after {@code timeout}. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
                fail(name + " did not end within " + timeout.toSeconds() + " s\n" + describe());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until a line of stdout matches {@code regex}; returns the match. */
    Matcher awaitStdout(String regex, Duration timeout) {
        return await(out, Pattern.compile(regex, Pattern.MULTILINE), timeout);
    }

    /** Waits until a line of stderr matches {@code regex}; returns the match. */
    Matcher awaitStderr(String regex, Duration timeout) {
        return await(err, Pattern.compile(regex, Pattern.MULTILINE), timeout);
    }

    /**
     * Waits until the file's text matches; fails the test when the process ends without it or after {@code timeout}.
     */
    private Matcher await(Path file, Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean ended = !process.isAlive();
            Matcher m = pattern.matcher(read(file));
            if (m.find()) {
                return m;
            }
            if (ended) {
                fail(name + " ended without printing /" + pattern + "/\n" + describe());
            }
            if (System.nanoTime() > deadline) {
                fail(name + " did not print /" + pattern + "/ within " + timeout.toSeconds() + " s\n" + describe());
            }
            sleep(50);
        }
    }

    /** Asks the process to end (SIGTERM) and waits for it; returns its exit code; kills the tree after a grace period. */
    int terminate(Duration grace) {
        List<ProcessHandle> tree = tree();
        process.destroy();
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill(tree);
        fail(name + " did not end within " + grace.toSeconds() + " s of SIGTERM\n" + describe());
        return -1;
    }

    /** Sends {@code signal} (e.g. STOP, CONT) to the process and every descendant, as kill(1) does. */
    void signal(String signal) {
        for (ProcessHandle h : tree()) {
            try {
                int code = new ProcessBuilder("kill", "-" + signal, Long.toString(h.pid())).start().waitFor();
                if (code != 0 && h.isAlive()) {
                    fail("kill -" + signal + " " + h.pid() + " failed with " + code);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Ends the process and every descendant: SIGTERM, then SIGKILL for what is left after 3 s. */
    @Override
    public void close() {
        LIVE.remove(this);
        kill(tree());
    }

    /** The process and its descendants, children first; taken before anything is signalled so no orphan is lost. */
    private List<ProcessHandle> tree() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        java.util.Collections.reverse(tree);
        tree.add(process.toHandle());
        return tree;
    }

    private static void kill(List<ProcessHandle> tree) {
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (tree.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            sleep(50);
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static String read(Path file) {
        try {
            // Not Files.readString: a peer may be half way through writing a multi-byte character.
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
