package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The real peers the interoperability tests run against (QEMU, spice-gtk's spicy-screenshot, tshark, openssl), and
 * what every test needs around them: work directories, free loopback ports, bounded waits.
 *
 * <p>A missing peer fails the test (it is never skipped): the tests exist to judge the product against these peers.
 */
final class Peers {
    static final String INSTALL_HINT = "install the peers with scripts/install-peers.sh";

    /** No peer process outlives this, even when the test JVM is killed: each long-lived one runs under timeout(1). */
    static final Duration MAX_PEER_LIFETIME = Duration.ofMinutes(4);

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Peers() {
    }

    /** The repository root (system property spice.root, set by the failsafe configuration). */
    static Path root() {
        String r = System.getProperty("spice.root");
        if (r == null) {
            fail("system property spice.root is not set; run the interop tests with ./mvnw -B verify");
        }
        return Path.of(r).toAbsolutePath().normalize();
    }

    /** org.spice.runtime/target/interop (system property interop.dir). */
    static Path interopDir() {
        String d = System.getProperty("interop.dir");
        return d != null ? Path.of(d).toAbsolutePath().normalize()
                : root().resolve("org.spice.runtime/target/interop");
    }

    /** A fresh, empty directory target/interop/TESTCLASS/NAME for the logs and files of one test or class. */
    static Path workDir(Class<?> testClass, String name) {
        Path dir = interopDir().resolve(testClass.getSimpleName()).resolve(name);
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> s = Files.walk(dir)) {
                    for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The absolute path of a peer program on PATH; fails the test, naming the install script, when it is missing. */
    static String binary(String name) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/local/bin:/usr/bin:/bin" : path).split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toAbsolutePath().toString();
            }
        }
        return fail("peer program '" + name + "' is not on PATH (" + path + "); " + INSTALL_HINT);
    }

    /** {@code timeout -k 5 MAX program args...}: the command with a hard limit on its lifetime. */
    static List<String> bounded(String program, String... args) {
        List<String> cmd = new ArrayList<>(List.of(binary("timeout"), "-k", "5",
                Long.toString(MAX_PEER_LIFETIME.toSeconds()), binary(program)));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** A loopback port that was free a moment ago and that no other test of this JVM was given. */
    static int freePort() {
        // Below Linux's ephemeral range (32768..60999): a port the kernel gave out for the asking could be given
        // again to an outgoing connection (a gateway connecting to its VM) before the test's server binds it.
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < 200; i++) {
            int port = random.nextInt(20000, 32768);
            if (HANDED_OUT.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                if (HANDED_OUT.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                // taken: try another
            }
        }
        return fail("no free loopback port in 20000..32767");
    }

    /**
     * Waits until something listens on TCP {@code port} (read from /proc/net/tcp{,6}, so the peer sees no probing
     * connection); fails when {@code owner} ends first or after {@code timeout}.
     */
    static void awaitListening(int port, Proc owner, Duration timeout) {
        String hexPort = ":" + String.format(Locale.ROOT, "%04X", port);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                try {
                    for (String line : Files.readAllLines(Path.of(table))) {
                        String[] f = line.trim().split("\\s+");
                        // sl local_address rem_address st ...; st 0A is LISTEN
                        if (f.length > 3 && f[1].endsWith(hexPort) && f[3].equals("0A")) {
                            return;
                        }
                    }
                } catch (IOException e) {
                    // no IPv6 table: fine
                }
            }
            if (!owner.isAlive()) {
                fail(owner.name + " ended before listening on port " + port + "\n" + owner.describe());
            }
            if (System.nanoTime() > deadline) {
                fail(owner.name + " did not listen on port " + port + " within " + timeout.toSeconds() + " s\n"
                        + owner.describe());
            }
            Proc.sleep(50);
        }
    }

    /** Runs a short tool (openssl, tshark -r) to completion and fails the test unless it exits 0. */
    static Proc.Result runOk(Path dir, String name, String program, String... args) {
        List<String> cmd = new ArrayList<>(List.of(binary(program)));
        cmd.addAll(List.of(args));
        Proc.Result r = Proc.of(cmd).dir(dir).run(dir, name, Duration.ofSeconds(60));
        assertEquals(0, r.exitCode(), () -> r.describe());
        return r;
    }

    static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
