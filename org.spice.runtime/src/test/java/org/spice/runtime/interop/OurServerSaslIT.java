package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Our {@code spice server --sasl-users}: users written by {@code spice sasl-user} (digests, never the password),
 * our probe with right and wrong credentials, and remote-viewer (spice-gtk's cyrus DIGEST-MD5 with the auth-conf
 * layer) showing the demo desktop from a .vv file's username and password, spicy from its URI's user and -w.
 */
class OurServerSaslIT {
    static final String PASSWORD = "sasl-Pa55word";

    private static Path dir;
    private static Path certs;
    private static int port;
    private static int tlsPort;
    private static Proc server;

    @BeforeAll
    static void startServer() throws IOException {
        dir = Peers.workDir(OurServerSaslIT.class, "server");
        Path users = dir.resolve("users");
        Proc.Result made = Spice.command(List.of(), "sasl-user", users.toString(), "alice")
                .env("SPICE_PASSWORD", PASSWORD).run(dir, "sasl-user", Duration.ofSeconds(60));
        assertEquals(0, made.exitCode(), made::describe);
        String text = Files.readString(users);
        String b64 = "[A-Za-z0-9+/]+=*";
        assertTrue(text.matches("alice:spice:[0-9a-f]{32}:scram-sha-256\\$4096\\$" + b64 + "\\$" + b64 + "\\$" + b64
                + "\\n"), text);
        assertFalse(text.contains(PASSWORD), "the password is stored");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(users)));
        certs = Certs.create(Peers.workDir(OurServerSaslIT.class, "x509"));
        port = Peers.freePort();
        tlsPort = Peers.freePort();
        server = Spice.startServer(dir, "--listen", "127.0.0.1:" + port, "--tls-port", Integer.toString(tlsPort),
                "--x509-dir", certs.toString(), "--sasl-users", users.toString());
    }

    @BeforeEach
    void serverRunning() {
        Spice.assertRunning(server);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static String uri() {
        return "spice://127.0.0.1:" + port;
    }

    /** A screenshot links main and display only (a probe of every channel of our server takes longer). */
    @Test
    void screenshotWithUserAndPassword() {
        Path d = Peers.workDir(getClass(), "right");
        Path pw = Peers.write(d.resolve("pw.txt"), PASSWORD + "\n");
        Path shot = d.resolve("shot.png");
        Proc.Result r = Spice.command(List.of(), "screenshot", "--user", "alice", "--password-file", pw.toString(),
                uri(), shot.toString()).run(d, "screenshot", Duration.ofSeconds(60));
        assertEquals(0, r.exitCode(), r::describe);
        assertEquals("1024x768", Pictures.size(Pictures.read(shot)), r::describe);
        assertTrue(Pictures.nonBlack(Pictures.read(shot)) > 100_000, r::describe);
        server.awaitStderr("SASL DIGEST-MD5 user alice linked for display:0", Duration.ofSeconds(5));
    }

    @Test
    void wrongPasswordAndMissingUserExit2() {
        Path d = Peers.workDir(getClass(), "wrong");
        Path pw = Peers.write(d.resolve("pw.txt"), "not-" + PASSWORD);
        Spice.probe(d, "probe", "--user", "alice", "--password-file", pw.toString(), uri())
                .assertAuthenticationFailed();
        server.awaitStderr("SASL authentication for main:0 refused: DIGEST-MD5 authentication failed for user alice",
                Duration.ofSeconds(5));
        Spice.Probe none = Spice.probe(d, "probe-no-user", Map.of("SPICE_PASSWORD", PASSWORD), uri());
        none.assertAuthenticationFailed();
        assertTrue(none.stderr().contains("requires SASL"), none::describe);
    }

    /**
     * Over TLS the server offers SCRAM-SHA-256 first (from the file's salted keys): our probe links with it and the
     * wrong password is refused by it; remote-viewer (spice-gtk's cyrus SCRAM) links over TLS with it too.
     */
    @Test
    void scramSha256OverTls() {
        Path d = Peers.workDir(getClass(), "scram");
        Path pw = Peers.write(d.resolve("pw.txt"), PASSWORD + "\n");
        String ca = certs.resolve("ca-cert.pem").toString();
        String tls = "spice+tls://127.0.0.1:" + tlsPort;
        Spice.Probe p = Spice.probe(d, "probe", "--ca-file", ca, "--user", "alice", "--password-file", pw.toString(),
                tls);
        assertEquals(0, p.exitCode(), p::describe);
        server.awaitStderr("SASL SCRAM-SHA-256 user alice linked for main:0 from \\S+ over TLS", Duration.ofSeconds(5));
        Path wrong = Peers.write(d.resolve("wrong.txt"), "not-" + PASSWORD);
        Spice.probe(d, "probe-wrong", "--ca-file", ca, "--user", "alice", "--password-file", wrong.toString(), tls)
                .assertAuthenticationFailed();
        server.awaitStderr("SCRAM-SHA-256 authentication failed for user alice", Duration.ofSeconds(5));
        String pem;
        try {
            pem = Files.readString(certs.resolve("ca-cert.pem")).strip().replace("\n", "\\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Path vv = Peers.write(d.resolve("tls.vv"), "[virt-viewer]\ntype=spice\nhost=127.0.0.1\ntls-port=" + tlsPort
                + "\nca=" + pem + "\nusername=alice\npassword=" + PASSWORD + "\n");
        try (Xvfb x = Xvfb.start(d, "1280x900x24");
                Proc viewer = x.run(Peers.bounded("remote-viewer", vv.toString())).mergeErr()
                        .start(d, "remote-viewer")) {
            java.util.regex.Matcher m = server.awaitStderr(
                    "SASL (\\S+) user alice linked for display:0 from \\S+ over TLS", Duration.ofSeconds(30));
            // cyrus takes the first mechanism it can use from the server's list: spice-gtk's SCRAM against ours
            assertEquals("SCRAM-SHA-256", m.group(1), viewer::describe);
            assertTrue(viewer.isAlive(), viewer::describe);
        }
    }

    @Test
    void remoteViewerShowsTheDemoThroughTheSecurityLayer() {
        Path d = Peers.workDir(getClass(), "remote-viewer");
        Path vv = Peers.write(d.resolve("sasl.vv"), "[virt-viewer]\ntype=spice\nhost=127.0.0.1\nport=" + port
                + "\nusername=alice\npassword=" + PASSWORD + "\n");
        long before = displayLinks();
        try (Xvfb x = Xvfb.start(d, "1280x900x24");
                Proc viewer = x.run(Peers.bounded("remote-viewer", vv.toString())).mergeErr()
                        .start(d, "remote-viewer")) {
            assertShowsTheDemo(d, x, viewer, before);
        }
    }

    /**
     * spicy (spice-gtk's own test client) under Xvfb: its SASL user from the URI's user part (spice-gtk's username
     * session property), its password from -w (a test password: spicy reads it nowhere else).
     */
    @Test
    void spicyShowsTheDemoThroughTheSecurityLayer() {
        Path d = Peers.workDir(getClass(), "spicy");
        long before = displayLinks();
        try (Xvfb x = Xvfb.start(d, "1280x900x24");
                Proc spicy = x.run(Peers.bounded("spicy", "--uri", "spice://alice@127.0.0.1:" + port, "-w",
                        PASSWORD)).mergeErr().start(d, "spicy")) {
            assertShowsTheDemo(d, x, spicy, before);
        }
    }

    private static final java.util.regex.Pattern DISPLAY_LINKED = java.util.regex.Pattern.compile(
            "SASL DIGEST-MD5 user alice linked for display:\\d");

    /** How many display channels the server has linked through DIGEST-MD5 so far (the server outlives each test). */
    private static long displayLinks() {
        return DISPLAY_LINKED.matcher(server.stderr()).results().count();
    }

    /** The viewer linked a display channel through DIGEST-MD5 (one more than {@code before}) and shows the demo. */
    private static void assertShowsTheDemo(Path d, Xvfb x, Proc viewer, long before) {
        for (long end = System.nanoTime() + Duration.ofSeconds(20).toNanos(); displayLinks() <= before; ) {
            assertTrue(System.nanoTime() < end, "no display channel linked through DIGEST-MD5\n" + viewer.describe());
            Proc.sleep(100);
        }
        Proc.sleep(5000);
        Path shot = x.screenshot(d, "x-screen");
        int[] px = Pictures.read(shot);
        long titleBar = 0;
        for (int i = 2; i < px.length; i++) {
            if (px[i] == 0x2b579a) {
                titleBar++;
            }
        }
        // The demo's title bars (0x2b579a), as in RemoteViewerDemoIT: every picture came through auth-conf (over
        // 20,000 pixels in remote-viewer's window, ~13,000 in spicy's, which scales the desktop down to 640 wide).
        long bars = titleBar;
        assertTrue(bars > 10_000, () -> bars + " pixels of 0x2b579a; see " + shot + "\n" + viewer.describe());
    }
}
