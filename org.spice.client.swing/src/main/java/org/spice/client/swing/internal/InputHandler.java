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
import org.spice.inputs.api.ClientInput;

/**
 * Keyboard and mouse of one display window to the inputs channel. Keys go as scancodes ({@link KeyMap}); the
 * pointer goes as a position on this display in the client mouse mode, and as relative motion in the server
 * mouse mode, where a click grabs the pointer (hidden, and brought back to the window's centre after each move)
 * and Ctrl+Alt, pressed and released alone, releases it as in remote-viewer (and grabs it again). Losing the focus releases every key
 * and button held and the grab; gaining it sends the local lock keys.
 */
final class InputHandler implements KeyListener, MouseListener, MouseMotionListener, MouseWheelListener,
        FocusListener {
    private static final System.Logger LOG = System.getLogger("org.spice.client.swing");

    private final SessionView view;
    private final DisplayWindow window;
    private final DisplayCanvas canvas;
    private final Set<Integer> keysDown = new LinkedHashSet<>();
    private final Set<Integer> buttonsDown = new LinkedHashSet<>();
    private boolean ctrl;
    private boolean alt;
    /** Ctrl and Alt are down together and no other key came in between: releasing one is the hotkey. */
    private boolean hotkey;
    private boolean grabbed;
    private Robot robot;

    InputHandler(SessionView view, DisplayWindow window, DisplayCanvas canvas) {
        this.view = view;
        this.window = window;
        this.canvas = canvas;
    }

    boolean grabbed() {
        return grabbed;
    }

    @Override
    public void keyPressed(KeyEvent e) {
        e.consume();
        int k = e.getKeyCode();
        if (k == KeyEvent.VK_CONTROL || k == KeyEvent.VK_ALT) {
            ctrl |= k == KeyEvent.VK_CONTROL;
            alt |= k == KeyEvent.VK_ALT;
            hotkey = ctrl && alt;
        } else {
            hotkey = false;
        }
        int code = KeyMap.scancode(k, e.getKeyLocation());
        ClientInput in = view.input();
        if (code < 0 || in == null) {
            if (code < 0) {
                LOG.log(Level.DEBUG, "no scancode for " + KeyEvent.getKeyText(k));
            }
            return;
        }
        keysDown.add(code);
        in.keyDown(code);
    }

    @Override
    public void keyReleased(KeyEvent e) {
        e.consume();
        int k = e.getKeyCode();
        if ((k == KeyEvent.VK_CONTROL || k == KeyEvent.VK_ALT) && hotkey) {
            hotkey = false;
            if (grabbed) {
                ungrab();
            } else {
                grab();
            }
        }
        ctrl &= k != KeyEvent.VK_CONTROL;
        alt &= k != KeyEvent.VK_ALT;
        int code = KeyMap.scancode(k, e.getKeyLocation());
        ClientInput in = view.input();
        if (in != null && keysDown.remove(code)) {
            in.keyUp(code);
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
    }

    @Override
    public void focusLost(FocusEvent e) {
        releaseAll();
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
        ctrl = false;
        alt = false;
        hotkey = false;
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
                in.position(p.x, p.y, window.channelId);
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

    @Override
    public void mouseEntered(MouseEvent e) {
    }

    @Override
    public void mouseExited(MouseEvent e) {
    }
}
