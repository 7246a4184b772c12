package org.spice.client.swing.api;

import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;
import org.spice.protocol.client.ClientSession;

/** Shows client sessions in windows: one per display channel, with the cursor, keyboard, mouse and menus. */
@ProviderType
public interface Viewer {
    /**
     * Why no window can be opened here (no X display, or one that refuses us), or null when windows can be
     * opened. Callers check it before connecting, so that a missing display is an error message and not a
     * stack trace.
     */
    String unavailable();

    /**
     * Asks the user for the password of {@code where} in a dialog and waits for the answer; null when the user
     * cancels. The password is never logged.
     */
    String askPassword(String where);

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
     */
    record Options(String title, boolean fullScreen) {
    }
}
