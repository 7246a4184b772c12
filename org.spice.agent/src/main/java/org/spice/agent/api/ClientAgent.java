package org.spice.agent.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Client role: the agent at the other end of one session's main channel (a guest's spice-vdagent through QEMU, or
 * a server that is its own agent). Every method may be called from any thread and returns at once; messages are
 * written by the main channel's thread, within the server's agent tokens.
 *
 * <p>Clipboard, as spice-gtk shares it: {@link #setClipboard} grabs the agent's clipboard with the content's type
 * and answers the agent's requests for it; a {@link Listener#clipboardGrabbed} says the agent holds a clipboard,
 * whose data {@link #clipboard} asks for. Each {@link ClipboardSelection} is shared on its own; the methods without
 * one are about {@link ClipboardSelection#CLIPBOARD}. Grabs carry spice-gtk's serial when the agent announced
 * VD_AGENT_CAP_CLIPBOARD_GRAB_SERIAL, so that of two grabs that cross, the agent's stale one is dropped here.
 */
@ProviderType
public interface ClientAgent {
    /** Whether the agent is still connected. */
    boolean isOpen();

    /** Whether the agent announced VD_AGENT_CAP_{@code cap} (the numbers of vd_agent.h). */
    boolean hasCapability(int cap);

    // clipboard

    /**
     * Offers {@code content} as this client's {@code selection}: grabs the agent's, and answers its requests. A
     * selection other than the clipboard is not offered to an agent without VD_AGENT_CAP_CLIPBOARD_SELECTION.
     */
    void setClipboard(ClipboardSelection selection, ClipboardContent content);

    /** Withdraws this client's {@code selection} (release). */
    void releaseClipboard(ClipboardSelection selection);

    /** The types the agent's {@code selection} holds, from its last grab; empty when it holds none. */
    Set<ClipboardType> remoteClipboardTypes(ClipboardSelection selection);

    /**
     * Asks the agent for its {@code selection}'s data of {@code type}. Completes with the data, or with null when
     * the agent sends none; fails when the agent goes away first.
     */
    CompletableFuture<ClipboardContent> clipboard(ClipboardSelection selection, ClipboardType type);

    default void setClipboard(ClipboardContent content) {
        setClipboard(ClipboardSelection.CLIPBOARD, content);
    }

    default void releaseClipboard() {
        releaseClipboard(ClipboardSelection.CLIPBOARD);
    }

    default Set<ClipboardType> remoteClipboardTypes() {
        return remoteClipboardTypes(ClipboardSelection.CLIPBOARD);
    }

    default CompletableFuture<ClipboardContent> clipboard(ClipboardType type) {
        return clipboard(ClipboardSelection.CLIPBOARD, type);
    }

    void addListener(Listener listener);

    void removeListener(Listener listener);

    /** Agent events; called on the main channel's thread, must not block. */
    @ConsumerType
    interface Listener {
        /** The agent holds {@code selection} with these types now (the types this API knows). */
        default void clipboardGrabbed(ClipboardSelection selection, Set<ClipboardType> types) {
            if (selection == ClipboardSelection.CLIPBOARD) {
                clipboardGrabbed(types);
            }
        }

        /** The agent's {@code selection} is empty now. */
        default void clipboardReleased(ClipboardSelection selection) {
            if (selection == ClipboardSelection.CLIPBOARD) {
                clipboardReleased();
            }
        }

        /** The agent holds a clipboard with these types now (the types this API knows). */
        default void clipboardGrabbed(Set<ClipboardType> types) {
        }

        /** The agent's clipboard is empty now. */
        default void clipboardReleased() {
        }

        /** The agent is gone (disconnected, or the session closed). */
        default void closed() {
        }
    }

    // screen

    /**
     * Asks for this monitor layout (VD_AGENT_MONITORS_CONFIG), monitor i being display channel 0's monitor i as
     * spice-gtk numbers them. Completes with whether the agent reports success, or with true at once when the
     * agent does not reply (no VD_AGENT_CAP_REPLY).
     */
    CompletableFuture<Boolean> setMonitors(List<Monitor> monitors);

    // files

    /**
     * Sends a file to the agent (VD_AGENT_FILE_XFER), in the background: the agent first accepts it, then the data
     * follows as the connection takes it. The returned transfer shows progress and the outcome.
     *
     * @throws IOException when the file cannot be read
     */
    FileTransfer sendFile(Path file) throws IOException;
}
