package org.spice.runtime.internal;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.spice.protocol.SpiceUri;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spice bench screenshot URI}: the wall time of a screenshot, connect to PNG written and session closed, taken
 * {@code --rounds} times by this runtime (warm: the JVM and the bundles already run; each round is the whole {@code
 * screenshot} command, parsed and run as the command line runs it) and as many times by spicy-screenshot on the same
 * URI in the same run, alternating round by round so that both meet the same load. Prints the median and p90 of
 * each and their ratio, and whether the last pictures of the two are equal pixel for pixel.
 */
@Command(name = "screenshot", mixinStandardHelpOptions = true,
        description = "Take a screenshot of URI --rounds times in this runtime and with spicy-screenshot, alternately;"
                + " print the median and p90 wall time of each, their ratio, and whether the pictures agree.")
final class BenchScreenshotCommand implements Callable<Integer> {
    /** The most rounds one run takes. */
    static final int MAX_ROUNDS = 1000;
    /** Bound on one spicy-screenshot run. */
    private static final long PEER_LIMIT_SECONDS = 60;

    private final Runtime rt;

    @Parameters(index = "0", paramLabel = "URI", description = "spice://HOST:PORT of the server (plain port).")
    String uri;

    @Option(names = "--rounds", paramLabel = "N", description = "Screenshots by each client, 1.." + MAX_ROUNDS
            + " (default ${DEFAULT-VALUE}).")
    int rounds = 10;

    @Option(names = "--out", paramLabel = "OUT.png", description = "Keep our last picture here (default: a"
            + " temporary file, deleted).")
    Path out;

    @Option(names = "--spicy-screenshot", paramLabel = "PROGRAM", description = "The reference client (default"
            + " ${DEFAULT-VALUE}, from PATH).")
    String spicy = "spicy-screenshot";

