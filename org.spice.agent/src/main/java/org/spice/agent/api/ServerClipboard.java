package org.spice.agent.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Server role: the clipboard that our server's agent shares with its clients, as a service. A client that copies
 * something has it {@link #set} here (the agent asks for the data as soon as the client grabs its clipboard); what
 * is set here by anyone else (the host, the {@code spice:clipboard} command) is offered to every client, which
 * asks for it when the user pastes.
 *
 * <p>The bundle's default implementation is the host's clipboard (java.awt.datatransfer) when there is a display
 * (DISPLAY is set and AWT is not headless), and a clipboard in memory otherwise. Register another implementation
 * with a higher service ranking to bridge elsewhere.
 */
@ConsumerType
public interface ServerClipboard {
    /** What the clipboard holds now, or null when it is empty or holds nothing the agent shares. */
    ClipboardContent get();

    /** Puts {@code content} on the clipboard; listeners hear of it before this returns. */
    void set(ClipboardContent content);

    /**
     * A client copied {@code content}: the server's agent calls this, with the client's connection id (its main
     * channel's), so that a clipboard may take it from some clients only (a gateway takes its controller's). The
     * default puts it on the clipboard as {@link #set(ClipboardContent)} does.
     *
     * @since 1.1
     */
    default void set(long connectionId, ClipboardContent content) {
        set(content);
    }

    /** Registers for changes from anywhere, including {@link #set}; listeners must not block. */
    void addListener(Listener listener);

    void removeListener(Listener listener);

    /** Told of every change. */
    @ConsumerType
    interface Listener {
        /** The clipboard holds {@code content} now (null: nothing shared). */
        void changed(ClipboardContent content);
    }
}
