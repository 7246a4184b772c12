package org.spice.inputs.internal;

import org.spice.inputs.internal.wire.InputsMessages;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.spice.desktop.Buttons;
import org.spice.inputs.api.ClientInput;
import org.spice.desktop.UsKeyboard;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.wire.Wire;

/**
 * One session's inputs channel. Public methods queue work on the channel's thread, so messages leave in the
 * order of the calls and the state below is only touched there; the volatile fields are for readers.
 */
final class InputsClientChannel implements ChannelHandler, ClientInput {
    /** Motion is held back while this many motion messages are unacknowledged, as in spice-gtk. */
    static final int MOTION_WINDOW = 2 * InputsMessages.MOTION_ACK_BUNCH;

    private final ClientChannelContext ctx;
    private final List<CompletableFuture<Void>> windowWaiters = new ArrayList<>();
    private volatile int locks;
    private volatile int buttons;
    private volatile int motionCount;
    private int dx;
    private int dy;
    private boolean positionPending;
    private int x;
    private int y;
    private int displayId;
    private boolean closed;

    InputsClientChannel(ClientChannelContext ctx) {
        this.ctx = ctx;
    }

    /** Queues {@code r} on the channel's thread; false when that thread is gone (the client engine stopped). */
    private boolean run(Runnable r) {
        try {
            ctx.executor().execute(r);
            return true;
        } catch (RejectedExecutionException stopped) {
            return false;
        }
    }

    @Override
    public void onMessage(int type, ByteBuf body) {
        switch (type) {
            case InputsMessages.INIT -> locks = InputsMessages.Init.decode(body).modifiers();
            case InputsMessages.KEY_MODIFIERS -> locks = InputsMessages.KeyModifiers.decode(type, body).modifiers();
            case InputsMessages.MOUSE_MOTION_ACK -> {
                Wire.end(body, "mouse_motion_ack");
                acknowledged();
            }
            default -> throw ChannelHandler.unknownMessage(ctx, type);
        }
    }

    /** As spice-gtk: the count drops by a bunch, then what was held back goes. */
    private void acknowledged() {
        motionCount = Math.max(0, motionCount - InputsMessages.MOTION_ACK_BUNCH);
        sendMotion();
        sendPosition();
        if (motionCount < MOTION_WINDOW && !windowWaiters.isEmpty()) {
            List<CompletableFuture<Void>> w = new ArrayList<>(windowWaiters);
            windowWaiters.clear();
            w.forEach(f -> f.complete(null));
        }
    }

    private void sendMotion() {
        if (dx != 0 || dy != 0) {
            ctx.send(new InputsMessages.MouseMotion(dx, dy, buttons));
            motionCount++;
            dx = 0;
            dy = 0;
        }
    }

    private void sendPosition() {
        if (positionPending) {
            ctx.send(new InputsMessages.MousePosition(x, y, buttons, displayId));
            motionCount++;
            positionPending = false;
        }
    }

    private static int checkCode(int code) {
        if (code <= 0 || (code & ~0x37f) != 0) {
            throw new IllegalArgumentException("not a key code: 0x" + Integer.toHexString(code)
                    + " (a set-1 scancode without its 0x80 bit, 0x100 | code for 0xE0-prefixed keys)");
        }
        return code;
    }

    @Override
    public void keyDown(int code) {
        checkCode(code);
        run(() -> ctx.send(new InputsMessages.Key(InputsMessages.C_KEY_DOWN, InputsMessages.keyCode(code, false))));
    }

    @Override
    public void keyUp(int code) {
        checkCode(code);
        run(() -> ctx.send(new InputsMessages.Key(InputsMessages.C_KEY_UP, InputsMessages.keyCode(code, true))));
    }