    BenchScreenshotCommand(Runtime rt) {
        this.rt = rt;
    }

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || rounds > MAX_ROUNDS) {
            rt.err().println("error: --rounds must be 1.." + MAX_ROUNDS + ", not " + rounds);
            return 64;
        }
        SpiceUri target;
        try {
            target = SpiceUri.parse(uri);
        } catch (IllegalArgumentException e) {
            rt.err().println("error: " + e.getMessage());
            return 64;
        }
        if (target.port() <= 0 || target.password() != null) {
            rt.err().println("error: " + uri + ": the bench needs a plain port and no password (spicy-screenshot is"
                    + " run with -h HOST -p PORT, and a password must not go on its command line)");
            return 64;
        }
        Path dir = Files.createTempDirectory("spice-bench-screenshot");
        Path ours = out != null ? out : dir.resolve("ours.png");
        Path theirs = dir.resolve("spicy.ppm");
        try {
            long[] our = new long[rounds];
            long[] their = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                ByteArrayOutputStream said = new ByteArrayOutputStream();
                long t0 = System.nanoTime();
                int exit = screenshot(ours, said);
                our[i] = System.nanoTime() - t0;
                if (exit != 0) {
                    rt.err().print(said.toString(StandardCharsets.UTF_8));
                    rt.err().println("error: our screenshot " + (i + 1) + " exited " + exit);
                    return 1;
                }
                t0 = System.nanoTime();
                String failed = spicyScreenshot(target, theirs);
                their[i] = System.nanoTime() - t0;
                if (failed != null) {
                    rt.err().println("error: spicy-screenshot " + (i + 1) + " " + failed);
                    return 1;
                }
            }
            rt.out().printf("ours (warm, in this runtime): median %.0f ms, p90 %.0f ms over %d rounds%n",
                    ms(percentile(our, 50)), ms(percentile(our, 90)), rounds);
            rt.out().printf("spicy-screenshot: median %.0f ms, p90 %.0f ms over %d rounds%n",
                    ms(percentile(their, 50)), ms(percentile(their, 90)), rounds);
            rt.out().printf("ratio ours/spicy-screenshot: median %.2fx, p90 %.2fx%n",
                    percentile(our, 50) / (double) percentile(their, 50),
                    percentile(our, 90) / (double) percentile(their, 90));
            rt.out().println("pictures: " + compare(ImageIO.read(ours.toFile()), readPpm(theirs)));
            if (out != null) {
                rt.out().println("our last picture: " + out);
            }
            return 0;
        } finally {
            Files.deleteIfExists(theirs);
            if (out == null) {
                Files.deleteIfExists(ours);
            }
            Files.deleteIfExists(dir);
        }
    }

    /**
     * One {@code screenshot URI OUT} as the command line runs it, its output kept in {@code said} (printed only when
     * it fails); the exit code.
     */
    private int screenshot(Path to, ByteArrayOutputStream said) {
        PrintStream quiet = new PrintStream(said, true, StandardCharsets.UTF_8);
        Runtime r = new Runtime(rt.context(), rt.configAdmin(), rt.client(), rt.stopped(), quiet, quiet);
        CommandLine cl = new CommandLine(new ScreenshotCommand(r));
        cl.setOut(new java.io.PrintWriter(quiet, true));
        cl.setErr(new java.io.PrintWriter(quiet, true));
        return cl.execute(uri, to.toString());
    }

    /** Runs spicy-screenshot once; null when it wrote its picture, else what went wrong. */
    private String spicyScreenshot(SpiceUri target, Path to) throws IOException, InterruptedException {
        Files.deleteIfExists(to);
        Process p;
        try {
            p = new ProcessBuilder(spicy, "-h", target.host(), "-p", Integer.toString(target.port()), "-o",
                    to.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return "did not start (" + e.getMessage() + "); install spice-client-gtk";
        }
        p.getOutputStream().close();
        byte[] output;
        try (InputStream in = p.getInputStream()) {
            output = in.readNBytes(64 * 1024);
        }
        if (!p.waitFor(PEER_LIMIT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "did not end within " + PEER_LIMIT_SECONDS + " s";
        }
        if (p.exitValue() != 0 || !Files.isRegularFile(to)) {
            return "exited " + p.exitValue() + ": " + new String(output, StandardCharsets.UTF_8).strip();
        }
        return null;
    }

    /** "equal (WxH)" or how the two pictures differ. */
    static String compare(BufferedImage a, BufferedImage b) {
        if (a == null || b == null) {
            return "differ (" + (a == null ? "ours" : "spicy-screenshot's") + " is unreadable)";
        }
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            return "differ (ours " + a.getWidth() + "x" + a.getHeight() + ", spicy-screenshot's " + b.getWidth() + "x"
                    + b.getHeight() + ")";
        }
        int w = a.getWidth();
        int h = a.getHeight();
        int[] pa = a.getRGB(0, 0, w, h, null, 0, w);
        int[] pb = b.getRGB(0, 0, w, h, null, 0, w);
        long differing = 0;
        for (int i = 0; i < pa.length; i++) {
            if (((pa[i] ^ pb[i]) & 0xffffff) != 0) {
                differing++;
            }
        }
        return differing == 0 ? "equal (" + w + "x" + h + ")" : "differ in " + differing + " of " + pa.length
                + " pixels";
    }

    /**
     * A binary PPM (P6, maxval 255) as spicy-screenshot writes it; null when the file is not one. Its size is checked
     * against the file's before anything is allocated.
     */
    static BufferedImage readPpm(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            List<String> header = new java.util.ArrayList<>();
            while (header.size() < 4) {
                String token = token(in);
                if (token == null) {
                    return null;
                }
                header.add(token);
            }
            if (!header.get(0).equals("P6") || !header.get(3).equals("255")) {
                return null;
            }
            int w;
            int h;
            try {
                w = Integer.parseInt(header.get(1));
                h = Integer.parseInt(header.get(2));
            } catch (NumberFormatException e) {
                return null;
            }
            if (w <= 0 || h <= 0 || 3L * w * h > Math.min(Files.size(file), Integer.MAX_VALUE - 8)) {
                return null;
            }
            byte[] rgb = in.readNBytes(3 * w * h);
            if (rgb.length != 3 * w * h) {
                return null;
            }
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int[] px = new int[w * h];
            for (int i = 0; i < px.length; i++) {
                px[i] = (rgb[3 * i] & 0xff) << 16 | (rgb[3 * i + 1] & 0xff) << 8 | rgb[3 * i + 2] & 0xff;
            }
            img.setRGB(0, 0, w, h, px, 0, w);
            return img;
        }
    }

    /** The next whitespace-separated header token (comments skipped), or null at the end; the last one eats one space. */
    private static String token(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '#' && b.length() == 0) {
                while ((c = in.read()) != -1 && c != '\n') {
                    // a comment runs to the end of its line
                }
            } else if (Character.isWhitespace(c)) {
                if (b.length() > 0) {
                    return b.toString();
                }
            } else if (b.length() < 16) {
                b.append((char) c);
            } else {
                return null;
            }
        }
        return null;
    }

    /** The p-th percentile (nearest rank) of the nanosecond figures. */
    static long percentile(long[] v, int p) {
        long[] s = v.clone();
        Arrays.sort(s);
        return BenchCommand.nearestRank(s, p / 100.0);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
