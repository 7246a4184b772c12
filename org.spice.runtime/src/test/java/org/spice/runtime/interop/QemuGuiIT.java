package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * {@code spice connect} under Xvfb on QEMU's SeaBIOS screen (720x400 VGA text): the window shows the prompt,
 * xdotool clicks into it and presses Escape, the window shows the boot menu, and a following {@code spice
 * screenshot} shows the boot menu too (read as {@link QemuInputsIT} reads it). The window's picture area equals
 * that headless screenshot pixel for pixel: the GUI shows the display unscaled. The window itself is written to
 * {@code gui-seabios.png} in the test's directory (docs/gui-seabios.png is such a picture).
 *
 * <p>SeaBIOS's text cursor blinks, so the window is photographed until both phases were seen, and the headless
 * screenshot must equal one of them.
 */
class QemuGuiIT {
    private static final String TITLE = "spice-gui-it";
    /**
     * The end of an xdotool name pattern after a window's title: while the window holds the keyboard grab its title
     * says how to release it, as remote-viewer's does ("TITLE (Press Ctrl+Alt to release keyboard)").
     */
    static final String GRABBED = "( \\(.*\\))?$";
    private static final int WIDTH = 720;
    private static final int HEIGHT = 400;

    @Test
    void escapeInTheWindowOpensTheBootMenuAndTheWindowShowsWhatTheServerShows() throws Exception {
        Path dir = Peers.workDir(getClass(), "seabios");
        int port = Peers.freePort();
        String uri = "spice://127.0.0.1:" + port;
        try (Proc qemu = Qemu.start(dir, "qemu", "port=" + port + ",addr=127.0.0.1,disable-ticketing=on"
                + ",image-compression=off", List.of(), port);
                Xvfb x = Xvfb.start(dir, "1280x900x24");
                Proc gui = Spice.command(List.of(Peers.binary("timeout"), "-k", "5",
                        Long.toString(Peers.MAX_PEER_LIFETIME.toSeconds())), "connect", "--title", TITLE, uri)
                        .env("DISPLAY", x.display).env("XDG_CONFIG_HOME", withoutStatusLine(dir))
                        .start(dir, "connect")) {
            String window = xdotool(x, dir, "search", "search", "--sync", "--name", "^" + TITLE + GRABBED).strip()
                    .lines().findFirst().orElseThrow();
            Rectangle frame = geometry(x, dir, window);
            assertEquals(WIDTH, frame.width, "the window is not as wide as the display: " + frame);
            assertTrue(frame.height > HEIGHT, "no room for the menu bar above the display: " + frame);
            // The picture fills the window below the menu bar.
            Rectangle picture = new Rectangle(frame.x, frame.y + frame.height - HEIGHT, WIDTH, HEIGHT);

            BufferedImage prompt = null;
            for (int i = 0; i < 60 && (prompt == null || QemuInputsIT.blank(prompt, QemuInputsIT.PROMPT_ROW,
                    QemuInputsIT.PROMPT.length())); i++) {
                Proc.sleep(i == 0 ? 0 : 500);
                prompt = crop(read(x.screenshot(dir, "x-prompt-" + i)), picture);
            }
            Map<Character, String> font = QemuInputsIT.assertPrompt(prompt);

            // Focus the window as a user does, by clicking into it, then press Escape.
            xdotool(x, dir, "click", "mousemove", "--window", window, "360", "200", "click", "1");
            xdotool(x, dir, "escape", "key", "Escape");

            List<BufferedImage> menus = new ArrayList<>();
            BufferedImage screen = null;
            for (int i = 0; i < 40 && menus.size() < 2; i++) {
                Proc.sleep(300);
                BufferedImage shot = read(x.screenshot(dir, "x-menu-" + i));
                BufferedImage p = crop(shot, picture);
                if (!QemuInputsIT.blank(p, QemuInputsIT.MENU_ROW, QemuInputsIT.MENU.length())
                        && menus.stream().noneMatch(m -> same(m, p))) {
                    menus.add(p);
                    screen = shot;
                }
            }
            assertFalse(menus.isEmpty(), "the window never showed the boot menu after Escape; see " + dir);
            QemuInputsIT.assertBootMenu(font, prompt, menus.get(0));
            ImageIO.write(crop(screen, frame), "png", dir.resolve("gui-seabios.png").toFile());
            assertTrue(gui.isAlive(), "spice connect ended\n" + gui.describe());
            gui.close(); // QEMU serves one client at a time: the screenshot below would replace the window's

            BufferedImage headless = null;
            for (int i = 0; i < 4; i++) {
                Path png = dir.resolve("screenshot-" + i + ".png");
                Proc.Result r = Spice.command(List.of(), "screenshot", uri, png.toString())
                        .run(dir, "screenshot-" + i, Duration.ofSeconds(60));
                assertEquals(0, r.exitCode(), r::describe);
                headless = read(png);
                BufferedImage h = headless;
                if (menus.stream().anyMatch(m -> same(m, h))) {
                    break;
                }
            }
            QemuInputsIT.assertBootMenu(font, prompt, headless);
            BufferedImage h = headless;
            assertTrue(menus.stream().anyMatch(m -> same(m, h)), "the window's picture differs from our headless"
                    + " screenshot of the VM (" + menus.size() + " window pictures); see " + dir);
            assertTrue(qemu.isAlive(), qemu.describe());
        }
    }