    @Override
    public void keyPress(int code) {
        checkCode(code);
        if (ctx.remoteChannelCaps().has(InputsMessages.CAP_KEY_SCANCODE)) {
            long down = InputsMessages.keyCode(code, false);
            long up = InputsMessages.keyCode(code, true);
            int n = code < 0x100 ? 1 : 2;
            byte[] b = new byte[2 * n];
            for (int i = 0; i < n; i++) {
                b[i] = (byte) (down >>> (8 * i));
                b[n + i] = (byte) (up >>> (8 * i));
            }
            run(() -> ctx.send(new InputsMessages.KeyScancode(b)));
        } else {
            keyDown(code);
            keyUp(code);
        }
    }

    @Override
    public void typeText(String text) {
        for (UsKeyboard.Stroke s : UsKeyboard.strokes(text)) {
            if (s.shift()) {
                keyDown(UsKeyboard.LEFT_SHIFT);
            }
            keyDown(s.code());
            keyUp(s.code());
            if (s.shift()) {
                keyUp(UsKeyboard.LEFT_SHIFT);
            }
        }
    }

    @Override
    public void motion(int mx, int my) {
        if (mx == 0 && my == 0) {
            return;
        }
        run(() -> {
            dx += mx;
            dy += my;
            if (motionCount < MOTION_WINDOW) {
                sendMotion();
            }
        });
    }

    @Override
    public void position(int px, int py, int display) {
        if (px < 0 || py < 0 || display < 0 || display > 255) {
            throw new IllegalArgumentException("position " + px + "," + py + " on display " + display);
        }
        run(() -> {
            x = px;
            y = py;
            displayId = display;
            positionPending = true;
            if (motionCount < MOTION_WINDOW) {
                sendPosition();
            }
        });
    }

    @Override
    public void press(int button) {
        button(button, true);
    }

    @Override
    public void release(int button) {
        button(button, false);
    }

    private void button(int button, boolean press) {
        if (button < 1 || button > 255) {
            throw new IllegalArgumentException("button " + button);
        }
        run(() -> {
            int b = press ? buttons | Buttons.mask(button) : buttons & ~Buttons.mask(button);
            buttons = b;
            sendMotion();
            sendPosition();
            ctx.send(new InputsMessages.MouseButton(press ? InputsMessages.C_MOUSE_PRESS
                    : InputsMessages.C_MOUSE_RELEASE, button, b));
        });
    }

    @Override
    public void wheel(int notches) {
        int button = notches < 0 ? Buttons.UP : Buttons.DOWN;
        for (int i = 0; i < Math.abs(notches); i++) {
            press(button);
            release(button);
        }
    }

    @Override
    public void setKeyLocks(int l) {
        if ((l & ~0xffff) != 0) {
            throw new IllegalArgumentException("lock flags 0x" + Integer.toHexString(l));
        }
        run(() -> ctx.send(InputsMessages.KeyModifiers.client(l)));
    }

    @Override
    public int keyLocks() {
        return locks;
    }

    @Override
    public int buttons() {
        return buttons;
    }

    @Override
    public int unacknowledgedMotion() {
        return motionCount;
    }

    @Override
    public CompletableFuture<Void> motionWindow() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        boolean queued = run(() -> {
            if (closed) {
                f.completeExceptionally(new IllegalStateException("the inputs channel is closed"));
            } else if (motionCount < MOTION_WINDOW) {
                f.complete(null);
            } else {
                windowWaiters.add(f);
            }
        });
        if (!queued) {
            f.completeExceptionally(new IllegalStateException("the inputs channel is closed"));
        }
        return f;
    }

    @Override
    public CompletableFuture<Void> flush() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (!run(() -> f.complete(null))) {
            f.complete(null); // nothing can be pending on a thread that is gone
        }
        return f;
    }

    @Override
    public boolean isOpen() {
        return ctx.isOpen();
    }

    @Override
    public void onClose() {
        closed = true;
        IllegalStateException gone = new IllegalStateException("the inputs channel closed");
        windowWaiters.forEach(f -> f.completeExceptionally(gone));
        windowWaiters.clear();
    }
}
