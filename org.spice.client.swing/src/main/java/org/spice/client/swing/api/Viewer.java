package org.spice.client.swing.api;

import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;
import org.spice.protocol.client.ClientSession;

/** Shows client sessions in windows: one per display channel, with the cursor, keyboard, mouse and menus. */
@ProviderType
public interface Viewer {
    /** The keyboard layouts {@link Options#keymap()} may name. */
    java.util.List<String> KEYMAPS = java.util.List.of("us", "de", "fr");

    /**
     * Why no window can be opened here (no X display, or one that refuses us), or null when windows can be
     * opened. Callers check it before connecting, so that a missing display is an error message and not a
     * stack trace.
     */
    String unavailable();

    /**
     * Asks the user for the password of {@code where} in a dialog and waits for the answer; null when the user
     * cancels. The dialog also asks whether the platform keychain should keep it (offered only where there is one).
     * The password is never logged.
     */
    Password askPassword(String where);

    /**
     * The password the platform keychain keeps for {@code where} (an address; its password query is ignored), or
     * null when it keeps none or there is no keychain here.
     */
    default String keptPassword(String where) {
        return null;
    }

    /**
     * Has the platform keychain keep {@code password} for {@code where}, as the user asked in {@link #askPassword}
     * (called once the server accepted it); false when there is no keychain or it refused.
     */
    default boolean keepPassword(String where, String password) {
        return false;
    }

    /** Removes the password the keychain keeps for {@code where} (the server refused it). */
    default void forgetPassword(String where) {
    }

    /** A password the user typed, and whether they asked the platform keychain to keep it. */
    record Password(String value, boolean keep) {
        public Password {
            java.util.Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return "Password[***, keep=" + keep + "]";
        }
    }

    /**
     * Asks the user which server to connect to, in a dialog offering the recent connections (kept per user, without
     * passwords). {@code check} gets what the user typed and returns why it is no server to connect to (shown in a
     * message, and the dialog asks again) or null; the accepted text is remembered and returned. Null when the user
     * cancels.
     */
    String chooseConnection(java.util.function.Function<String, String> check);

    /**
     * Opens a window for each display channel of {@code session} as it links, and requests the client mouse
     * mode when the server supports it. Completes when the user has closed every window (the caller then closes
     * the session) or when the session has ended.
     */
    CompletableFuture<Void> show(ClientSession session, Options options);

    /**
     * How to show a session.
     *
     * @param title the window title, or null for one made from the server's address and session name
     * @param fullScreen whether windows start in full screen
     * @param keymap the local keyboard layout (us, de, fr) for key events that do not say which physical key was
     *     pressed, or null for us; events that do (every X11 and Windows key event) are sent as that key
     * @param hotkeys the key combinations the viewer keeps for itself, as remote-viewer's {@code --hotkeys}
     * @param kiosk whether windows show no menus (remote-viewer's {@code --kiosk})
     */
    record Options(String title, boolean fullScreen, String keymap, Hotkeys hotkeys, boolean kiosk) {
        public Options {
            hotkeys = hotkeys == null ? Hotkeys.DEFAULT : hotkeys;
        }

        /** A title and full screen, and the defaults for the rest. */
        public Options(String title, boolean fullScreen) {
            this(title, fullScreen, null, Hotkeys.DEFAULT, false);
        }
    }
}
