package org.spice.inputs.api;

import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;
import org.spice.desktop.Buttons;
import org.spice.desktop.KeyLocks;
import org.spice.desktop.UsKeyboard;

/**
 * One linked inputs channel, client side: keys and pointer events go to the server in the order of the calls.
 * Every method may be called from any thread and returns at once; the messages are written by the channel's
 * thread. After the channel closed, calls do nothing.
 *
 * <p>Key codes are PC AT set-1 scancodes numbered as spice-gtk numbers them: the byte for one-byte codes, and
 * {@code 0x100 | byte} for codes sent after an 0xE0 prefix ({@link UsKeyboard} has them by name).
 *
 * <p>Pointer motion is flow-controlled as in spice-gtk: the server acknowledges every fourth motion or position
 * message, and while eight or more are unacknowledged the client holds further motion back, adding up relative
 * moves and keeping only the latest position, and sends that once an acknowledgement arrives. A button press or
 * release first sends what is held back, so that it happens where the pointer is.
 */
@ProviderType
public interface ClientInput {
    /** Presses key {@code code} (key_down). */
    void keyDown(int code);

    /** Releases key {@code code} (key_up, the code with its 0x80 bit). */
    void keyUp(int code);

    /**
     * Presses and releases {@code code}: in one key_scancode message when the server announces
     * INPUTS_CAP_KEY_SCANCODE, else as key_down and key_up, as spice-gtk does.
     */
    void keyPress(int code);

    /**
     * Types {@code text} on a US keyboard: each character's key pressed and released, with Shift held around
     * characters that need it. Newline is Enter and tab is Tab.
     *
     * @throws IllegalArgumentException before sending anything, when a character has no key on a US keyboard
     */
    void typeText(String text);

    /** Relative movement, for the server mouse mode (mouse_motion). */
    void motion(int dx, int dy);

    /**
     * Absolute position on display channel {@code displayId}, for the client mouse mode (mouse_position).
     *
     * @throws IllegalArgumentException for negative coordinates, or a display id outside 0..255
     */
    void position(int x, int y, int displayId);

    /** Presses a {@link Buttons} button at the current position; buttons are 1..255. */
    void press(int button);

    /** Releases a {@link Buttons} button. */
    void release(int button);

    /** Turns the wheel {@code notches} notches: negative up, positive down; each notch a press and release. */
    void wheel(int notches);

    /** Sets the lock keys on the server ({@link KeyLocks} flags), as remote-viewer does when it gets focus. */
    void setKeyLocks(int locks);

    /** The server's lock keys as it last reported them ({@link KeyLocks} flags). */
    int keyLocks();

    /** The buttons held now, as {@link Buttons} mask bits. */
    int buttons();

    /** Motion and position messages sent and not yet acknowledged by the server. */
    int unacknowledgedMotion();

    /**
     * Completes when motion is no longer held back (fewer than eight motion messages unacknowledged), so that
     * the next {@link #position} or {@link #motion} is sent at once; fails when the channel closes first.
     */
    CompletableFuture<Void> motionWindow();

    /** Completes once everything called so far has been handed to the network. */
    CompletableFuture<Void> flush();

    boolean isOpen();
}
