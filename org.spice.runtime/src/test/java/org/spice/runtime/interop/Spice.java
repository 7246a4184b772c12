package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Our side: the {@code ./spice} launcher at the repository root, as a user runs it. */
final class Spice {
    /** Bound on one {@code ./spice probe} run; the probe itself gives up after {@code --timeout} seconds. */
    static final Duration PROBE_LIMIT = Duration.ofSeconds(40);

    private static final Pattern CHANNEL = Pattern.compile(
            "^channel (\\w+):(\\d+)( tls)? common-caps \\[([\\d, ]*)\\] channel-caps \\[([\\d, ]*)\\]$");

    private Spice() {
    }

    /**
     * {@code ./spice ARGS} with a clean environment: no inherited SPICE_PASSWORD, no DISPLAY (so that the server's
     * agent never shares the clipboard of the desktop the tests run on; give one with {@code env}), framework
     * storage and deploy directory under target/interop, the runtime the script chooses (SPICE_RUNTIME unset: one-shot
     * client commands run spice-client.jar). Fails the test when target/spice.jar or target/spice-client.jar is
     * missing, because the script would then build and install the workspace into the shared local repository.
     */
    static Proc.Builder command(List<String> prefix, String... args) {
        Path root = Peers.root();
        for (String runtime : List.of("spice.jar", "spice-client.jar")) {
            Path jar = root.resolve("org.spice.runtime/target/" + runtime);
            if (!Files.isRegularFile(jar)) {
                fail(jar + " is missing; build it with ./mvnw -B -q package -DskipTests (./mvnw -B verify does so"
                        + " before the interop tests)");
            }
        }
        Path state = Peers.interopDir().resolve("runtime-tmp");
        Path deploy = Peers.interopDir().resolve("deploy");
        try {
            Files.createDirectories(state);
            Files.createDirectories(deploy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(root.resolve("spice").toString());
        cmd.addAll(List.of(args));
        return Proc.of(cmd).dir(root)
                .unsetEnv("SPICE_PASSWORD")
                .unsetEnv("SPICE_USER")
                .unsetEnv("SPICE_PROXY")
                .unsetEnv("SPICE_REBUILD")
                .unsetEnv("SPICE_RUNTIME")
                .unsetEnv("DISPLAY")
                .env("TMPDIR", state.toString())
                .env("SPICE_DEPLOY_DIR", deploy.toString());
    }

    /** {@code ./spice probe ARGS}, run to its end. */
    static Probe probe(Path dir, String name, String... args) {
        return probe(dir, name, Map.of(), args);
    }

    /** {@code ./spice probe ARGS} with extra environment, run to its end. */
    static Probe probe(Path dir, String name, Map<String, String> env, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "probe";
        System.arraycopy(args, 0, all, 1, args.length);
        return new Probe(command(List.of(), all).env(env).run(dir, name, PROBE_LIMIT));
    }

    /**
     * Starts {@code ./spice server ARGS} and waits for its "listening" announcement (both of them with --tls-port).
     */
    static Proc startServer(Path dir, String... args) {
        return startServer(dir, Map.of(), args);
    }

    /** {@link #startServer(Path, String...)} with extra environment, e.g. the DISPLAY whose clipboard it shares. */
    static Proc startServer(Path dir, Map<String, String> env, String... args) {
        return startServer(dir, env, Peers.MAX_PEER_LIFETIME, args);
    }

    /**
     * Starts {@code ./spice server ARGS} with extra environment and a lifetime other than
     * {@link Peers#MAX_PEER_LIFETIME}, for a server that a whole test class shares.
     */
    static Proc startServer(Path dir, Map<String, String> env, Duration lifetime, String... args) {
        return startServer(dir, "spice-server", env, lifetime, args);
    }

    /** As {@link #startServer(Path, Map, Duration, String...)}, its logs named {@code name}: for a second server. */
    static Proc startServer(Path dir, String name, Map<String, String> env, Duration lifetime, String... args) {
        List<String> a = new ArrayList<>(List.of("server"));
        a.addAll(List.of(args));
        List<String> prefix = List.of(Peers.binary("timeout"), "-k", "5", Long.toString(lifetime.toSeconds()));
        Proc server = command(prefix, a.toArray(String[]::new)).env(env).start(dir, name);
        server.awaitStdout("^SPICE server listening on spice://", Duration.ofSeconds(40));
        if (a.contains("--tls-port")) {
            server.awaitStdout("^SPICE server listening on spice\\+tls://", Duration.ofSeconds(10));
        }
        server.awaitStdout("^channels: ", Duration.ofSeconds(10));
        return server;
    }

    /**
     * Fails unless our server is still running; tests call it first, so that a server that died (or that something
     * outside the test killed) is reported as such rather than as a refused connection.
     */
    static void assertRunning(Proc server) {
        if (!server.isAlive()) {
            fail("our server is no longer running\n" + server.describe());
        }
    }

    /** The channels our server announced on its "channels: main:0 ..." line. */
    static List<String> announcedChannels(Proc server) {
        Matcher m = server.awaitStdout("^channels: (.*)$", Duration.ofSeconds(1));
        return List.of(m.group(1).trim().split("\\s+"));
    }

    /** What one {@code ./spice probe} printed. */
    record Probe(Proc.Result result) {
        int exitCode() {
            return result.exitCode();
        }

        /** The probe was refused for its password: exit 2 and the message that says so. */
        void assertAuthenticationFailed() {
            org.junit.jupiter.api.Assertions.assertEquals(2, exitCode(), this::describe);
            org.junit.jupiter.api.Assertions.assertTrue(stderr().contains("error: authentication failed"),
                    this::describe);
        }

        String stdout() {
            return result.stdout();
        }

        String stderr() {
            return result.stderr();
        }

        String describe() {
            return result.describe();
        }

        /** The value of a "key: value" line of the report, or null. */
        String field(String key) {
            return result.lines().stream().filter(l -> l.startsWith(key + ": "))
                    .map(l -> l.substring(key.length() + 2)).findFirst().orElse(null);
        }

        /** The "channel TYPE:ID ..." lines, keyed by TYPE:ID in the order printed. */
        Map<String, Channel> channels() {
            Map<String, Channel> channels = new LinkedHashMap<>();
            for (String line : result.lines()) {
                if (line.startsWith("channel ")) {
                    Matcher m = CHANNEL.matcher(line);
                    assertTrue(m.matches(), () -> "malformed channel line '" + line + "'\n" + describe());
                    Channel c = new Channel(m.group(1) + ":" + m.group(2), m.group(3) != null, m.group(4),
                            m.group(5));
                    channels.put(c.name(), c);
                }
            }
            return channels;
        }
    }

    /** One channel line: {@code name} is TYPE:ID. */
    record Channel(String name, boolean tls, String commonCaps, String channelCaps) {
    }
}
