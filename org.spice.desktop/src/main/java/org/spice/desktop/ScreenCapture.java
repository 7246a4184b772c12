package org.spice.desktop;

import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads this host's screen faster than AWT's {@code Robot}, whose capture of a 1920x1080 screen costs 8 to 10 ms of
 * CPU (GTK's pixbuf and a conversion per pixel in between). The screen source captures through the highest-ranked
 * service of this type while one is registered and falls back to {@code Robot} when there is none or it cannot open
 * the screen; an optional bundle registers one (org.spice.desktop.x11: X11's shared memory, about 1 ms).
 */
@ProviderType
public interface ScreenCapture {
    /** What the capture reads through, for log lines, e.g. "X11 shared memory (MIT-SHM)". */
    String describe();

    /**
     * Opens a capture of {@code area} of this host's default screen (X11: the display {@code DISPLAY} names).
     *
     * @throws IOException saying why this screen cannot be read this way (no display, a remote one, a pixel format
     *         it does not read, an area outside the screen); the caller then captures another way
     */
    Grab open(Rect area) throws IOException;

    /** An open capture of one area: used by one thread at a time, and closed by the thread that used it. */
    interface Grab extends AutoCloseable {
        /**
         * Reads the area's pixels now into {@code into}, row by row from the top, one 0x__RRGGBB int a pixel (the
         * top byte is undefined: the caller sets it).
         *
         * @throws IOException when the screen cannot be read any more (it changed size, the display went away)
         * @throws IllegalArgumentException when {@code into} does not hold exactly the area's pixels
         */
        void read(int[] into) throws IOException;

        /** Lets the capture's resources go (its connection, its shared memory). */
        @Override
        void close();
    }
}
