package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
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
 * copied in the guest is pasted on our side;</li>
 * <li>our window resized asks the agent for that resolution (monitors config): the guest's X screen takes it
 * (xrandr).</li>
 * </ul>
 * The guest shows its X screen on {@code -vga std} (Xorg's modesetting driver on bochs DRM): with a QXL device whose
 * guest driver takes monitors configs, spice-server gives the monitors config to the QXL device instead of the
 * agent, and there it only becomes the output's preferred mode, which a desktop (not spice-vdagent) applies.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class GuestAgentIT {
    private static final String TITLE = "spice-guest-agent-it";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void filesPointerClipboardAndMonitorsConfigReachTheRealAgent() throws IOException {
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

            try (Xvfb x = Xvfb.start(dir, "1600x1200x24");
                    Proc gui = Spice.command(List.of(Peers.binary("timeout"), "-k", "5",
                            Long.toString(Peers.MAX_PEER_LIFETIME.toSeconds())), "connect", "--title", TITLE, g.uri())
                            .env("DISPLAY", x.display).start(dir, "connect")) {
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
                String ours = "copied on the client's side \u00e9\u20ac";
                Path oursFile = Peers.write(dir.resolve("ours.txt"), ours);
                try (Proc copier = x.run(List.of(Peers.binary("xclip"), "-selection", "clipboard", "-quiet", "-i",
                        oursFile.toString())).start(dir, "xclip-in")) {
                    assertEquals(ours, poll(g, "clipboard", "agent clipboard (\\S*)", base64(ours), GuestAgentIT::text),
                            "the guest's X clipboard\n" + gui.describe());
                }

                // clipboard, guest -> our side
                String theirs = "copied in the guest \u00fc\u00df";
                g.ask("copy:" + base64(theirs), "agent copied \\d+ bytes", WAIT);
                String pasted = "";
                for (int i = 0; i < 40 && !pasted.equals(theirs); i++) {
                    Proc.sleep(500);
                    Proc.Result r = x.run(List.of(Peers.binary("xclip"), "-selection", "clipboard", "-o"))
                            .run(dir, "xclip-out-" + i, Duration.ofSeconds(15));
                    pasted = r.exitCode() == 0 ? r.stdout() : "";
                }
                assertEquals(theirs, pasted, "pasting on our side what the guest copied\n" + gui.describe());

                // monitors config: our window resized asks the agent for its display area
                QemuGuiIT.xdotool(x, dir, "resize", "windowsize", window, "1000", "700");
                int height = 700 - top;
                gui.awaitStderr("asking the agent for 1000x" + height, WAIT);
                assertEquals("1000x" + height, poll(g, "size", "agent size (\\S*)", "1000x" + height),
                        "the guest's X screen after our monitors config of 1000x" + height + "\n" + gui.describe());

                assertTrue(gui.isAlive(), gui::describe);
            }
            g.send("done");
            g.await("end", WAIT);
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
