package org.spice.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hot deployment into a running {@code ./spice server}, through the script as a person runs it.
 *
 * <p>The server runs {@code spice-minimal.jar} (SPICE_RUNTIME=spice-minimal: the runtime without optional channel
 * bundles) on a deploy directory of its own (SPICE_DEPLOY_DIR). That directory starts with the shipped
 * cnf/config/org.spice.server.cfg (on a free port), so the server is configured by FileInstall, not by options.
 * Then: the cursor bundle jar dropped in is installed and offered to new clients, removing it uninstalls it, and
 * writing org.spice.display.cfg there reconfigures the running display. {@code ./spice probe} and
 * {@code ./spice screenshot} (the full runtime, each its own JVM) check what a new client sees.
 *
 * <p>The minimal runtime is the clean way to show a bundle appearing: with the full spice.jar, a cursor jar with
 * the same symbolic name and version dropped into deploy/ is not installed twice; FileInstall updates the running
 * cursor bundle from it and takes it over (removing the jar then uninstalls cursor).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class HotDeployIT {
    static final Path ROOT = Path.of(System.getProperty("spice.root", "..")).toAbsolutePath().normalize();
    static final Duration START = Duration.ofSeconds(60);
    static final Duration CLIENT = Duration.ofSeconds(90);

    @Test
    void channelBundlesAndConfigurationComeAndGoThroughTheDeployDirectory() throws Exception {
        for (String jar : new String[] {"spice.jar", "spice-minimal.jar"}) {
            assertTrue(Files.isRegularFile(ROOT.resolve("org.spice.runtime/target").resolve(jar)), "the reactor"
                    + " did not build org.spice.runtime/target/" + jar + " (run ./mvnw -B verify at the root)");
        }
        Path cursorJar = reactorJar("org.spice.cursor");
        Path work = Files.createDirectories(Path.of("target/hotdeploy").toAbsolutePath());
        Path deploy = work.resolve("deploy");
        deleteTree(deploy);
        Files.createDirectories(deploy);
        int port = SpiceContainer.freePort();
        Files.writeString(deploy.resolve("org.spice.server.cfg"), Files.readString(
                ROOT.resolve("cnf/config/org.spice.server.cfg")).replace("listen=127.0.0.1:5930",
                        "listen=127.0.0.1:" + port));
        String uri = "spice://127.0.0.1:" + port;

        try (Proc server = Proc.start("hotdeploy-server", ROOT, Map.of("SPICE_RUNTIME", "spice-minimal",
                "SPICE_DEPLOY_DIR", deploy.toString()), "./spice", "server")) {
            server.awaitOutput("SPICE server listening on " + uri, START);
            assertTrue(server.output().contains("server configured by " + deploy.resolve("org.spice.server.cfg")),
                    server.output());

            // The probe's runtime watches the same directory but takes only jars: no second server from the cfg.
            String probe = probe(uri, deploy);
            assertTrue(probe.contains("channel display:0"), probe);
            assertFalse(probe.contains("channel cursor:0"), "no cursor bundle deployed yet:\n" + probe);
            assertFalse(probe.contains("SPICE server"), "the probe's runtime started a server:\n" + probe);

            // A real client stays connected while the channel bundle comes and goes: remote-viewer under Xvfb.
            int mark;
            int viewerMark = server.length();
            try (Proc viewer = Proc.start("hotdeploy-remote-viewer", work, Map.of(), "timeout", "-k", "5", "120",
                    "xvfb-run", "-a", "remote-viewer", uri)) {
                // Linked, not any display line: the probe's display channel may still log (streaming) after it closed.
                awaitMatch(server, java.util.regex.Pattern.compile("display:0 from \\S+ linked"), viewerMark, START);
                java.util.regex.Matcher linked = java.util.regex.Pattern.compile("main:0 from \\S+ linked \\(connection"
                        + " (0x[0-9a-f]+)").matcher(server.output().substring(viewerMark));
                assertTrue(linked.find(), "remote-viewer's main channel:\n" + server.output());
                String viewerClient = "client " + linked.group(1) + " left";
                mark = server.length();
                Path part = deploy.resolve("org.spice.cursor.jar.part");
                Files.copy(cursorJar, part);
                Files.move(part, deploy.resolve("org.spice.cursor.jar"), StandardCopyOption.ATOMIC_MOVE);
                server.awaitOutput("channel cursor offered to new clients", mark, START);
                probe = probe(uri, work.resolve("empty"));
                assertTrue(probe.contains("channel cursor:0"), "cursor deployed:\n" + probe);

                mark = server.length();
                Files.delete(deploy.resolve("org.spice.cursor.jar"));
                server.awaitOutput("channel cursor withdrawn", mark, START);
                probe = probe(uri, work.resolve("empty"));
                assertFalse(probe.contains("channel cursor:0"), "cursor removed:\n" + probe);
                assertTrue(probe.contains("channel display:0"), probe);
                assertTrue(viewer.isAlive(), "remote-viewer stayed connected:\n" + viewer.output());
                assertFalse(server.output().contains(viewerClient), "remote-viewer's session ended:\n"
                        + server.output());
            }

            // Configuration at run time: the shipped display cfg, showing a still image without video streaming.
            Path red = work.resolve("red.png");
            BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 48; y++) {
                for (int x = 0; x < 64; x++) {
                    img.setRGB(x, y, 0xc81e1e);
                }
            }
            ImageIO.write(img, "png", red.toFile());
            mark = server.length();
            Path cfg = deploy.resolve("org.spice.display.cfg.part");
            Files.writeString(cfg, Files.readString(ROOT.resolve("cnf/config/org.spice.display.cfg"))
                    .replace("source=demo", "source=image:" + red)
                    .replace("streaming.video=filter", "streaming.video=off"));
            Files.move(cfg, deploy.resolve("org.spice.display.cfg"), StandardCopyOption.ATOMIC_MOVE);
            server.awaitOutput("channel display withdrawn", mark, START);
            server.awaitOutput("channel display offered to new clients", mark, START);
            Path shot = work.resolve("shot.png");
            Files.deleteIfExists(shot);
            Proc s = Proc.run("hotdeploy-screenshot", CLIENT, ROOT, Map.of("SPICE_DEPLOY_DIR",
                    work.resolve("empty").toString()), "./spice", "screenshot", uri, shot.toString());
            assertEquals(0, s.exitCode(), s.output());
            BufferedImage got = ImageIO.read(shot.toFile());
            assertEquals("64x48", got.getWidth() + "x" + got.getHeight(), "the configured image, not the demo");
            assertEquals(0xc81e1e, got.getRGB(32, 24) & 0xffffff, "its colour");
            assertTrue(server.isAlive(), "the server runs on:\n" + server.output());
            assertFalse(server.output().contains("SEVERE"), "errors in the server's log:\n" + server.output());
        }
    }

    /**
     * A channel bundle brings its {@code spice} commands: the minimal runtime has no {@code port} and names the bundle
     * that provides it; with the tunnel bundle's jar in deploy/ it lists and runs the tunnel's commands.
     */
    @Test
    void aChannelBundleInTheDeployDirectoryBringsItsCommands() throws Exception {
        Path deploy = Path.of("target/hotdeploy-cli/deploy").toAbsolutePath();
        deleteTree(deploy);
        Files.createDirectories(deploy);
        Map<String, String> env = Map.of("SPICE_RUNTIME", "spice-minimal", "SPICE_DEPLOY_DIR", deploy.toString());

        Proc help = Proc.run("hotdeploy-cli-help", CLIENT, ROOT, env, "./spice", "--help");
        assertEquals(0, help.exitCode(), help.output());
        assertTrue(help.output().contains("  screenshot "), help.output());
        assertFalse(help.output().contains("  port "), "port without the tunnel bundle:\n" + help.output());
        Proc port = Proc.run("hotdeploy-cli-port", CLIENT, ROOT, env, "./spice", "port", "--help");
        assertEquals(1, port.exitCode(), port.output());
        assertTrue(port.output().contains("error: channel bundle not installed: org.spice.tunnel (the port channel)"),
                port.output());

        Files.copy(reactorJar("org.spice.tunnel"), deploy.resolve("org.spice.tunnel.jar"));
        help = Proc.run("hotdeploy-cli-help-tunnel", CLIENT, ROOT, env, "./spice", "--help");
        assertEquals(0, help.exitCode(), help.output());
        for (String command : new String[] {"port", "share-folder", "tunnel-share"}) {
            assertTrue(help.output().contains("  " + command + " "), command + " with the tunnel bundle:\n"
                    + help.output());
        }
        port = Proc.run("hotdeploy-cli-port-tunnel", CLIENT, ROOT, env, "./spice", "port", "--help");
        assertEquals(0, port.exitCode(), port.output());
        assertTrue(port.output().contains("Usage: spice port "), port.output());
    }

    /** Waits until output of {@code p} from {@code from} on matches {@code pattern}. */
    static void awaitMatch(Proc p, java.util.regex.Pattern pattern, int from, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pattern.matcher(p.output().substring(from)).find()) {
            if (System.nanoTime() > deadline) {
                fail("no match for " + pattern + " within " + timeout + ":\n" + p.output().substring(from));
            }
            Thread.sleep(100);
        }
    }

    static String probe(String uri, Path deployDir) throws IOException, InterruptedException {
        Files.createDirectories(deployDir);
        Proc p = Proc.run("hotdeploy-probe", CLIENT, ROOT, Map.of("SPICE_DEPLOY_DIR", deployDir.toString()),
                "./spice", "probe", uri);
        if (p.exitCode() != 0) {
            fail("./spice probe " + uri + " exited " + p.exitCode() + ":\n" + p.output());
        }
        return p.output();
    }

    /** The reactor's jar of {@code artifactId}, from the list the build writes. */
    static Path reactorJar(String artifactId) throws IOException {
        Path list = Path.of(System.getProperty("spice.bundles.file", "target/spice-bundles.txt"));
        return Arrays.stream(Files.readString(list).strip().split(java.io.File.pathSeparator)).map(Path::of)
                .filter(p -> p.getFileName().toString().startsWith(artifactId + "-")
                        && p.getFileName().toString().endsWith(".jar"))
                .findFirst().orElseThrow(() -> new AssertionError("no " + artifactId + " jar in " + list));
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
