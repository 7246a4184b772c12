package org.spice.desktop;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What the server role shows: a picture that changes, with the rectangles that changed, and the pointer over it.
 * The display channel reads {@link #frame()} when it can send and tells the source's listeners apart per client,
 * so a source serves any number of clients at once.
 *
 * <p>Sources are services with the property {@value #NAME} and a {@code service.ranking}: the display, cursor and
 * agent all take the highest-ranked one, so a source that is configured (an image, the host's screen) ranks above
 * the demo desktop that is always there, and the three always agree on what is shown.
 */
@ConsumerType
public interface DisplaySource {
    /** Service property naming the source, e.g. "demo" or "image". */
    String NAME = "spice.display.source";

    /** The latest frame. */
    Frame frame();

    /** Registers for changes; the listener is called from the source's thread and must not block. */
    void addListener(Listener listener);

    void removeListener(Listener listener);

    /**
     * Asks for a picture of {@code width} x {@code height} from now on, as a client's monitors config asks a guest
     * to change its resolution. A source that can follow says so and soon announces a frame of the new size to
     * its listeners (the display channel then sends a new primary surface); a source of a fixed size returns
     * false, which is the default. Must not block.
     */
    default boolean resize(int width, int height) {
        return false;
    }

    /**
     * The monitors (heads) the picture holds, as areas of {@link #frame()}, left to right as a client numbers its
     * displays: one head, the whole frame, by default. A source of several heads draws them side by side in one
     * picture, as a QXL device with several outputs does; the display channel sends them as its MONITORS_CONFIG
     * and clients show each in a window of its own.
     */
    default java.util.List<Rect> heads() {
        Frame f = frame();
        return java.util.List.of(new Rect(0, 0, f.width(), f.height()));
    }

    /**
     * Asks for these heads from now on, as a client's monitors config of several monitors asks a guest: each an
     * area of the picture to come (a sparse layout leaves gaps). The default asks for one picture as large as
     * their union ({@link #resize(int, int)}); a source of several heads keeps them as given. Must not block.
     */
    default boolean resize(java.util.List<Rect> heads) {
        Rect all = new Rect(0, 0, 0, 0);
        for (Rect h : heads) {
            all = all.union(h);
        }
        return !all.isEmpty() && all.x() >= 0 && all.y() >= 0 && resize(all.right(), all.bottom());
    }

    /**
     * Asks the desktop to drop {@code disabled} from now on and to show every other effect it has, as a client's
     * agent asks a guest (DISPLAY_CONFIG); true when the source follows. The default, a source without effects
     * (an image, a screen it does not own), returns false. Must not block.
     */
    default boolean disableEffects(java.util.Set<DisplayEffect> disabled) {
        return false;
    }

    /** The pointer shown over the picture, or null for none (clients then show no cursor from this server). */
    default Pointer pointer() {
        return null;
    }

    /**
     * A listener that did not want a frame ({@link Listener#wantsFrame()} false) wants one again: a source that
     * skipped making one meanwhile makes it now. Called from any thread; must not block. The default, for a source
     * that never skips, does nothing.
     */
    default void wanted() {
    }

    @ConsumerType
    interface Listener {
        /** Pixels inside {@code dirty} changed; a frame of another size means the resolution changed. */
        void changed(Frame frame, Rect dirty);

        /**
         * The pointer moved, changed its image or its visibility, or went away: {@code pointer} is the new one, or
         * null when the source has none now. Called like {@link #changed}.
         */
        default void pointerChanged(Pointer pointer) {
        }

        /**
         * Whether a frame made now would be sent soon: false while this listener is still sending changes it was
         * told of (its client has not taken them yet), and from a listener that sends no frames at all (a cursor
         * channel). A source that makes frames at a cost (a screen capture) makes none while no listener wants
         * one, as spice-server takes a guest's next update only when a client's pipe has room, and a listener that
         * answered false calls {@link DisplaySource#wanted()} when it wants frames again. Called from the source's
         * thread; must not block. The default, true, never holds a source back.
         */
        default boolean wantsFrame() {
            return true;
        }
    }
}
