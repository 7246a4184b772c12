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
 * setting, {@code ./spice screenshot} of SeaBIOS's screen equals {@code spicy-screenshot} of the same VM, pixel for
 * pixel. SeaBIOS's text cursor blinks, so pairs are taken until two agree (spice-gtk's own screenshots differ
 * from each other in the same way).
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
            for (int i = 1; i <= PAIRS; i++) {
                Path ours = dir.resolve("ours-" + i + ".png");
                Proc.Result r = Spice.command(List.of(), "screenshot", uri, ours.toString())
                        .run(dir, "ours-" + i, Duration.ofSeconds(60));
                assertEquals(0, r.exitCode(), r::describe);
                Path ref = dir.resolve("spicy-" + i + ".ppm");
                Proc.Result s = Proc.of(Peers.bounded("spicy-screenshot", "-h", "127.0.0.1", "-p",
                        Integer.toString(port), "-o", ref.toString())).run(dir, "spicy-" + i, Duration.ofSeconds(40));
                assertEquals(0, s.exitCode(), s::describe);
                int[] a = Pictures.read(ours);
                int[] b = Pictures.read(ref);
                long diff = Pictures.differing(a, b);
                tries.append(" ").append(diff);
                if (diff == 0 && Pictures.nonBlack(a) > 1000) {
                    assertEquals("720x400", Pictures.size(a), "SeaBIOS's text screen");
                    return;
                }
                Proc.sleep(300);
            }
            fail("no pair of screenshots agreed with image-compression=" + compression + "; differing pixels per"
                    + " pair:" + tries + " (see " + dir + ")");
        }
    }
}
