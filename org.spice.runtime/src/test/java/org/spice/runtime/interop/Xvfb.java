package org.spice.runtime.interop;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A private X server for one test. Xvfb picks a free display number itself ({@code -displayfd}), so tests running
 * at the same time on one machine never share or fight over a display.
 */
final class Xvfb implements AutoCloseable {
    private final Proc proc;
    /** The screen as an XWD file that Xvfb keeps current ({@code -fbdir}), or null. */
    private final Path framebuffer;
    /** The value for {@code DISPLAY}, e.g. {@code :93}. */
    final String display;

    private Xvfb(Proc proc, String display, Path framebuffer) {
        this.proc = proc;
        this.display = display;
        this.framebuffer = framebuffer;
    }

    /** Starts Xvfb with one screen of {@code geometry} (e.g. {@code 1280x900x24}) and waits until it accepts clients. */
    static Xvfb start(Path dir, String geometry) {
        return start(dir, "xvfb", geometry);
    }

    /**
     * As {@link #start(Path, String)}, its logs named {@code name} (for a test that runs two X servers), with extra
     * Xvfb options such as {@code -dpi 192}. Xvfb never resets: by default it would when its last client leaves,
     * and that drops a keyboard layout set with {@link #setLayout}. Nor does it auto-repeat keys (after a minute
     * at the earliest): on a loaded machine xdotool's key release can come late, and the X server then repeated the
     * key (KeyboardLayoutsIT saw keys twice at load 10).
     */
    static Xvfb start(Path dir, String name, String geometry, String... options) {
        List<String> args = new ArrayList<>(List.of("-displayfd", "1", "-noreset", "-screen", "0", geometry,
                "-nolisten", "tcp", "-ardelay", "60000", "-arinterval", "60000"));
        args.addAll(List.of(options));
        Proc p = Proc.of(Peers.bounded("Xvfb", args.toArray(String[]::new))).start(dir, name);
        String number = p.awaitStdout("^(\\d+)$", Duration.ofSeconds(20)).group(1);
        int fbdir = args.indexOf("-fbdir");
        return new Xvfb(p, ":" + number, fbdir < 0 ? null : Path.of(args.get(fbdir + 1)).resolve("Xvfb_screen0"));
    }

    /**
     * Starts Xvfb keeping its screen in a file in {@code dir} ({@code -fbdir}), which {@link #pixels()} reads at
     * once: for a test that must see the screen within a fraction of a second, which {@code import} cannot.
     */
    static Xvfb startWithFramebuffer(Path dir, String geometry) {
        return start(dir, "xvfb", geometry, "-fbdir", dir.toString());
    }

    /**
     * The screen now, as {@link Pictures#read} gives pixels (width, height, then 0x00RRGGBB), from the XWD file of
     * {@link #startWithFramebuffer}: a big-endian header, a colour map, then 32-bit pixels in the byte order the
     * header says.
     */
    int[] pixels() {
        byte[] b;
        try {
            b = java.nio.file.Files.readAllBytes(framebuffer);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(b);
        int headerSize = h.getInt(0);
        int w = h.getInt(16);
        int height = h.getInt(20);
        boolean msbFirst = h.getInt(28) == 1;
        int bpp = h.getInt(44);
        int stride = h.getInt(48);
        int colours = h.getInt(76);
        if (bpp != 32) {
            throw new IllegalStateException("Xvfb framebuffer with " + bpp + " bits a pixel");
        }
        java.nio.ByteBuffer px = java.nio.ByteBuffer.wrap(b, 0, b.length)
                .order(msbFirst ? java.nio.ByteOrder.BIG_ENDIAN : java.nio.ByteOrder.LITTLE_ENDIAN);
        int base = headerSize + colours * 12;
        int[] out = new int[2 + w * height];
        out[0] = w;
        out[1] = height;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < w; x++) {
                out[2 + y * w + x] = px.getInt(base + y * stride + x * 4) & 0xffffff;
            }
        }
        return out;
    }

    /** A builder for {@code command} with {@code DISPLAY} set to this server. */
    Proc.Builder run(java.util.List<String> command) {
        return Proc.of(command).env("DISPLAY", display);
    }

    /** An X screenshot of the whole screen as a PNG in {@code dir}. */
    Path screenshot(Path dir, String name) {
        Path shot = dir.resolve(name + ".png");
        Peers.runOk(dir, "import-" + name, "import", "-display", display, "-window", "root", shot.toString());
        return shot;
    }

    /** Sets the keyboard layout of this X server ({@code setxkbmap LAYOUT}): de, fr, us... */
    void setLayout(Path dir, String layout) {
        Proc.Result r = run(Peers.bounded("setxkbmap", layout)).run(dir, "setxkbmap-" + layout, Duration.ofSeconds(30));
        if (r.exitCode() != 0) {
            throw new AssertionError("setxkbmap " + layout + " failed: " + r.describe());
        }
    }

    @Override
    public void close() {
        proc.close();
    }
}
