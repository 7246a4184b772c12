package org.spice.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Karaf features repository at work: apache-karaf-minimal (unpacked from Maven Central by the build into
 * target/karaf-dist, copied afresh to target/karaf-run) starts headless ({@code bin/karaf server}, SSH on a free
 * loopback port), {@code bin/client} adds the repository and installs {@code spice-server}, the server takes
 * etc/org.spice.server.cfg (the shipped cnf/config file on a free loopback port), and spice-gtk's
 * {@code spicy-screenshot} gets a picture from it. The SPICE bundles are the reactor's jars: the test writes a
 * copy of the features repository whose org.spice bundles are file: URLs of those jars (nothing goes to a Maven
 * repository); Netty and Karaf's scr feature come through Karaf's Maven resolver (the local repository, else
 * Maven Central).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class KarafFeaturesIT {
    static final Duration KARAF = Duration.ofSeconds(120);

    @Test
    void spiceServerFeatureServesAPictureFromKaraf() throws Exception {
        Path dist = Path.of(System.getProperty("karaf.dist", "target/karaf-dist/apache-karaf-minimal-4.4.8"));
        assertTrue(Files.isExecutable(dist.resolve("bin/karaf")), "no Karaf at " + dist.toAbsolutePath()
                + ": the build unpacks it in pre-integration-test (./mvnw -B verify)");
        Path home = Path.of("target/karaf-run").toAbsolutePath();
        HotDeployIT.deleteTree(home);
        copyTree(dist, home);

        int sshPort = SpiceContainer.freePort();
        int spicePort = SpiceContainer.freePort();
        Path shell = home.resolve("etc/org.apache.karaf.shell.cfg");
        Files.writeString(shell, Files.readString(shell).replaceAll("(?m)^sshPort\\s*=.*$", "sshPort = " + sshPort)
                .replaceAll("(?m)^sshHost\\s*=.*$", "sshHost = 127.0.0.1"));
        Files.writeString(home.resolve("etc/users.properties"), "\nkaraf = karaf,_g_:admingroup\n"
                + "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n",
                java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(home.resolve("etc/org.spice.server.cfg"), Files.readString(HotDeployIT.ROOT.resolve(
                "cnf/config/org.spice.server.cfg")).replace("listen=127.0.0.1:5930", "listen=127.0.0.1:" + spicePort));
        Path features = home.resolve("spice-features.xml");
        Files.writeString(features, withReactorJars(Files.readString(Path.of(System.getProperty("spice.features",
                "target/features/features.xml")))));

        Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"));
        try (Proc karaf = Proc.start("karaf", home, env, "bin/karaf", "server")) {
            Proc install = client(home, env, "feature:repo-add " + features.toUri()
                    + "; feature:install spice-server spice-desktop-x11; feature:list -i");
            assertEquals(0, install.exitCode(), "bin/client: " + install.output() + karafLog(home));
            for (String feature : List.of("spice-server", "spice-desktop-x11")) {
                assertTrue(install.output().contains(feature), "installed features:\n" + install.output());
            }

            awaitListening(spicePort, karaf, home);
            Proc bundles = client(home, env, "bundle:list -s");
            for (String bsn : List.of("org.spice.protocol", "org.spice.display", "org.spice.cursor",
                    "org.spice.desktop.x11")) {
                assertTrue(Pattern.compile("(?m)\\| Active\\s*\\|.*\\Q" + bsn + "\\E").matcher(strip(bundles.output()))
                        .find(), bsn + " active:\n" + bundles.output());
            }

            Path ppm = home.resolve("screenshot.ppm");
            Proc shot = Proc.run("karaf-spicy-screenshot", Duration.ofSeconds(60), home, Map.of(), "spicy-screenshot",
                    "-h", "127.0.0.1", "-p", Integer.toString(spicePort), "-o", ppm.toString());
            assertEquals(0, shot.exitCode(), "spicy-screenshot: " + shot.output() + karafLog(home));
            Ppm picture = Ppm.read(ppm);
            assertEquals("1024x768", picture.width + "x" + picture.height, "the demo desktop's size");
            assertTrue(picture.nonBlackFraction() > 0.5, "the picture is mostly black: " + picture.nonBlackFraction()
                    + " of its pixels are not");
            assertFalse(karafLog(home).contains("| ERROR |"), "errors in karaf.log:" + karafLog(home));
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", spicePort), 1000);
            fail("the SPICE server still listens after Karaf stopped");
        } catch (IOException expected) {
            // stopped with Karaf
        }
    }

    /** bin/client with retries while Karaf's SSH server comes up. */
    static Proc client(Path home, Map<String, String> env, String commands) throws Exception {
        return Proc.run("karaf-client", KARAF, home, env, "bin/client", "-h", "127.0.0.1", "-a",
                sshPort(home), "-u", "karaf", "-p", "karaf", "-r", "90", "-d", "1", commands);
    }

    static String sshPort(Path home) throws IOException {
        Matcher m = Pattern.compile("(?m)^sshPort = (\\d+)$").matcher(Files.readString(home.resolve(
                "etc/org.apache.karaf.shell.cfg")));
        assertTrue(m.find(), "sshPort in etc/org.apache.karaf.shell.cfg");
        return m.group(1);
    }

    /** The features repository with each mvn:org.spice/ARTIFACT/VERSION replaced by the reactor jar's URL. */
    static String withReactorJars(String xml) throws IOException {
        Matcher m = Pattern.compile("mvn:org\\.spice/([A-Za-z0-9_.-]+)/[^<\\s]+").matcher(xml);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(HotDeployIT.reactorJar(m.group(1)).toUri().toString()));
        }
        m.appendTail(out);
        assertFalse(out.toString().contains("mvn:org.spice/"), out.toString());
        return out.toString();
    }

    static void awaitListening(int port, Proc karaf, Path home) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !karaf.isAlive()) {
                    fail("the SPICE server in Karaf does not listen on " + port + karafLog(home));
                }
                Thread.sleep(200);
            }
        }
    }

    static String karafLog(Path home) throws IOException {
        Path log = home.resolve("data/log/karaf.log");
        if (!Files.exists(log)) {
            return "\n(no karaf.log)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return "\nkaraf.log (last lines):\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40),
                lines.size()));
    }

    /** Without the ANSI colours Karaf's grep and tables use. */
    static String strip(String s) {
        return s.replaceAll("\u001b\\[[0-9;]*m", "");
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** A binary PPM (P6, maxval 255) as spicy-screenshot writes it. */
    record Ppm(int width, int height, byte[] rgb) {
        static Ppm read(Path file) throws IOException {
            byte[] b = Files.readAllBytes(file);
            int[] pos = {0};
            String magic = token(b, pos);
            if (!magic.equals("P6")) {
                throw new IOException(file + " is not a binary PPM: " + magic);
            }
            int w = Integer.parseInt(token(b, pos));
            int h = Integer.parseInt(token(b, pos));
            int max = Integer.parseInt(token(b, pos));
            if (max != 255) {
                throw new IOException("maxval " + max);
            }
            int start = pos[0] + 1; // one whitespace after maxval
            if (b.length - start < w * h * 3) {
                throw new IOException(file + ": " + (b.length - start) + " bytes of pixels for " + w + "x" + h);
            }
            return new Ppm(w, h, java.util.Arrays.copyOfRange(b, start, start + w * h * 3));
        }

        private static String token(byte[] b, int[] pos) {
            while (Character.isWhitespace(b[pos[0]]) || b[pos[0]] == '#') {
                if (b[pos[0]] == '#') {
                    while (b[pos[0]] != '\n') {
                        pos[0]++;
                    }
                }
                pos[0]++;
            }
            int s = pos[0];
            while (!Character.isWhitespace(b[pos[0]])) {
                pos[0]++;
            }
            return new String(b, s, pos[0] - s, StandardCharsets.US_ASCII);
        }

        double nonBlackFraction() {
            int n = 0;
            for (int i = 0; i < rgb.length; i += 3) {
                if ((rgb[i] | rgb[i + 1] | rgb[i + 2]) != 0) {
                    n++;
                }
            }
            return n / (double) (width * height);
        }
    }
}
