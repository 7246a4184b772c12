package org.spice.client.swing.internal;

import java.awt.Component;
import java.awt.Window;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Grabs the X keyboard for a window, as remote-viewer does while it has the focus: every key, the desktop's
 * shortcuts too (Alt+Tab, Super), goes to the guest until the release hotkey. AWT has no API for it; on X11 it is
 * XGrabKeyboard through the toolkit's own Xlib binding, reached by reflection when the runtime opens
 * {@code java.desktop/sun.awt.X11}, {@code sun.awt} and {@code java.awt} (as {@code ./spice} does). Elsewhere, or
 * without those, {@link #available()} is false and the window gets the keys its focus gives it.
 */
final class KeyboardGrab {
    private static final System.Logger LOG = System.getLogger("org.spice.client.swing");
    private static final int GRAB_MODE_ASYNC = 1;
    private static final int GRAB_SUCCESS = 0;
    private static final Xlib XLIB = Xlib.find();

    private KeyboardGrab() {
    }

    /** Whether keyboard grabs work here. */
    static boolean available() {
        return XLIB != null;
    }

    /** Grabs the keyboard for {@code w}; true when X granted the grab. */
    static boolean grab(Window w) {
        if (XLIB == null || !w.isShowing()) {
            return false;
        }
        try {
            return XLIB.grab(w);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot grab the keyboard: " + e);
            return false;
        }
    }

    /** Gives the keyboard back (nothing when this client holds no grab). */
    static void release() {
        if (XLIB == null) {
            return;
        }
        try {
            XLIB.release();
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot release the keyboard: " + e);
        }
    }

    /** XToolkit's pieces: its display, its lock, the Xlib calls and a window's X id. */
    private record Xlib(Method display, Method lock, Method unlock, Method grabKeyboard, Method ungrabKeyboard,
            Field peer, Method peerWindow) {
        static Xlib find() {
            try {
                Class<?> toolkit = Class.forName("sun.awt.X11.XToolkit", false, null);
                if (!toolkit.isInstance(java.awt.Toolkit.getDefaultToolkit())) {
                    return null;
                }
                Class<?> sunToolkit = Class.forName("sun.awt.SunToolkit", false, null);
                Class<?> xlib = Class.forName("sun.awt.X11.XlibWrapper", false, null);
                Class<?> baseWindow = Class.forName("sun.awt.X11.XBaseWindow", false, null);
                Xlib x = new Xlib(open(toolkit.getMethod("getDisplay")), open(sunToolkit.getMethod("awtLock")),
                        open(sunToolkit.getMethod("awtUnlock")),
                        open(xlib.getDeclaredMethod("XGrabKeyboard", long.class, long.class, int.class, int.class,
                                int.class, long.class)),
                        open(xlib.getDeclaredMethod("XUngrabKeyboard", long.class, long.class)),
                        open(Component.class.getDeclaredField("peer")), open(baseWindow.getMethod("getWindow")));
                LOG.log(System.Logger.Level.DEBUG, "keyboard grabs through XGrabKeyboard");
                return x;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // InaccessibleObjectException without the --add-opens; another toolkit; a JDK that renamed them
                LOG.log(System.Logger.Level.INFO, "no keyboard grab (the window gets the keys its focus gives it): "
                        + e);
                return null;
            }
        }

        private static <T extends java.lang.reflect.AccessibleObject> T open(T member) {
            member.setAccessible(true);
            return member;
        }

        boolean grab(Window w) throws ReflectiveOperationException {
            Object p = peer.get(w);
            if (p == null || !peerWindow.getDeclaringClass().isInstance(p)) {
                return false;
            }
            long window = (Long) peerWindow.invoke(p);
            lock.invoke(null);
            try {
                int status = (Integer) grabKeyboard.invoke(null, display.invoke(null), window, 1, GRAB_MODE_ASYNC,
                        GRAB_MODE_ASYNC, 0L);
                return status == GRAB_SUCCESS;
            } finally {
                unlock.invoke(null);
            }
        }

        void release() throws ReflectiveOperationException {
            lock.invoke(null);
            try {
                ungrabKeyboard.invoke(null, display.invoke(null), 0L);
            } finally {
                unlock.invoke(null);
            }
        }
    }
}
