package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Render through A8 surfaces: the Linux guest's Xorg runs the qxl driver in user mode setting (the guest's "render"
 * scenario), which accelerates Render on the QXL device when the client announces COMPOSITE and A8_SURFACE: depth-8
 * pixmaps become A8 surfaces and Render operations composite commands. While {@code ./spice screenshot} is
 * connected, xclock draws its antialiased analog face (Render trapezoids through a depth-8 mask); our screenshot
 * lists 8_A surfaces among those the server created, and equals spicy-screenshot's (which receives spice-server's
 * picture of the screen) pixel for pixel.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class GuestRenderIT {
    static final int ROUNDS = 4;
    /**
     * xclock starts this long after the command: our screenshot (a JVM that starts and links in a few seconds, more on
     * a loaded machine) must be connected by then, since the driver asks for A8 surfaces only while a client that
     * announces them is; the picture is taken {@link #AFTER_MS} after linking.
     */
    static final int CLOCK_DELAY_S = 12;
    static final int AFTER_MS = 18_000;

    @Test
    void xclockThroughA8SurfacesEqualsSpiceGtk() {
        Path dir = Peers.workDir(getClass(), "qxl");
        try (Guest g = Guest.test("render").vga("qxl").boot(dir)) {
            Matcher x = g.await("render X screen (\\S+) driver=(\\S*)", Duration.ofSeconds(90));
            assertEquals("qxl", x.group(2), g::describe);
            StringBuilder tries = new StringBuilder();
            for (int i = 1; i <= ROUNDS; i++) {
                g.ask("clock:" + CLOCK_DELAY_S, "render clock in " + CLOCK_DELAY_S + " s", Duration.ofSeconds(30));
                Path ours = dir.resolve("ours-" + i + ".png");
                Proc.Result r = Spice.command(List.of(), "screenshot", "--after", Integer.toString(AFTER_MS), g.uri(),
                        ours.toString()).run(dir, "ours-" + i, Duration.ofSeconds(90));
                assertEquals(0, r.exitCode(), r::describe);
                Matcher surfaces = Pattern.compile("(?m)^surfaces: (.*)$").matcher(r.stdout());
                assertTrue(surfaces.find(), r::describe);
                Matcher a8 = Pattern.compile("\\b8_A x(\\d+)").matcher(surfaces.group(1));
                Path ref = dir.resolve("spicy-" + i + ".ppm");
                Proc.Result s = Proc.of(Peers.bounded("spicy-screenshot", "-h", "127.0.0.1", "-p",
                        Integer.toString(g.spicePort), "-o", ref.toString()))
                        .run(dir, "spicy-" + i, Duration.ofSeconds(40));
                assertEquals(0, s.exitCode(), s::describe);
                long diff = Pictures.differing(Pictures.read(ours), Pictures.read(ref));
                String a8Count = a8.find() ? a8.group(1) : "0";
                tries.append(" ").append(a8Count).append("/").append(diff);
                System.out.println("interop: render round " + i + ": surfaces " + surfaces.group(1)
                        + "; differing pixels " + diff);
                if (!a8Count.equals("0") && diff == 0) {
                    return;
                }
            }
            g.send("log");
            Proc.sleep(1000);
            fail("no round with 8_A surfaces and a screenshot equal to spicy-screenshot's; 8_A surfaces / differing"
                    + " pixels per round:" + tries + " (see " + dir + ")\n" + g.describe());
        }
    }
}
