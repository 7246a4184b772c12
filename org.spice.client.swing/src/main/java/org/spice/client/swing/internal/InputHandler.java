package org.spice.client.swing.internal;

import java.awt.AWTException;
import java.awt.Cursor;
import java.awt.Point;
import java.awt.Robot;
import java.awt.Toolkit;
import java.awt.event.FocusEvent;
import java.awt.event.FocusListener;
import java.awt.event.KeyEvent;
import java.awt.event.KeyListener;
import java.awt.event.MouseEvent;
import java.awt.event.MouseListener;
import java.awt.event.MouseMotionListener;
import java.awt.event.MouseWheelEvent;
import java.awt.event.MouseWheelListener;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.swing.SwingUtilities;
import org.spice.desktop.Buttons;
import org.spice.desktop.KeyLocks;
import org.spice.desktop.Rect;
import org.spice.inputs.api.ClientInput;

/**
 * Keyboard and mouse of one display window to the inputs channel. Keys go as the scancodes of the physical keys
 * pressed and released ({@link AwtKeys}), whatever the local layout, as remote-viewer sends them; the
 * pointer goes as a position on this display in the client mouse mode, and as relative motion in the server
 * mouse mode, where a click grabs the pointer (hidden, and brought back to the window's centre after each move).
 * While the pointer is over the focused window it grabs the keyboard ({@link KeyboardGrab}), as spice-gtk does, so
 * that the desktop's shortcuts go to the guest too. The release hotkey (Ctrl+Alt, pressed and released alone, unless {@code --hotkeys} says
 * otherwise) releases both as in remote-viewer; a click into the window grabs them again. The other hotkeys
 * ({@link HotkeyMatcher}) go to the window. Losing the focus releases every key and button held and the grabs;
 * gaining it sends the local lock keys.
 */
