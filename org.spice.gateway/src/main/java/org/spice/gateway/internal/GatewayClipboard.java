package org.spice.gateway.internal;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongPredicate;
import org.spice.agent.api.ClientAgent;
import org.spice.agent.api.ClipboardContent;
import org.spice.agent.api.ClipboardType;
import org.spice.agent.api.ServerClipboard;

/**
 * The VM's clipboard as the one this runtime's server shares with its viewers (ranked above the agent bundle's
 * default): what the VM's agent grabs is fetched at once and offered to every viewer, and what a viewer allowed to
 * control the VM copies goes to the VM's agent (the controller's copies with {@code --control first}, anybody's with
 * {@code all}, nobody's with {@code none}; a watcher's copy is logged and dropped, so it reaches no other viewer
 * either). Without a VM agent (none in the guest, or the VM away) viewers still share among themselves what the
 * controller copies.
 */
final class GatewayClipboard implements ServerClipboard, ClientAgent.Listener {
    private static final System.Logger LOG = System.getLogger("org.spice.gateway");

    private final LongPredicate controls;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile ClipboardContent content;
    private volatile ClientAgent agent;

    /** {@code controls}: whether a viewer's (connection id's) copies go to the VM. */
    GatewayClipboard(LongPredicate controls) {
        this.controls = controls;
    }

    /** The VM's agent is there: it gets the clipboard viewers copy from now on, and viewers get its. */
    void attach(ClientAgent vmAgent) {
        agent = vmAgent;
        vmAgent.addListener(this);
        LOG.log(Level.INFO, "gateway: the clipboard is shared with the VM's agent");
        Set<ClipboardType> held = vmAgent.remoteClipboardTypes();
        if (!held.isEmpty()) {
            clipboardGrabbed(held);
        }
    }

    /** The VM's agent (or the session) is gone. */
    void detach() {
        ClientAgent a = agent;
        agent = null;
        if (a != null) {
            a.removeListener(this);
        }
    }

    @Override
    public ClipboardContent get() {
        return content;
    }

    /** Set in this runtime (the {@code spice:clipboard} command): goes to the VM and to every viewer. */
    @Override
    public void set(ClipboardContent c) {
        put(c);
        ClientAgent a = agent;
        if (a != null && a.isOpen() && c != null) {
            a.setClipboard(c);
        }
    }

    @Override
    public void set(long connectionId, ClipboardContent c) {
        if (!controls.test(connectionId)) {
            LOG.log(Level.INFO, "gateway: viewer 0x" + Long.toHexString(connectionId) + " copied "
                    + (c == null ? "nothing" : c.type().mimeType() + " of " + c.size() + " bytes")
                    + " but does not control the VM; not shared");
            return;
        }
        set(c);
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /** The VM grabbed its clipboard: its data is fetched now, since viewers ask this clipboard without waiting. */
    @Override
    public void clipboardGrabbed(Set<ClipboardType> types) {
        ClientAgent a = agent;
        ClipboardType type = preferred(types);
        if (a == null || type == null) {
            return;
        }
        a.clipboard(type).whenComplete((c, failure) -> {
            if (failure != null) {
                LOG.log(Level.INFO, "gateway: the VM's clipboard (" + type.mimeType() + ") did not come: "
                        + failure.getMessage());
            } else if (c != null && agent == a) {
                LOG.log(Level.INFO, "gateway: the VM's clipboard (" + c + ") is offered to the viewers");
                put(c);
            }
        });
    }

    @Override
    public void clipboardReleased() {
        if (agent != null) {
            put(null);
        }
    }

    /** Text when the VM offers it, else the first image type in the API's order (PNG first). */
    static ClipboardType preferred(Set<ClipboardType> types) {
        for (ClipboardType t : ClipboardType.values()) {
            if (types.contains(t)) {
                return t;
            }
        }
        return null;
    }

    private void put(ClipboardContent c) {
        content = c;
        for (Listener l : listeners) {
            l.changed(c);
        }
    }

    @Override
    public String toString() {
        return "the VM's clipboard";
    }
}
