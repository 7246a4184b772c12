package org.spice.gateway.internal;

import java.lang.System.Logger.Level;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.spice.inputs.api.ClientInput;
import org.spice.desktop.InputSink;
import org.spice.desktop.KeyEvent;
import org.spice.desktop.PointerEvent;
import org.spice.protocol.server.ConnectedClient;

/**
 * Viewers' keys and pointer, sent to the VM's inputs channel under the {@link Control} rule. With
 * {@link Control#FIRST} the controller is the viewer connected longest of those connected now, so control passes
 * on when it leaves. A key goes up on the VM only for the viewer that pressed it, and always does (a controller
 * that leaves with keys held gets them released), so no key stays held on the VM.
 *
 * <p>Positions (client mouse mode on the viewer) go to the VM as positions while the VM is in client mouse mode,
 * and as the motion between two positions of the same viewer while it is in server mouse mode. A viewer's position
 * is on one head of the picture ({@link Heads}); the VM gets it as a position on the VM display that head shows.
 */
final class GatewayInputs implements InputSink {
    private static final System.Logger LOG = System.getLogger("org.spice.gateway");

    /** The VM's inputs channel and whether the VM is in client mouse mode now. */
    interface Upstream {
        ClientInput input();

        boolean clientMouseMode();
    }

    /** A position: x and y on display {@code displayId}, or in the whole picture when the id is -1. */
    record Position(int displayId, int x, int y) {
    }

    /** Where the heads of the picture viewers see are on the VM's displays. */
    interface Heads {
        /** A viewer's position {@code x, y} on its display {@code displayId} as a point of the whole picture. */
        Position inPicture(int displayId, int x, int y);

        /** The VM display showing a point of the picture and the point's position there. */
        Position onVm(Position inPicture);
    }

    private final Control control;
    private final Supplier<List<ConnectedClient>> viewers;
    private final Heads heads;
    private volatile Upstream upstream;
    /** Keys held down on the VM, by the viewer that pressed them. */
    private final Map<Integer, Long> held = new ConcurrentHashMap<>();
    /** Each viewer's last position, for the VM's server mouse mode. */
    private final Map<Long, long[]> positions = new ConcurrentHashMap<>();
    private final Set<Long> toldWatching = ConcurrentHashMap.newKeySet();
    private volatile long controller = -1;

    GatewayInputs(Control control, Supplier<List<ConnectedClient>> viewers, Heads heads) {
        this.control = control;
        this.viewers = viewers;
        this.heads = heads;
    }

    /** The VM's inputs from now on; null while there is none (keys held on the old one are forgotten). */
    void upstream(Upstream u) {
        upstream = u;
        held.clear();
    }

    @Override
    public void key(KeyEvent e) {
        ClientInput in = input();
        if (in == null) {
            return;
        }
        if (e.pressed()) {
            if (allowed(e.connectionId())) {
                held.put(e.code(), e.connectionId());
                in.keyDown(e.code());
            }
        } else if (held.remove(e.code(), e.connectionId())) {
            in.keyUp(e.code());
        }
    }

    @Override
    public void pointer(PointerEvent e) {
        ClientInput in = input();
        if (in == null || !allowed(e.connectionId())) {
            return;
        }
        switch (e.kind()) {
            case MOTION -> in.motion(e.x(), e.y());
            case POSITION -> {
                Position p = heads.inPicture(e.displayId(), e.x(), e.y());
                long[] last = positions.put(e.connectionId(), new long[] {p.x(), p.y()});
                Upstream u = upstream;
                if (u != null && u.clientMouseMode()) {
                    Position vm = heads.onVm(p);
                    in.position(vm.x(), vm.y(), vm.displayId());
                } else if (last != null) {
                    in.motion((int) (p.x() - last[0]), (int) (p.y() - last[1]));
                }
            }
            case PRESS -> in.press(e.button());
            case RELEASE -> in.release(e.button());
        }
    }

    @Override
    public void keyLocks(long connectionId, int locks) {
        ClientInput in = input();
        if (in != null && allowed(connectionId)) {
            in.setKeyLocks(locks);
        }
    }

    private ClientInput input() {
        Upstream u = upstream;
        ClientInput in = u == null ? null : u.input();
        return in != null && in.isOpen() ? in : null;
    }

    /** Whether {@code connectionId}'s input goes to the VM; says so in the log when that changes. */
    boolean allowed(long connectionId) {
        boolean ok = controls(connectionId);
        if (!ok && toldWatching.add(connectionId)) {
            LOG.log(Level.INFO, "gateway: " + watchReason(connectionId) + "; its input is not sent to the VM");
        }
        if (ok) {
            toldWatching.remove(connectionId);
        }
        return ok;
    }

    /**
     * Whether {@code connectionId} controls the VM now: under {@link Control#ALL} every viewer does, under
     * {@link Control#NONE} nobody, under {@link Control#FIRST} the viewer connected longest. The rule for input, the
     * clipboard, and the cards and ports the gateway relays.
     */
    boolean controls(long connectionId) {
        return switch (control) {
            case ALL -> true;
            case NONE -> false;
            case FIRST -> connectionId == controller();
        };
    }

    /** Why {@code connectionId} does not control the VM, for logs. */
    String watchReason(long connectionId) {
        return "viewer 0x" + Long.toHexString(connectionId) + " watches (control " + control.configName()
                + (control == Control.FIRST && controller != -1 ? ": viewer 0x" + Long.toHexString(controller)
                        + " controls" : "") + ")";
    }

    /** The controlling viewer's connection id under {@link Control#FIRST}, or -1 when no viewer is connected. */
    long controller() {
        List<ConnectedClient> now = viewers.get();
        long first = now.stream().min(Comparator.comparing(ConnectedClient::since))
                .map(ConnectedClient::connectionId).orElse(-1L);
        if (first != controller) {
            controller = first;
            if (first != -1) {
                LOG.log(Level.INFO, "gateway: viewer 0x" + Long.toHexString(first)
                        + " controls the VM (control first)");
            }
            positions.keySet().retainAll(now.stream().map(ConnectedClient::connectionId).toList());
        }
        return first;
    }
}
