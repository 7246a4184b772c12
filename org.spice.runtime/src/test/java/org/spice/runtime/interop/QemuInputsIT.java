package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code spice send-keys} against QEMU: SeaBIOS waits at "Press ESC for boot menu."; after {@code send-keys ESC}
 * {@code spice screenshot} shows its boot menu, "Select boot device:". The screen is VGA text mode (720x400,
 * 9x16 cells), so the check reads cells: the glyphs of the prompt line serve as the font to recognise the
 * menu's title. QEMU runs with image-compression=off because our display client decodes uncompressed
 * bitmaps only. A missing QEMU fails the test.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class QemuInputsIT {
    private static final int CELL_W = 9;
    private static final int CELL_H = 16;
    static final String PROMPT = "Press ESC for boot menu.";
    static final int PROMPT_ROW = 2;
    static final String MENU = "Select boot device:";
    static final int MENU_ROW = 4;

    private final Path root = Path.of(System.getProperty("spice.root", "..")).toAbsolutePath().normalize();
    private final Path dir = Path.of(System.getProperty("interop.dir", "target/interop")).toAbsolutePath()
            .resolve("qemu-inputs");
    private final List<Process> processes = new ArrayList<>();

    @Test
    void escapeOpensTheSeaBiosBootMenu() throws Exception {
        Path qemu = onPath("qemu-system-x86_64");
        Path jar = root.resolve("org.spice.runtime/target/spice.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is missing: build with ./mvnw package (or verify) first");
        Files.createDirectories(dir.resolve("deploy"));
        int port = Peers.freePort();
        String uri = "spice://127.0.0.1:" + port;
        try {
            Process q = start("qemu", List.of(qemu.toString(), "-machine", "accel=tcg", "-m", "128", "-vga", "qxl",
                    "-display", "none", "-nodefaults", "-no-user-config", "-boot", "menu=on,splash-time=60000",
                    "-spice", "port=" + port + ",addr=127.0.0.1,disable-ticketing=on,image-compression=off"));
            awaitListening(port, q);

            // SeaBIOS's prompt, and no menu yet
            BufferedImage before = null;
            for (int i = 0; i < 10 && (before == null || blank(before, PROMPT_ROW, PROMPT.length())); i++) {
                before = screenshot(uri, "before-" + i);
            }
            Map<Character, String> font = assertPrompt(before);

            Result keys = run("send-keys", List.of("send-keys", uri, "ESC"), 60);
            assertEquals(0, keys.exit(), "spice send-keys failed: " + keys.output());
            assertTrue(keys.output().contains("sent 1 key"), keys.output());

            BufferedImage after = null;
            for (int i = 0; i < 5 && (after == null || blank(after, MENU_ROW, MENU.length())); i++) {
                after = screenshot(uri, "after-" + i);
            }
            assertBootMenu(font, before, after);
        } finally {
            for (Process p : processes) {
                stop(p);
            }
        }
    }

    /**
     * Fails unless {@code before} shows SeaBIOS's "Press ESC for boot menu." and no boot menu yet; returns the
     * prompt line's glyphs, the font that {@link #assertBootMenu} reads the menu's title with.
     */
    static Map<Character, String> assertPrompt(BufferedImage before) {
        assertTrue(!blank(before, PROMPT_ROW, PROMPT.length()), "no prompt on SeaBIOS's screen");
        Map<Character, String> font = font(before, PROMPT_ROW, PROMPT);
        assertTrue(blank(before, MENU_ROW, MENU.length()), "the boot menu is open before ESC");
        return font;
    }

    /** Fails unless {@code after} differs from {@code before} and shows the boot menu's title "Select boot device:". */
    static void assertBootMenu(Map<Character, String> font, BufferedImage before, BufferedImage after) {
        assertTrue(!Arrays.equals(pixels(before), pixels(after)), "the picture did not change after ESC");
        int recognised = 0;
        for (int i = 0; i < MENU.length(); i++) {
            char c = MENU.charAt(i);
            String glyph = cell(after, i, MENU_ROW);
            if (c == ' ') {
                assertTrue(isBlank(glyph), "cell " + i + " of the menu title should be blank");
            } else {
                assertTrue(!isBlank(glyph), "cell " + i + " ('" + c + "') of the menu title is blank");
                if (font.containsKey(c)) {
                    assertEquals(font.get(c), glyph, "cell " + i + " is not '" + c + "'");
                    recognised++;
                }
            }
        }
        // S, e, e, t, b, o, o, t, e, e: every letter of the title that the prompt line also has
        assertEquals(10, recognised, "letters of '" + MENU + "' recognised");
    }

    /** One glyph per character of {@code text} in {@code row}; the same character must look the same each time. */
    private static Map<Character, String> font(BufferedImage img, int row, String text) {
        Map<Character, String> font = new HashMap<>();
        for (int i = 0; i < text.length(); i++) {
            String g = cell(img, i, row);
            String seen = font.putIfAbsent(text.charAt(i), g);
            assertTrue(seen == null || seen.equals(g), "'" + text.charAt(i) + "' looks different at cell " + i
                    + ": the screen is not 9x16 VGA text where expected");
        }
        return font;
    }

    /** A text cell as a string of lit ('#') and dark ('.') pixels. */
    private static String cell(BufferedImage img, int col, int row) {
        StringBuilder b = new StringBuilder(CELL_W * CELL_H);
        for (int y = row * CELL_H; y < (row + 1) * CELL_H; y++) {
            for (int x = col * CELL_W; x < (col + 1) * CELL_W; x++) {
                int rgb = img.getRGB(x, y);
                int lum = ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff);
                b.append(lum > 3 * 0x40 ? '#' : '.');
            }
        }
        return b.toString();
    }

    private static boolean isBlank(String glyph) {
        return glyph.indexOf('#') < 0;
    }

    /** Whether cells 1..{@code cells}-1 of {@code row} are dark; cell 0 may hold the blinking cursor. */
    static boolean blank(BufferedImage img, int row, int cells) {
        for (int i = 1; i < cells; i++) {
            if (!isBlank(cell(img, i, row))) {
                return false;
            }
        }
        return true;
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    private BufferedImage screenshot(String uri, String name) throws Exception {
        Path png = dir.resolve(name + ".png");
        Files.deleteIfExists(png);
        Result r = run("screenshot-" + name, List.of("screenshot", uri, png.toString()), 60);
        assertEquals(0, r.exit(), "spice screenshot failed: " + r.output());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(720, img.getWidth(), "not VGA text mode");
        assertEquals(400, img.getHeight(), "not VGA text mode");
        return img;
    }

    record Result(int exit, String output) {
    }

    /** Runs {@code ./spice ARGS} with its own deploy directory, bounded by {@code seconds}. */
    private Result run(String name, List<String> args, int seconds) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(root.resolve("spice").toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPICE_DEPLOY_DIR", dir.resolve("deploy").toString());
        pb.environment().remove("SPICE_REBUILD");
        Process p = pb.start();
        processes.add(p);
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            stop(p);
            fail("./spice " + String.join(" ", args) + " did not end within " + seconds + " s: "
                    + Files.readString(dir.resolve(name + ".log"), StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(dir.resolve(name + ".log"), StandardCharsets.UTF_8));
    }

    private Process start(String name, List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log")
                .toFile()).start();
        processes.add(p);
        return p;
    }

    private static void stop(Process p) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitListening(int port, Process q) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!q.isAlive()) {
                fail("QEMU exited with " + q.exitValue() + ": " + Files.readString(dir.resolve("qemu.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        fail("QEMU does not listen on port " + port + " after 30 s");
    }

    /** The executable on PATH; fails (never skips) when it is missing. */
    private static Path onPath(String exe) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, exe);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return fail(exe + " is not installed (not on PATH); scripts/install-peers.sh installs the interop peers");
    }
}
