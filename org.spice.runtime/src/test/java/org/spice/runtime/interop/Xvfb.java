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
    /** The value for {@code DISPLAY}, e.g. {@code :93}. */
    final String display;

    private Xvfb(Proc proc, String display) {
        this.proc = proc;
        this.display = display;
    }

    /** Starts Xvfb with one screen of {@code geometry} (e.g. {@code 1280x900x24}) and waits until it accepts clients. */
    static Xvfb start(Path dir, String geometry) {
        return start(dir, "xvfb", geometry);
    }

    /**
     * As {@link #start(Path, String)}, its logs named {@code name} (for a test that runs two X servers), with extra
     * Xvfb options such as {@code -dpi 192}. Xvfb never resets: by default it would when its last client leaves,
     * and that drops a keyboard layout set with {@link #setLayout}.
     */
    static Xvfb start(Path dir, String name, String geometry, String... options) {
        List<String> args = new ArrayList<>(List.of("-displayfd", "1", "-noreset", "-screen", "0", geometry,
                "-nolisten", "tcp"));
        args.addAll(List.of(options));
        Proc p = Proc.of(Peers.bounded("Xvfb", args.toArray(String[]::new))).start(dir, name);
        String number = p.awaitStdout("^(\\d+)$", Duration.ofSeconds(20)).group(1);
        return new Xvfb(p, ":" + number);
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
