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
 * setting, {@code ./spice screenshot} of the VM's screen equals a {@code spicy-screenshot} of the same VM, pixel
 * for pixel, and both equal the picture shown. The screen is a SeaBIOS boot splash made here (1024x768,
 * photo-like areas, flat shapes, fine stripes): in graphics mode nothing blinks, unlike SeaBIOS's text screen, and
 * the content works every codec harder than text does.
 */
class QemuDisplayIT {
    static final int PAIRS = 6;

    /** A 1024x768 24-bit BMP for SeaBIOS's boot splash: gradients, noise, flat shapes, one-pixel stripes. */
    static java.awt.image.BufferedImage splash() {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(1024, 768,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.util.Random r = new java.util.Random(3);
        for (int y = 0; y < 768; y++) {
            for (int x = 0; x < 1024; x++) {
                int rgb;
                if (x < 512 && y < 384) {
                    rgb = ((x * 255 / 511) << 16) | ((y * 255 / 383) << 8) | ((x + y) & 0xff);
                } else if (x >= 512 && y < 384) {
                    int n = r.nextInt(32);
                    rgb = (120 + (int) (60 * Math.sin(x / 40.0)) + n) << 16 | (100 + n) << 8 | (90 + (y % 64));
                } else if (x < 512) {
                    rgb = ((x / 64 + y / 64) % 2 == 0) ? 0x2050a0 : 0xf0c040;
                } else {
                    rgb = (x % 2 == 0) ^ (y % 3 == 0) ? 0xffffff : 0x000000;
                }
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    @ParameterizedTest
    @ValueSource(strings = {"off", "quic", "lz", "glz", "auto_lz", "auto_glz"})
    void ourScreenshotEqualsSpiceGtks(String compression) {
        Path dir = Peers.workDir(getClass(), compression);
        compare(dir, compression, List.of(), java.util.Map.of(), null, r -> true);
    }

    /**
     * QEMU's image-compression has no lz4, but its spice-server (built with LZ4) switches a client that announces
     * LZ4 and asks for it with PREFERRED_COMPRESSION: our screenshot preferring lz4 gets LZ4 images (the capture
     * shows image type 109) and still equals spice-gtk's screenshot and the splash picture, decoded by the display's
     * own decoder (the client runtime) and by liblz4 (the full runtime, with org.spice.video).
     */
    @org.junit.jupiter.api.Test
    void ourScreenshotPreferringLz4EqualsSpiceGtks() {
        Path dir = Peers.workDir(getClass(), "preferred-lz4");
        int port = Peers.freePort();
        try (Capture cap = Capture.start(dir, "capture", port)) {
            // The preference reaches spice-server after the channel links, and a first image already on its way is
            // then encoded as image-compression says (spice-gtk sends its preference at the same point): a round
            // counts only when it decoded LZ4.
            Proc.Result ours = compare(dir, "auto_glz", List.of("--preferred-compression", "lz4"), java.util.Map.of(),
                    port, r -> r.stdout().matches(DECODED_LZ4));
            assertTrue(ours.stdout().matches(DECODED_LZ4),
                    () -> "our client decoded no LZ4 image\n" + ours.describe());
            Proc.Result viaLibLz4 = compare(Peers.workDir(getClass(), "preferred-lz4-liblz4"), "auto_glz",
                    List.of("--preferred-compression", "lz4"), java.util.Map.of("SPICE_RUNTIME", "spice"), port,
                    r -> r.stdout().matches(DECODED_LZ4));
            assertTrue(viaLibLz4.stderr().contains("32-bit LZ4 images are decoded by liblz4"),
                    () -> "the full runtime did not decode with liblz4\n" + viaLibLz4.describe());
            cap.stop();
            List<String> types = cap.frames("spice.image_type && tcp.srcport==" + port, "spice.image_type");
            long lz4 = types.stream().flatMap(l -> java.util.Arrays.stream(l.split(","))).filter("109"::equals)
                    .count();
            assertTrue(lz4 > 0, "no LZ4 image (type 109) in the capture; image types seen: " + types);
            assertEquals(List.of(), Capture.attributable(cap.frames("_ws.malformed && tcp.srcport==" + port)),
                    "malformed SPICE frames");
        }
    }

    private static final String DECODED_LZ4 = "(?s).*\\nimages: [^\\n]*LZ4 x\\d+.*";

    /**
     * Compares until ours equals theirs and the splash in a round whose run of ours {@code counts}; returns that
     * run of ours.
     */
    private Proc.Result compare(Path dir, String compression, List<String> ourOptions,
            java.util.Map<String, String> ourEnv, Integer fixedPort, java.util.function.Predicate<Proc.Result> counts) {
        int port = fixedPort != null ? fixedPort : Peers.freePort();
        Path bmp = dir.resolve("splash.bmp");
        try {
            javax.imageio.ImageIO.write(splash(), "bmp", bmp.toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        int[] shown = Pictures.read(dir.resolve("splash.bmp"));
        try (Proc qemu = Qemu.start(dir, "qemu", "port=" + port + ",addr=127.0.0.1,disable-ticketing=on"
                + ",image-compression=" + compression, List.of("-boot", "menu=on,splash=" + bmp
                + ",splash-time=60000"), port)) {
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
                List<String> args = new java.util.ArrayList<>(List.of("screenshot"));
                args.addAll(ourOptions);
                args.addAll(List.of(uri, ours.toString()));
                Proc.Result r = Spice.command(List.of(), args.toArray(String[]::new)).env(ourEnv)
                        .run(dir, "ours-" + i, Duration.ofSeconds(60));
                assertEquals(0, r.exitCode(), r::describe);
                int[] a = Pictures.read(ours);
                long best = Long.MAX_VALUE;
                for (int[] b : theirs) {
                    long diff = Pictures.differing(a, b);
                    best = diff < 0 ? best : Math.min(best, diff);
                }
                boolean counted = counts.test(r);
                tries.append(" ").append(best).append(counted ? "" : " (not counted)");
                if (counted && best == 0 && "1024x768".equals(Pictures.size(a))) {
                    assertEquals(0, Pictures.differing(a, shown), "ours is the splash picture itself");
                    return r;
                }
                Proc.sleep(150L * i); // rounds at uneven times, so both cursor states turn up
            }
            return fail("our screenshot never equalled one of spice-gtk's with image-compression=" + compression + " "
                    + ourOptions + "; fewest differing pixels per round:" + tries + " (see " + dir + ")");
        }
    }
}