    /**
     * QEMU with a password: a .vv file's password opens the window (the file deletes itself, as it asks), and
     * without any password the dialog asks for it; the password never shows in our output or command lines.
     */
    @Test
    void theVvFilesPasswordOrTheDialogsOpensTheWindow() throws Exception {
        Path dir = Peers.workDir(getClass(), "password");
        int port = Peers.freePort();
        String password = "gui-Pa55";
        Peers.write(dir.resolve("password.txt"), password);
        Path vv = Peers.write(dir.resolve("console.vv"), "[virt-viewer]\ntype=spice\nhost=127.0.0.1\nport=" + port
                + "\npassword=" + password + "\ntitle=" + TITLE + " vv\ndelete-this-file=1\n");
        try (Proc qemu = Qemu.start(dir, "qemu", "port=" + port + ",addr=127.0.0.1,password-secret=sp",
                List.of("-object", "secret,id=sp,file=" + dir.resolve("password.txt")), port);
                Xvfb x = Xvfb.start(dir, "1280x900x24")) {
            List<String> bounded = List.of(Peers.binary("timeout"), "-k", "5",
                    Long.toString(Peers.MAX_PEER_LIFETIME.toSeconds()));
            try (Proc gui = Spice.command(bounded, "connect", vv.toString()).env("DISPLAY", x.display)
                    .start(dir, "connect-vv")) {
                xdotool(x, dir, "search-vv", "search", "--sync", "--name", "^" + TITLE + " vv" + GRABBED);
                gui.awaitStdout("^connected to spice://127.0.0.1:" + port, Duration.ofSeconds(30));
                assertFalse(java.nio.file.Files.exists(vv), "the .vv file asked to be deleted once read");
                assertNoPassword(gui, password);
            }
            try (Proc gui = Spice.command(bounded, "connect", "--title", TITLE, "spice://127.0.0.1:" + port)
                    .env("DISPLAY", x.display).start(dir, "connect-dialog")) {
                String dialog = xdotool(x, dir, "search-dialog", "search", "--sync", "--onlyvisible", "--name",
                        "^SPICE password$").strip().lines().findFirst().orElseThrow();
                Proc.sleep(1500); // mapped is not yet painted and listening, on a busy machine
                // into the password field, under the prompt
                xdotool(x, dir, "focus-field", "mousemove", "--window", dialog, "185", "40", "click", "1");
                Proc.sleep(500);
                xdotool(x, dir, "type", "type", "--delay", "80", password);
                x.screenshot(dir, "x-dialog");
                xdotool(x, dir, "enter", "key", "Return");
                xdotool(x, dir, "search-window", "search", "--sync", "--name", "^" + TITLE + GRABBED);
                gui.awaitStdout("^connected to spice://127.0.0.1:" + port, Duration.ofSeconds(30));
                assertNoPassword(gui, password);
            }
            assertTrue(qemu.isAlive(), qemu.describe());
        }
    }

