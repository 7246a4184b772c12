package org.spice.inputs.internal;

import org.spice.inputs.internal.wire.InputsMessages;
import io.netty.buffer.ByteBuf;
import java.lang.System.Logger.Level;
import java.util.HashSet;
import java.util.Set;
import org.spice.desktop.InputSink;
import org.spice.desktop.KeyEvent;
import org.spice.desktop.KeyLocks;
import org.spice.desktop.PointerEvent;
import org.spice.desktop.UsKeyboard;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;

/** One client's inputs channel; all its callbacks run on the channel's thread. */
final class InputsServerChannel implements ChannelHandler {
    private static final System.Logger LOG = System.getLogger("org.spice.inputs");

    private final InputsServerFactory owner;
    private final ServerChannelContext ctx;
    private final ScancodeParser parser;
    private final Set<Integer> held = new HashSet<>();
    private int motions;
    private int x;
    private int y;
    private int displayId = -1;

    InputsServerChannel(InputsServerFactory owner, ServerChannelContext ctx) {
        this.owner = owner;
        this.ctx = ctx;
        this.parser = new ScancodeParser(ctx.connectionId());
    }

    /** Tells this client the session's lock keys. */
    void locksChanged(int locks) {
        ctx.send(InputsMessages.KeyModifiers.server(locks));
    }

    @Override
    public void onMessage(int type, ByteBuf body) {
        switch (type) {
            case InputsMessages.C_KEY_DOWN, InputsMessages.C_KEY_UP -> {
                InputsMessages.Key k = InputsMessages.Key.decode(type, body);
                LOG.log(Level.DEBUG, () -> "inputs: " + (type == InputsMessages.C_KEY_DOWN ? "key_down" : "key_up")
                        + " 0x" + Long.toHexString(k.code()) + " from " + ctx.describe());
                scancodes(k.bytes());
            }
            case InputsMessages.C_KEY_SCANCODE -> {
                byte[] data = InputsMessages.KeyScancode.decode(body).data();
                LOG.log(Level.DEBUG, () -> "inputs: key_scancode of " + data.length + " bytes from "
                        + ctx.describe());
                scancodes(data);
            }
            case InputsMessages.C_KEY_MODIFIERS -> {
                int l = InputsMessages.KeyModifiers.decode(type, body).modifiers();
                LOG.log(Level.DEBUG, () -> "inputs: client sets lock keys " + KeyLocks.describe(l) + " from "
                        + ctx.describe());
                for (InputSink s : owner.sinks) {
                    deliver(s, () -> s.keyLocks(ctx.connectionId(), l));
                }
                owner.setLocks(l);
            }
            case InputsMessages.C_MOUSE_MOTION -> {
                InputsMessages.MouseMotion m = InputsMessages.MouseMotion.decode(body);
                pointer(new PointerEvent(ctx.connectionId(), PointerEvent.Kind.MOTION, m.dx(), m.dy(), -1, 0,
                        m.buttons()));
                motionAck();
            }
            case InputsMessages.C_MOUSE_POSITION -> {
                InputsMessages.MousePosition m = InputsMessages.MousePosition.decode(body);
                x = (int) Math.min(m.x(), Integer.MAX_VALUE);
                y = (int) Math.min(m.y(), Integer.MAX_VALUE);
                displayId = m.displayId();
                pointer(new PointerEvent(ctx.connectionId(), PointerEvent.Kind.POSITION, x, y, displayId, 0,
                        m.buttons()));
                motionAck();
            }
            case InputsMessages.C_MOUSE_PRESS, InputsMessages.C_MOUSE_RELEASE -> {
                InputsMessages.MouseButton m = InputsMessages.MouseButton.decode(type, body);
                pointer(new PointerEvent(ctx.connectionId(), type == InputsMessages.C_MOUSE_PRESS
                        ? PointerEvent.Kind.PRESS : PointerEvent.Kind.RELEASE, x, y, displayId, m.button(),
                        m.buttons()));
            }
            default -> throw ChannelHandler.unknownMessage(ctx, type);
        }
    }

    /** As spice-server: one acknowledgement per {@value InputsMessages#MOTION_ACK_BUNCH} motion messages. */
    private void motionAck() {
        if (++motions == InputsMessages.MOTION_ACK_BUNCH) {
            motions = 0;
            ctx.send(InputsMessages.MOTION_ACK);
        }
    }

    private void scancodes(byte[] bytes) {
        for (byte b : bytes) {
            KeyEvent e = parser.feed(b);
            if (e != null) {
                key(e);
            }
        }
    }

    private void key(KeyEvent e) {
        if (e.pressed()) {
            if (owner.logKeys) {
                LOG.log(Level.INFO, "inputs: key down " + e.bytes() + " (" + UsKeyboard.name(e.code()) + ")");
            } else {
                LOG.log(Level.DEBUG, () -> "inputs: " + e);
            }
            int lock = owner.lockOf(e.code());
            if (lock != 0 && !held.contains(e.code())) {
                owner.toggleLocks(lock);
            }
            held.add(e.code());
        } else {
            LOG.log(Level.DEBUG, () -> "inputs: " + e);
            held.remove(e.code());
        }
        for (InputSink s : owner.sinks) {
            deliver(s, () -> s.key(e));
        }
    }

    private void pointer(PointerEvent e) {
        LOG.log(Level.DEBUG, () -> "inputs: " + e);
        for (InputSink s : owner.sinks) {
            deliver(s, () -> s.pointer(e));
        }
    }

    private void deliver(InputSink s, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, "inputs: sink " + s.getClass().getName() + " failed", ex);
        }
    }

    /** Keys still held are released, as spice-server releases them when a client goes. */
    @Override
    public void onClose() {
        owner.channels.remove(this);
        for (int code : held) {
            KeyEvent up = new KeyEvent(ctx.connectionId(), code, false);
            LOG.log(Level.DEBUG, () -> "inputs: releasing " + up + ", held when the client went");
            for (InputSink s : owner.sinks) {
                deliver(s, () -> s.key(up));
            }
        }
        held.clear();
    }
}
