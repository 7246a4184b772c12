package org.spice.desktop.sources.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.spice.desktop.Buttons;
import org.spice.desktop.InputSink;
import org.spice.desktop.KeyEvent;
import org.spice.desktop.KeyLocks;
import org.spice.desktop.PointerEvent;
import org.spice.desktop.UsKeyboard;

/**
 * Makes the demo desktop react to the inputs channel: keys typed by a client appear in the demo's text box (read
 * as a US keyboard, with Shift and Caps Lock), the pointer follows the client's, and a click on display 0 leaves a
 * marker where it happened. While a configured source ranks above the demo, the demo takes the input unseen.
 */
@Component(service = InputSink.class)
public final class DemoInputSink implements InputSink {
    private final DemoSource demo;
    private final Map<Long, Keyboard> keyboards = new ConcurrentHashMap<>();
    /** Per client: whether its pointer last moved by motion (server mouse mode) rather than to a position. */
    private final Map<Long, Boolean> relative = new ConcurrentHashMap<>();

    /** One client's modifier state; its events arrive on one thread at a time. */
    private static final class Keyboard {
        boolean leftShift;
        boolean rightShift;
        boolean ctrl;
        boolean alt;
        boolean capsLock;
        boolean capsHeld;
    }

    @Activate
    public DemoInputSink(@Reference DemoSource demo) {
        this.demo = demo;
    }

    @Override
    public void key(KeyEvent e) {
        Keyboard k = keyboards.computeIfAbsent(e.connectionId(), id -> new Keyboard());
        switch (e.code()) {
            case UsKeyboard.LEFT_SHIFT -> k.leftShift = e.pressed();
            case UsKeyboard.RIGHT_SHIFT -> k.rightShift = e.pressed();
            case UsKeyboard.LEFT_CTRL, UsKeyboard.RIGHT_CTRL -> k.ctrl = e.pressed();
            case UsKeyboard.LEFT_ALT, UsKeyboard.RIGHT_ALT -> k.alt = e.pressed();
            case UsKeyboard.CAPS_LOCK -> {
                if (e.pressed() && !k.capsHeld) {
                    k.capsLock = !k.capsLock; // once per press, however long the key repeats
                }
                k.capsHeld = e.pressed();
            }
            case UsKeyboard.BACKSPACE -> {
                if (e.pressed()) {
                    demo.type('\b');
                }
            }
            case UsKeyboard.KP_ENTER -> {
                if (e.pressed()) {
                    demo.type('\n');
                }
            }
            default -> {
                if (e.pressed() && !k.ctrl && !k.alt) {
                    boolean shift = k.leftShift || k.rightShift;
                    int plain = UsKeyboard.character(e.code(), false);
                    if (k.capsLock && plain >= 'a' && plain <= 'z') {
                        shift = !shift;
                    }
                    int c = UsKeyboard.character(e.code(), shift);
                    if (c > 0) {
                        demo.type((char) c);
                    }
                }
            }
        }
    }

    @Override
    public void keyLocks(long connectionId, int locks) {
        keyboards.computeIfAbsent(connectionId, id -> new Keyboard()).capsLock = (locks & KeyLocks.CAPS_LOCK) != 0;
    }

    /**
     * Positions (client mouse mode) and motion (server mouse mode) move the demo's pointer, which the cursor channel
     * shows to every client; a click leaves the marker where the client says, or at the pointer in server mode.
     */
    @Override
    public void pointer(PointerEvent e) {
        switch (e.kind()) {
            case POSITION -> {
                relative.put(e.connectionId(), false);
                if (e.displayId() == 0) {
                    demo.movePointer(e.x(), e.y());
                }
            }
            case MOTION -> {
                relative.put(e.connectionId(), true);
                demo.movePointerBy(e.x(), e.y());
            }
            case PRESS -> {
                if (e.button() == Buttons.LEFT || e.button() == Buttons.MIDDLE || e.button() == Buttons.RIGHT) {
                    // a press carries the client's last position, stale once the client moves by motion
                    if (e.displayId() < 0 || relative.getOrDefault(e.connectionId(), false)) {
                        demo.clickAtPointer();
                    } else if (e.displayId() == 0) {
                        demo.click(e.x(), e.y());
                    }
                }
            }
            case RELEASE -> {
                // a click is marked when pressed
            }
        }
    }
}