    private static void assertNoPassword(Proc gui, String password) {
        assertTrue(gui.isAlive(), gui.describe());
        assertFalse(gui.describe().contains(password), "the password shows in our output or command line\n"
                + gui.describe());
    }

    /** Without an X display {@code spice connect} says so and exits 3, before it connects, with no stack trace. */
    @Test
    void withoutADisplayItSaysSoAndExits3() {
        Path dir = Peers.workDir(getClass(), "no-display");
        Proc.Result r = Spice.command(List.of(), "connect", "spice://127.0.0.1:" + Peers.freePort())
                .unsetEnv("DISPLAY").run(dir, "connect", Duration.ofSeconds(60));
        assertEquals(3, r.exitCode(), r::describe);
        assertTrue(r.stderr().contains("error: cannot open a window: no display: DISPLAY is not set"), r::describe);
        assertFalse(r.stderr().contains("Exception") || r.stderr().contains("\tat "), r::describe);
    }

    /**
     * A GUI settings home ({@code XDG_CONFIG_HOME}) in {@code dir} with the status line off, for tests that find the
     * picture at the bottom of the window: with it the window has the status line below the picture.
     */
    static String withoutStatusLine(Path dir) {
        Path home = dir.resolve("gui-config");
        try {
            Files.createDirectories(home.resolve("spice-jvm"));
            Files.writeString(home.resolve("spice-jvm/gui.properties"), "status-line=false\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return home.toString();
    }

    static String xdotool(Xvfb x, Path dir, String name, String... args) {
        List<String> cmd = new ArrayList<>(Peers.bounded("xdotool"));
        cmd.addAll(Arrays.asList(args));
        Proc.Result r = x.run(cmd).run(dir, "xdotool-" + name, Duration.ofSeconds(60));
        assertEquals(0, r.exitCode(), r::describe);
        return r.stdout();
    }

    /** The window's position on the screen and its size, without frame: Xvfb runs no window manager. */
    static Rectangle geometry(Xvfb x, Path dir, String window) {
        String out = xdotool(x, dir, "geometry", "getwindowgeometry", "--shell", window);
        return new Rectangle(field(out, "X"), field(out, "Y"), field(out, "WIDTH"), field(out, "HEIGHT"));
    }

    private static int field(String shell, String key) {
        Matcher m = Pattern.compile("(?m)^" + key + "=(-?\\d+)$").matcher(shell);
        if (!m.find()) {
            fail("no " + key + " in xdotool's answer: " + shell);
        }
        return Integer.parseInt(m.group(1));
    }

    static BufferedImage read(Path png) {
        try {
            BufferedImage img = ImageIO.read(png.toFile());
            assertTrue(img != null, png + " is not a picture");
            if (img.getRaster().getNumBands() > 1) {
                return img;
            }
            // ImageMagick writes a grey screen as a grey PNG, whose getRGB goes through a linear grey colour space
            // and changes the values: take the samples as they are.
            BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    int v = img.getRaster().getSample(x, y, 0);
                    rgb.setRGB(x, y, v << 16 | v << 8 | v);
                }
            }
            return rgb;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BufferedImage crop(BufferedImage img, Rectangle r) {
        assertTrue(new Rectangle(img.getWidth(), img.getHeight()).contains(r), r + " is not on the screen");
        BufferedImage out = new BufferedImage(r.width, r.height, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, r.width, r.height, img.getRGB(r.x, r.y, r.width, r.height, null, 0, r.width), 0, r.width);
        return out;
    }

    static boolean same(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            return false;
        }
        int[] pa = a.getRGB(0, 0, a.getWidth(), a.getHeight(), null, 0, a.getWidth());
        int[] pb = b.getRGB(0, 0, b.getWidth(), b.getHeight(), null, 0, b.getWidth());
        for (int i = 0; i < pa.length; i++) {
            if ((pa[i] & 0xffffff) != (pb[i] & 0xffffff)) {
                return false;
            }
        }
        return true;
    }
}
