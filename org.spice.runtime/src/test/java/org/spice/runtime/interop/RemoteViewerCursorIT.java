package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * remote-viewer shows our server's cursor: remote-viewer under Xvfb on {@code ./spice server}, the X pointer moved
 * over its window with xdotool, and the cursor X then shows (read with XFixesGetCursorImage by a ctypes script) is,
 * pixel for pixel and with its hot spot, the demo cursor: as drawn here by hand, and as our own client receives it.
 */
class RemoteViewerCursorIT {
    /** The demo pointer as the display sources define it (Arrow): B outline 0xff1a237e, O fill 0xffff8f00, M dot 0xffd500f9. */
    static final String[] ROWS = {
        "BB", "BOB", "BOOB", "BOOOB", "BOOOOB", "BOOOOOB", "BOOOOOOB", "BOOOMOOOB", "BOOOMMMOOB", "BOOOMMMOOOB",
        "BOOOOMOOOOOB", "BOOOOOOOOOOOB", "BOOOOOOOOOOOOB", "BOOOOOOBBBBBBBB", "BOOOBOOB", "BOOBBOOOB",
        "BOB  BOOB", "BB   BOOOB", "B     BOOB", "      BOOOB", "       BOOB", "        BB"};
    private static final Pattern HEADER = Pattern.compile("^cursor (\\d+)x(\\d+) hot (\\d+),(\\d+) .*$");

    static int[] expected() {
        int[] px = new int[16 * ROWS.length];
        for (int y = 0; y < ROWS.length; y++) {
            for (int x = 0; x < ROWS[y].length(); x++) {
                char c = ROWS[y].charAt(x);
                px[y * 16 + x] = c == 'B' ? 0xff1a237e : c == 'O' ? 0xffff8f00 : c == 'M' ? 0xffd500f9 : 0;
            }
        }
        return px;
    }

    @Test
    void remoteViewerShowsOurCursor() {
        Path dir = Peers.workDir(getClass(), "cursor");
        int port = Peers.freePort();
        String uri = "spice://127.0.0.1:" + port;
        int[] want = expected();
        try (Proc server = Spice.startServer(dir, "--listen", "127.0.0.1:" + port)) {
            // Our client first: the shape it receives is the one drawn above.
            Path ours = dir.resolve("ours-cursor.png");
            Proc.Result r = Spice.command(List.of(), "screenshot", "--cursor", ours.toString(), uri,
                    dir.resolve("ours.png").toString()).run(dir, "ours", Duration.ofSeconds(60));
            assertEquals(0, r.exitCode(), r::describe);
            assertTrue(r.stdout().contains("cursor: 512,384 hot 1,1 16x22 visible"), r::describe);
            assertArrayEquals(want, argb(ours), "our client's cursor is not the demo cursor (see " + ours + ")");

            try (Xvfb x = Xvfb.start(dir, "1280x900x24");
                    Proc viewer = x.run(Peers.bounded("remote-viewer", uri)).mergeErr().start(dir, "remote-viewer")) {
                Proc.Result win = x.run(List.of(Peers.binary("xdotool"), "search", "--sync", "--onlyvisible",
                        "--name", "SPICE on the JVM")).run(dir, "xdotool-search", Duration.ofSeconds(30));
                assertEquals(0, win.exitCode(), win::describe);
                String id = win.lines().get(0).trim();
                String last = "";
                for (int attempt = 1; attempt <= 20; attempt++) {
                    // Into the window, off the spot the last attempt used, so X notices a motion each time.
                    Proc.Result move = x.run(List.of(Peers.binary("xdotool"), "mousemove", "--window", id,
                            Integer.toString(300 + attempt * 7), Integer.toString(300 + attempt * 5)))
                            .run(dir, "xdotool-move-" + attempt, Duration.ofSeconds(20));
                    assertEquals(0, move.exitCode(), move::describe);
                    Proc.sleep(500);
                    Proc.Result shot = x.run(List.of(Peers.binary("python3"), script().toString()))
                            .run(dir, "x-cursor-" + attempt, Duration.ofSeconds(20));
                    assertEquals(0, shot.exitCode(), shot::describe);
                    last = shot.stdout();
                    List<String> lines = shot.lines();
                    Matcher m = HEADER.matcher(lines.get(0));
                    assertTrue(m.matches(), shot::describe);
                    int w = Integer.parseInt(m.group(1));
                    int h = Integer.parseInt(m.group(2));
                    if (w != 16 || h != 22) {
                        continue; // still X's own cursor
                    }
                    assertEquals("1,1", m.group(3) + "," + m.group(4), "hot spot\n" + last);
                    int[] seen = new int[w * h];
                    for (int y = 0; y < h; y++) {
                        String[] row = lines.get(1 + y).trim().split(" ");
                        for (int i = 0; i < w; i++) {
                            seen[y * w + i] = (int) Long.parseLong(row[i], 16);
                        }
                    }
                    assertArrayEquals(want, seen, "the X cursor over remote-viewer is not our cursor:\n" + last);
                    assertTrue(viewer.isAlive(), viewer::describe);
                    Spice.assertRunning(server);
                    return;
                }
                fail("X never showed a 16x22 cursor over remote-viewer's window; last XFixes cursor:\n" + last);
            }
        }
    }

    static Path script() {
        return Peers.root().resolve("org.spice.runtime/src/test/resources/interop/x-cursor-image.py");
    }

    /** A PNG's pixels with their alpha, 0xAARRGGBB. */
    static int[] argb(Path png) {
        try {
            BufferedImage img = ImageIO.read(png.toFile());
            return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
