package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our client decodes what QEMU's spice-server sends exactly as spice-gtk does: for every image-compression
 * setting, {@code ./spice screenshot} of SeaBIOS's screen equals a {@code spicy-screenshot} of the same VM, pixel
 * for pixel. SeaBIOS's text cursor blinks, so the screen has two states: ours must equal, exactly, one of the
 * pictures spice-gtk took (several are taken, so that both states turn up).
 */
class QemuDisplayIT {
    static final int PAIRS = 6;

    @ParameterizedTest
    @ValueSource(strings = {"off", "quic", "lz", "glz", "auto_lz", "auto_glz"})
    void ourScreenshotEqualsSpiceGtks(String compression) {
        Path dir = Peers.workDir(getClass(), compression);
        int port = Peers.freePort();
        try (Proc qemu = Qemu.start(dir, "qemu", "port=" + port + ",addr=127.0.0.1,disable-ticketing=on"
                + ",image-compression=" + compression, List.of(), port)) {
            String uri = "spice://127.0.0.1:" + port;
            StringBuilder tries = new StringBuilder();
            java.util.List<int[]> theirs = new java.util.ArrayList<>();
            for (int i = 1; i <= PAIRS; i++) {
                Path ref = dir.resolve("spicy-" + i + ".ppm");
                Proc.Result s = Proc.of(Peers.bounded("spicy-screenshot", "-h", "127.0.0.1", "-p",
                        Integer.toString(port), "-o", ref.toString())).run(dir, "spicy-" + i, Duration.ofSeconds(40));
                assertEquals(0, s.exitCode(), s::describe);
                theirs.add(Pictures.read(ref));
                Path ours = dir.resolve("ours-" + i + ".png");
                Proc.Result r = Spice.command(List.of(), "screenshot", uri, ours.toString())
                        .run(dir, "ours-" + i, Duration.ofSeconds(60));
                assertEquals(0, r.exitCode(), r::describe);
                int[] a = Pictures.read(ours);
                long best = Long.MAX_VALUE;
                for (int[] b : theirs) {
                    long diff = Pictures.differing(a, b);
                    best = diff < 0 ? best : Math.min(best, diff);
                }
                tries.append(" ").append(best);
                if (best == 0 && Pictures.nonBlack(a) > 1000) {
                    assertEquals("720x400", Pictures.size(a), "SeaBIOS's text screen");
                    return;
                }
                Proc.sleep(150L * i); // rounds at uneven times, so both cursor states turn up
            }
            fail("our screenshot never equalled one of spice-gtk's with image-compression=" + compression
                    + "; fewest differing pixels per round:" + tries + " (see " + dir + ")");
        }
    }
}