final class InputHandler implements KeyListener, MouseListener, MouseMotionListener, MouseWheelListener,
        FocusListener {
    private static final System.Logger LOG = System.getLogger("org.spice.client.swing");

    private final SessionView view;
    private final DisplayWindow window;
    private final DisplayCanvas canvas;
    private final Set<Integer> keysDown = new LinkedHashSet<>();
    private final Set<Integer> buttonsDown = new LinkedHashSet<>();
    private final HotkeyMatcher hotkeys;
    /** The pointer is grabbed (server mouse mode). */
    private boolean grabbed;
    /** The keyboard is grabbed: while the pointer is over the focused window, until the release hotkey. */
    private boolean keyboardGrabbed;
    /** The user released the grabs with the hotkey: the keyboard is grabbed again at the next click. */
    private boolean releasedByUser;
    private Robot robot;

    InputHandler(SessionView view, DisplayWindow window, DisplayCanvas canvas) {
        this.view = view;
        this.window = window;
        this.canvas = canvas;
        this.hotkeys = new HotkeyMatcher(view.options.hotkeys());
    }

    boolean grabbed() {
        return grabbed;
    }

    boolean keyboardGrabbed() {
        return keyboardGrabbed;
    }

    /**
     * Grabs the keyboard for the window when the pointer is over the focused window's picture, unless the user
     * released it and has not clicked into it since.
     */
    void grabKeyboard() {
        if (!keyboardGrabbed && !releasedByUser && window.isFocused() && canvas.getMousePosition() != null) {
            keyboardGrabbed = KeyboardGrab.grab(window);
            if (keyboardGrabbed) {
                LOG.log(Level.DEBUG, "keyboard grabbed");
            }
            window.updateTitle();
        }
    }

    void releaseKeyboard() {
        if (keyboardGrabbed) {
            KeyboardGrab.release();
            keyboardGrabbed = false;
            LOG.log(Level.DEBUG, "keyboard released");
            window.updateTitle();
        }
    }

    /**
     * The release hotkey: gives the keyboard and the pointer back, or, when neither is grabbed, grabs them (the
     * pointer only in the server mouse mode).
     */
    void releaseHotkey() {
        if (grabbed || keyboardGrabbed) {
            releaseKeyboard();
            if (grabbed) {
                ungrab();
            }
            releasedByUser = true;
        } else {
            releasedByUser = false;
            grab();
            grabKeyboard();
        }
    }

    @Override
    public void keyPressed(KeyEvent e) {
        e.consume();
        String action = hotkeys.pressed(HotkeyMatcher.name(e.getKeyCode()));
        if (action != null) {
            window.hotkey(action); // this key is the viewer's: the guest never sees it
            return;
        }
        int code = view.keys.scancode(e);
        ClientInput in = view.input();
        if (code < 0 || in == null) {
            if (code < 0) {
                LOG.log(Level.DEBUG, "no scancode for " + KeyEvent.getKeyText(e.getKeyCode()));
            }
            return;
        }
        keysDown.add(code);
        in.keyDown(code);
    }

    @Override
    public void keyReleased(KeyEvent e) {
        e.consume();
        int code = view.keys.scancode(e);
        ClientInput in = view.input();
        if (in != null && keysDown.remove(code)) {
            in.keyUp(code);
        }
        String action = hotkeys.released(HotkeyMatcher.name(e.getKeyCode()));
        if (action != null) {
            window.hotkey(action);
        }
    }

    @Override
    public void keyTyped(KeyEvent e) {
        e.consume();
    }

    /** Presses {@code codes} in order and releases them in reverse, as one chord (the Send key menu). */
    void chord(int... codes) {
        ClientInput in = view.input();
        if (in == null) {
            return;
        }
        for (int c : codes) {
            in.keyDown(c);
        }
        for (int i = codes.length - 1; i >= 0; i--) {
            in.keyUp(codes[i]);
        }
    }

    @Override
    public void focusGained(FocusEvent e) {
        ClientInput in = view.input();
        if (in != null) {
            in.setKeyLocks(localLocks());
        }
        grabKeyboard();
    }

    @Override
    public void focusLost(FocusEvent e) {
        releaseAll();
        releaseKeyboard();
        if (grabbed) {
            ungrab();
        }
    }

    private static int localLocks() {
        Toolkit tk = Toolkit.getDefaultToolkit();
        int locks = 0;
        int[][] map = {{KeyEvent.VK_CAPS_LOCK, KeyLocks.CAPS_LOCK}, {KeyEvent.VK_NUM_LOCK, KeyLocks.NUM_LOCK},
            {KeyEvent.VK_SCROLL_LOCK, KeyLocks.SCROLL_LOCK}};
        for (int[] m : map) {
            try {
                if (tk.getLockingKeyState(m[0])) {
                    locks |= m[1];
                }
            } catch (UnsupportedOperationException notOnThisPlatform) {
                // that lock stays off on the server
            }
        }
        return locks;
    }

    /** Releases what the guest still thinks is held, so that no key or button sticks after the focus left. */
    void releaseAll() {
        ClientInput in = view.input();
        if (in != null) {
            List<Integer> keys = new ArrayList<>(keysDown);
            for (int i = keys.size() - 1; i >= 0; i--) {
                in.keyUp(keys.get(i));
            }
            for (int b : buttonsDown) {
                in.release(b);
            }
        }
        keysDown.clear();
        buttonsDown.clear();
        hotkeys.reset();
    }

    void grab() {
        if (grabbed || view.clientMouseMode()) {
            return;
        }
        try {
            if (robot == null) {
                robot = new Robot(window.getGraphicsConfiguration().getDevice());
            }
        } catch (AWTException | SecurityException e) {
            LOG.log(Level.WARNING, "cannot grab the pointer: " + e.getMessage());
            return;
        }
        grabbed = true;
        canvas.setCursor(Cursors.blank());
        Point c = centre();
        robot.mouseMove(c.x, c.y);
        window.updateTitle();
    }

    void ungrab() {
        grabbed = false;
        canvas.setCursor(Cursor.getDefaultCursor());
        window.updateTitle();
    }

    private Point centre() {
        Point p = new Point(canvas.getWidth() / 2, canvas.getHeight() / 2);
        SwingUtilities.convertPointToScreen(p, canvas);
        return p;
    }

    private static int button(MouseEvent e) {
        return switch (e.getButton()) {
            case MouseEvent.BUTTON1 -> Buttons.LEFT;
            case MouseEvent.BUTTON2 -> Buttons.MIDDLE;
            case MouseEvent.BUTTON3 -> Buttons.RIGHT;
            default -> -1;
        };
    }

    @Override
    public void mousePressed(MouseEvent e) {
        canvas.requestFocusInWindow();
        releasedByUser = false;
        grabKeyboard();
        if (!view.clientMouseMode() && !grabbed) {
            grab(); // this click only grabs, as in remote-viewer
            return;
        }
        ClientInput in = view.input();
        int b = button(e);
        if (in == null || b < 0) {
            return;
        }
        move(e);
        buttonsDown.add(b);
        in.press(b);
    }

    @Override
    public void mouseReleased(MouseEvent e) {
        ClientInput in = view.input();
        int b = button(e);
        if (in != null && buttonsDown.remove(b)) {
            move(e);
            in.release(b);
        }
    }

    @Override
    public void mouseMoved(MouseEvent e) {
        move(e);
    }

    @Override
    public void mouseDragged(MouseEvent e) {
        move(e);
    }

    private void move(MouseEvent e) {
        ClientInput in = view.input();
        if (in == null) {
            return;
        }
        if (view.clientMouseMode()) {
            Point p = canvas.toSurface(e.getX(), e.getY());
            if (p != null) {
                Rect a = window.area(); // the window shows this head's part of the surface
                in.position(p.x + a.x(), p.y + a.y(), window.channelId);
            }
        } else if (grabbed) {
            Point c = centre();
            int dx = e.getXOnScreen() - c.x;
            int dy = e.getYOnScreen() - c.y;
            if (dx != 0 || dy != 0) {
                in.motion(dx, dy);
                robot.mouseMove(c.x, c.y);
            }
        }
    }

    @Override
    public void mouseWheelMoved(MouseWheelEvent e) {
        ClientInput in = view.input();
        if (in != null && e.getWheelRotation() != 0 && (view.clientMouseMode() || grabbed)) {
            in.wheel(e.getWheelRotation());
        }
    }

    @Override
    public void mouseClicked(MouseEvent e) {
    }

    /** As spice-gtk: the keyboard is grabbed while the pointer is over the focused window's picture. */
    @Override
    public void mouseEntered(MouseEvent e) {
        grabKeyboard();
    }

    @Override
    public void mouseExited(MouseEvent e) {
        if (!grabbed) {
            releaseKeyboard();
        }
    }
}
