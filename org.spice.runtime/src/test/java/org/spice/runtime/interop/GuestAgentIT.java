package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our client against the real spice-vdagent in the Linux guest (QEMU's vdagent port, spice-vdagentd and the session
 * agent spice-vdagent on Xorg; the guest's X tools report what happened), in one boot:
 * <ul>
 * <li>{@code ./spice send-file} of 3 MB: spice-vdagent saves it with the same sha256;</li>
 * <li>{@code ./spice connect} under Xvfb, in the client mouse mode: the pointer moved over our window is at that
 * position on the guest's X screen ({@code xdotool getmouselocation} in the guest);</li>
 * <li>text copied on our side ({@code xclip -i} on our X display) is pasted in the guest ({@code xclip -o}), and text
 * copied in the guest is pasted on our side (the grabs carry spice-vdagent's serials, GRAB_SERIAL); the same for
 * X11's PRIMARY selection, apart from the clipboard;</li>
 * <li>a PNG image copied in the guest ({@code xclip -t image/png -i}) is pasted on our side with its pixels
 * ({@code xclip -t image/png -o}), and one copied on our side is pasted in the guest (spice-vdagent passes each
 * image type's bytes between the agent and the X selection as they are: image/png is VD_AGENT_CLIPBOARD_IMAGE_PNG);</li>
 * <li>our window resized asks the agent for that resolution (monitors config): the guest's X screen takes it
 * (xrandr);</li>
 * <li>with the German layout on our X display and in the guest (setxkbmap), German text, AltGr, a dead key and a
 * keypad key typed with xdotool into our window reach the guest's X server (xev) as the same keys as when typed
 * into remote-viewer's, and make the German characters there; and the same with the French layout (AZERTY: letters
 * moved, digits shifted, AltGr, the circumflex dead key, the keypad).</li>
 * </ul>
 * The guest shows its X screen on {@code -vga std} (Xorg's modesetting driver on bochs DRM): with a QXL device whose
 * guest driver takes monitors configs, spice-server gives the monitors config to the QXL device instead of the
 * agent, and there it only becomes the output's preferred mode, which a desktop (not spice-vdagent) applies.
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class GuestAgentIT {
    private static final String TITLE = "spice-guest-agent-it";
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Keysyms of keys that type nothing themselves (remote-viewer and our client sync Num Lock first). */
    private static final Set<String> MODIFIERS = Set.of("Shift_L", "Shift_R", "ISO_Level3_Shift", "Num_Lock",
            "Caps_Lock");

    /** German text, AltGr with Q, the acute dead key, keypad 1. */
    private static final Typing GERMAN = new Typing("de", "Gr\u00fc\u00dfe zy \u00f6#\u00e4+<", "24", "dead_acute",
            "KP_1", List.of("G", "r", "udiaeresis", "ssharp", "e", "space", "z", "y", "space", "odiaeresis",
                    "numbersign", "adiaeresis", "plus", "less", "at", "dead_acute", "e", "KP_1"));
    /**
     * French text on AZERTY (a, z, q, w, m and ! on other keys than in QWERTY, accented letters on the digits row,
     * the digits with Shift), AltGr with the \u00e0 key, the circumflex dead key, keypad 2.
     */
    private static final Typing FRENCH = new Typing("fr", "azerty wq m! \u00e9t\u00e9 \u00e0 \u00e7 \u00f9 123", "19",
            "dead_circumflex", "KP_2", List.of("a", "z", "e", "r", "t", "y", "space", "w", "q", "space", "m", "exclam",
                    "space", "eacute", "t", "eacute", "space", "agrave", "space", "ccedilla", "space", "ugrave",
                    "space", "1", "2", "3", "at", "dead_circumflex", "e", "KP_2"));

    @Test
    void filesPointerClipboardMonitorsConfigAndKeysReachTheGuest() throws IOException {
        Path dir = Peers.workDir(getClass(), "agent");
        byte[] bytes = new byte[3_000_000];
        new Random(21).nextBytes(bytes);
        Path file = Files.write(dir.resolve("payload.bin"), bytes);
        try (Guest g = Guest.test("agent").vga("std")
                .qemu("-device", "virtio-serial", "-chardev", "spicevmc,id=vdagent,name=vdagent",
                        "-device", "virtserialport,chardev=vdagent,name=com.redhat.spice.0")
                .boot(dir)) {
            Matcher screen = g.await("agent X screen (\\d+)x(\\d+) driver=modesetting", Duration.ofSeconds(120));
            int guestWidth = Integer.parseInt(screen.group(1));
            int guestHeight = Integer.parseInt(screen.group(2));
            g.await("agent spice-vdagentd on \\S+, spice-vdagent started", WAIT);

            sendFile(g, dir, file);
            Matcher saved = g.ask("files", "agent file payload\\.bin bytes=(\\d+) sha256=(\\w+)", WAIT);
            assertEquals(bytes.length, Long.parseLong(saved.group(1)), "size of the file spice-vdagent saved");
            assertEquals(GuestPortIT.sha256(file), saved.group(2), "sha256 of the file spice-vdagent saved");

            try (Xvfb x = Xvfb.start(dir, "xvfb", "1600x1200x24")) {
                // the viewer's keyboard is German, and the guest's X keyboard is set to German too
                x.setLayout(dir, "de");
                throughTheViewers(g, x, dir, guestWidth, guestHeight);
            }
            g.send("done");
            g.await("end", WAIT);
        }
    }

    /**
     * Our window (pointer, clipboard both ways, monitors config, German keys), then remote-viewer's (the same German
     * keys), on {@code x}; QEMU takes one client at a time.
     */
    private static void throughTheViewers(Guest g, Xvfb x, Path dir, int guestWidth, int guestHeight) {
        List<String> ours;
        List<String> oursFrench;
        try (Proc gui = Spice.command(List.of(Peers.binary("timeout"), "-k", "5",
                Long.toString(Peers.MAX_PEER_LIFETIME.toSeconds())), "connect", "--title", TITLE, g.uri())
                .env("DISPLAY", x.display).env("XDG_CONFIG_HOME", QemuGuiIT.withoutStatusLine(dir))
                .start(dir, "connect")) {
            String window = QemuGuiIT.xdotool(x, dir, "search", "search", "--sync", "--name",
                    "^" + TITLE + QemuGuiIT.GRABBED).strip().lines().findFirst().orElseThrow();
            Rectangle frame = QemuGuiIT.geometry(x, dir, window);
            assertEquals(guestWidth, frame.width, "our window is not as wide as the guest's screen: " + frame);
            // Xvfb runs no window manager: the display fills the window below the menu bar
            int top = frame.height - guestHeight;
            assertTrue(top > 0, "no menu bar above the display: " + frame);

            // pointer: a click focuses our window (and lets the clipboard be offered), then a move to (411, 297)
            QemuGuiIT.xdotool(x, dir, "click", "mousemove", "--window", window, "200", Integer.toString(top + 200),
                    "click", "1");
            QemuGuiIT.xdotool(x, dir, "move", "mousemove", "--window", window, "411", Integer.toString(top + 297));
            assertEquals("411,297", poll(g, "pointer", "agent pointer (\\S*)", "411,297"),
                    "the guest's X pointer after our client sent (411, 297)\n" + gui.describe());

            // clipboard, our side -> guest
            String copiedHere = "copied on the client's side \u00e9\u20ac";
            Path copiedFile = Peers.write(dir.resolve("copied-here.txt"), copiedHere);
            try (Proc copier = x.run(List.of(Peers.binary("xclip"), "-selection", "clipboard", "-quiet", "-i",
                    copiedFile.toString())).start(dir, "xclip-in")) {
                assertEquals(copiedHere, poll(g, "clipboard", "agent clipboard (\\S*)", base64(copiedHere),
                        GuestAgentIT::text),
                        "the guest's X clipboard\n" + gui.describe());
            }

            // clipboard, guest -> our side
            String copiedThere = "copied in the guest \u00fc\u00df";
            g.ask("copy:" + base64(copiedThere), "agent copied \\d+ bytes", WAIT);
            assertEquals(copiedThere, ourSelection(x, dir, "clipboard", copiedThere),
                    "pasting on our side what the guest copied\n" + gui.describe());

            primarySelection(g, x, dir, gui);
            clipboardImages(g, x, dir, gui);

            // monitors config: our window resized asks the agent for its display area
            QemuGuiIT.xdotool(x, dir, "resize", "windowsize", window, "1000", "700");
            int height = 700 - top;
            gui.awaitStderr("asking the agent for \\[1000x" + height + "\\+0\\+0\\]", WAIT);
            assertEquals("1000x" + height, poll(g, "size", "agent size (\\S*)", "1000x" + height),
                    "the guest's X screen after our monitors config of 1000x" + height + "\n" + gui.describe());

            assertTrue(gui.isAlive(), gui::describe);
            ours = type(g, x, dir, "ours", window, GERMAN);
            x.setLayout(dir, FRENCH.layout());
            oursFrench = type(g, x, dir, "ours", window, FRENCH);
        }
        List<String> theirs;
        List<String> theirsFrench;
        try (Proc viewer = x.run(Peers.bounded("remote-viewer", g.uri())).mergeErr().start(dir, "remote-viewer")) {
            String window = QemuGuiIT.xdotool(x, dir, "search-rv", "search", "--sync", "--onlyvisible", "--class",
                    "remote-viewer").strip().lines().findFirst().orElseThrow();
            Proc.sleep(3000); // its inputs channel links after the window appears
            theirsFrench = type(g, x, dir, "remote-viewer", window, FRENCH);
            x.setLayout(dir, GERMAN.layout());
            theirs = type(g, x, dir, "remote-viewer", window, GERMAN);
            assertTrue(viewer.isAlive(), viewer::describe);
        }
        assertEquals(theirs, ours, "the keys the guest's X server got (German layout) from our window and from"
                + " remote-viewer's");
        assertEquals(GERMAN.expected(), ours.stream().filter(k -> !MODIFIERS.contains(k)).toList(),
                "the characters typed in the guest, without modifier and lock keys");
        assertEquals(theirsFrench, oursFrench, "the keys the guest's X server got (French layout) from our window and"
                + " from remote-viewer's");
        assertEquals(FRENCH.expected(), oursFrench.stream().filter(k -> !MODIFIERS.contains(k)).toList(),
                "the characters typed in the guest (French layout), without modifier and lock keys");
    }

    /**
     * What is typed with one keyboard layout: its text, then AltGr (keycode 108, right Alt, which the German and
     * French layouts make AltGr: xdotool's own AltGr is no physical key) with the key of X keycode
     * {@code altGrKeycode}, the dead key with e, and a keypad key; {@code expected} are the keysyms the guest's X
     * server gets, without modifier and lock keys.
     */
    private record Typing(String layout, String text, String altGrKeycode, String deadKey, String keypadKey,
            List<String> expected) {
    }

    /**
     * Sets the guest's X keyboard layout to {@code t}'s, types {@code t} into {@code window} with xdotool (the
     * viewer's X display already has that layout) and returns the keysyms of the key presses the guest's X server
     * got.
     */
    private static List<String> type(Guest g, Xvfb x, Path dir, String who, String window, Typing t) {
        g.ask("keys:" + t.layout(), "agent keys " + t.layout(), WAIT);
        String step = who + "-" + t.layout();
        // No window manager: the keyboard follows the pointer, and the click puts it into the window.
        QemuGuiIT.xdotool(x, dir, step + "-click", "mousemove", "--window", window, "300", "300", "sleep", "0.5",
                "click", "1", "sleep", "0.5");
        QemuGuiIT.xdotool(x, dir, step + "-type", "type", "--delay", "100", t.text());
        QemuGuiIT.xdotool(x, dir, step + "-keys", "keydown", "108", "key", t.altGrKeycode(), "keyup", "108", "key",
                "--delay", "100", t.deadKey(), "e", t.keypadKey());
        String typed = "";
        for (int i = 0; i < 30 && !typed.endsWith(t.keypadKey()); i++) {
            Proc.sleep(500);
            typed = g.ask("typed", "agent typed(.*)", WAIT).group(1).strip();
        }
        return List.of(typed.split(" "));
    }

    /**
     * A PNG copied in the guest is pasted on our X display with its pixels, then one copied on our X display is
     * pasted in the guest.
     */
    /** Our X display's {@code selection} (xclip's name) once it holds {@code expected}, or after 20 s what it holds. */
    private static String ourSelection(Xvfb x, Path dir, String selection, String expected) {
        String text = "";
        for (int i = 0; i < 40 && !text.equals(expected); i++) {
            Proc.sleep(500);
            Proc.Result r = x.run(List.of(Peers.binary("xclip"), "-selection", selection, "-o"))
                    .run(dir, "xclip-" + selection + "-out-" + i, Duration.ofSeconds(15));
            text = r.exitCode() == 0 ? r.stdout() : "";
        }
        return text;
    }

    /** X11's PRIMARY selection (select, middle-click paste), shared apart from the clipboard both ways. */
    private static void primarySelection(Guest g, Xvfb x, Path dir, Proc gui) {
        String selectedHere = "selected on the client's side \u00e0";
        Path selectedFile = Peers.write(dir.resolve("selected-here.txt"), selectedHere);
        try (Proc selector = x.run(List.of(Peers.binary("xclip"), "-selection", "primary", "-quiet", "-i",
                selectedFile.toString())).start(dir, "xclip-primary-in")) {
            assertEquals(selectedHere, poll(g, "primary", "agent primary (\\S*)", base64(selectedHere),
                    GuestAgentIT::text), "the guest's PRIMARY selection\n" + gui.describe());
        }
        String selectedThere = "selected in the guest \u00f6";
        g.ask("copy-primary:" + base64(selectedThere), "agent copied primary \\d+ bytes", WAIT);
        assertEquals(selectedThere, ourSelection(x, dir, "primary", selectedThere),
                "our PRIMARY selection after the guest selected text\n" + gui.describe());
        // the clipboard kept what it had: the two are shared apart
        Proc.Result clip = x.run(List.of(Peers.binary("xclip"), "-selection", "clipboard", "-o"))
                .run(dir, "xclip-out-after-primary", Duration.ofSeconds(15));
        assertEquals("copied in the guest \u00fc\u00df", clip.stdout(), "our clipboard after PRIMARY went both ways");
    }

    private static void clipboardImages(Guest g, Xvfb x, Path dir, Proc gui) {
        BufferedImage copiedThere = pattern(61, 37, 3);
        g.ask("copy-png:" + Base64.getEncoder().encodeToString(png(copiedThere)), "agent copied png \\d+ bytes", WAIT);
        Path pastedFile = dir.resolve("pasted-here.png");
        BufferedImage pasted = null;
        for (int i = 0; i < 40 && !samePixels(copiedThere, pasted); i++) {
            Proc.sleep(500);
            Proc.Result r = x.run(List.of(Peers.binary("sh"), "-c", Peers.binary("xclip")
                    + " -selection clipboard -t image/png -o >" + pastedFile)).run(dir, "xclip-png-out-" + i,
                            Duration.ofSeconds(15));
            pasted = r.exitCode() == 0 ? read(pastedFile) : null;
        }
        assertTrue(samePixels(copiedThere, pasted), "pasting on our side the image the guest copied: "
                + (pasted == null ? "none" : pasted.getWidth() + "x" + pasted.getHeight()) + "\n" + gui.describe());

        BufferedImage copiedHere = pattern(43, 29, 5);
        Path copiedFile = dir.resolve("copied-here.png");
        try {
            Files.write(copiedFile, png(copiedHere));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Proc copier = x.run(List.of(Peers.binary("xclip"), "-selection", "clipboard", "-t", "image/png",
                "-quiet", "-i", copiedFile.toString())).start(dir, "xclip-png-in")) {
            BufferedImage there = null;
            for (int i = 0; i < 40 && !samePixels(copiedHere, there); i++) {
                Proc.sleep(500);
                String b64 = g.ask("clipboard-png", "agent clipboard-png(.*)", WAIT).group(1).strip();
                there = b64.isEmpty() ? null : decode(Base64.getDecoder().decode(b64));
            }
            assertTrue(samePixels(copiedHere, there), "the guest's X clipboard image after our side copied one: "
                    + (there == null ? "none" : there.getWidth() + "x" + there.getHeight()) + "\n" + gui.describe());
        }
    }

    /** A picture whose every pixel tells its position and {@code seed}. */
    private static BufferedImage pattern(int width, int height, int seed) {
        BufferedImage b = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int xx = 0; xx < width; xx++) {
                b.setRGB(xx, y, (xx * 4 + seed) << 16 | (y * 6) << 8 | ((xx ^ y) * 3 + seed * 20) & 0xff);
            }
        }
        return b;
    }

    /** Whether {@code b} has {@code a}'s size and colours (alpha left out: an encoder may add an opaque one). */
    private static boolean samePixels(BufferedImage a, BufferedImage b) {
        if (b == null || a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            return false;
        }
        for (int y = 0; y < a.getHeight(); y++) {
            for (int xx = 0; xx < a.getWidth(); xx++) {
                if ((a.getRGB(xx, y) & 0xffffff) != (b.getRGB(xx, y) & 0xffffff)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The image in {@code bytes}, or null when they are none ImageIO reads. */
    private static BufferedImage decode(byte[] bytes) {
        try {
            return ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            return null;
        }
    }

    private static BufferedImage read(Path file) {
        try {
            return decode(Files.readAllBytes(file));
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * {@code ./spice send-file}; spice-vdagentd opens the agent port only once the session agent reported its X
     * screen, so until QEMU says an agent is connected the command is tried again.
     */
    private static void sendFile(Guest g, Path dir, Path file) {
        Proc.Result r = null;
        for (int attempt = 1; attempt <= 20; attempt++) {
            r = Spice.command(List.of(), "send-file", g.uri(), file.toString())
                    .run(dir, "send-file-" + attempt, Duration.ofSeconds(120));
            if (r.exitCode() == 0 || !r.stderr().contains("has no agent connected")) {
                break;
            }
            Proc.sleep(1000);
        }
        assertEquals(0, r.exitCode(), r.describe() + "\n" + g.describe());
        assertTrue(r.stdout().contains("sent payload.bin (3000000 bytes)"), r::describe);
    }

    private static String poll(Guest g, String word, String regex, String expected) {
        return poll(g, word, regex, expected, s -> s);
    }

    /**
     * Asks the guest with {@code word} until what it reports (group 1 of {@code regex}, decoded) is
     * {@code expected}, at most 30 times; returns the last answer.
     */
    private static String poll(Guest g, String word, String regex, String expected,
            java.util.function.UnaryOperator<String> decode) {
        String answer = null;
        for (int i = 0; i < 30; i++) {
            answer = g.ask(word, regex, WAIT).group(1);
            if (answer.equals(expected)) {
                break;
            }
            Proc.sleep(500);
        }
        return decode.apply(answer);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
