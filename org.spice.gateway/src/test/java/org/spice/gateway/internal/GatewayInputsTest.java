package org.spice.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.spice.inputs.api.ClientInput;
import org.spice.desktop.KeyEvent;
import org.spice.desktop.PointerEvent;
import org.spice.protocol.server.ConnectedClient;

class GatewayInputsTest {
    /** What reached the VM, one line per call. */
    static final class RecordingInput implements ClientInput {
        final List<String> sent = new ArrayList<>();

        @Override public void keyDown(int code) { sent.add("down " + code); }
        @Override public void keyUp(int code) { sent.add("up " + code); }
        @Override public void keyPress(int code) { sent.add("press " + code); }
        @Override public void typeText(String text) { sent.add("type " + text); }
        @Override public void motion(int dx, int dy) { sent.add("motion " + dx + "," + dy); }
        @Override public void position(int x, int y, int displayId) { sent.add("position " + x + "," + y + " on " + displayId); }
        @Override public void press(int button) { sent.add("button down " + button); }
        @Override public void release(int button) { sent.add("button up " + button); }
        @Override public void wheel(int notches) { sent.add("wheel " + notches); }
        @Override public void setKeyLocks(int locks) { sent.add("locks " + locks); }
        @Override public int keyLocks() { return 0; }
        @Override public int buttons() { return 0; }
        @Override public int unacknowledgedMotion() { return 0; }
        @Override public CompletableFuture<Void> motionWindow() { return CompletableFuture.completedFuture(null); }
        @Override public CompletableFuture<Void> flush() { return CompletableFuture.completedFuture(null); }
        @Override public boolean isOpen() { return true; }
    }

    private final List<ConnectedClient> viewers = new ArrayList<>();
    private final RecordingInput vm = new RecordingInput();
    private boolean clientMode;

    private final GatewaySource picture = new GatewaySource(Runnable::run);

    private GatewayInputs gateway(Control control) {
        GatewayInputs g = new GatewayInputs(control, () -> List.copyOf(viewers), picture);
        g.upstream(new GatewayInputs.Upstream() {
            @Override
            public ClientInput input() {
                return vm;
            }

            @Override
            public boolean clientMouseMode() {
                return clientMode;
            }
        });
        return g;
    }

    private void connect(long id, long second) {
        viewers.add(new ConnectedClient(id, "127.0.0.1:1", List.of("main:0"), Instant.ofEpochSecond(second)));
    }

    @Test
    void withControlFirstOnlyTheViewerConnectedLongestTypesAndControlPassesOnWhenItLeaves() {
        GatewayInputs g = gateway(Control.FIRST);
        connect(7, 20);
        connect(5, 10); // connected earlier, listed later
        g.key(new KeyEvent(7, 0x01, true));
        g.key(new KeyEvent(7, 0x01, false));
        g.key(new KeyEvent(5, 0x1e, true));
        g.key(new KeyEvent(5, 0x1e, false));
        assertEquals(List.of("down 30", "up 30"), vm.sent);
        viewers.removeIf(c -> c.connectionId() == 5);
        g.key(new KeyEvent(7, 0x01, true));
        assertEquals(List.of("down 30", "up 30", "down 1"), vm.sent);
    }

    @Test
    void aKeyHeldByTheControllerIsReleasedOnTheVmEvenAfterItLostControl() {
        GatewayInputs g = gateway(Control.FIRST);
        connect(5, 10);
        connect(7, 20);
        g.key(new KeyEvent(5, 0x2a, true));
        viewers.remove(0); // 5 leaves; the server then releases its keys
        g.key(new KeyEvent(7, 0x2a, false)); // not 7's key
        g.key(new KeyEvent(5, 0x2a, false));
        assertEquals(List.of("down 42", "up 42"), vm.sent);
    }

    @Test
    void controlAllSendsEveryonesInputAndNoneNobodys() {
        connect(5, 10);
        connect(7, 20);
        GatewayInputs all = gateway(Control.ALL);
        all.key(new KeyEvent(7, 0x01, true));
        all.pointer(new PointerEvent(5, PointerEvent.Kind.MOTION, 3, -2, -1, 0, 0));
        assertEquals(List.of("down 1", "motion 3,-2"), vm.sent);
        vm.sent.clear();
        GatewayInputs none = gateway(Control.NONE);
        none.key(new KeyEvent(5, 0x01, true));
        none.pointer(new PointerEvent(5, PointerEvent.Kind.PRESS, 0, 0, -1, 1, 1));
        none.keyLocks(5, 4);
        assertEquals(List.of(), vm.sent);
    }

    @Test
    void positionsBecomeMotionWhileTheVmIsInServerMouseMode() {
        connect(5, 10);
        GatewayInputs g = gateway(Control.FIRST);
        g.pointer(new PointerEvent(5, PointerEvent.Kind.POSITION, 100, 50, 0, 0, 0));
        g.pointer(new PointerEvent(5, PointerEvent.Kind.POSITION, 110, 45, 0, 0, 0));
        clientMode = true;
        g.pointer(new PointerEvent(5, PointerEvent.Kind.POSITION, 120, 40, 0, 0, 0));
        g.pointer(new PointerEvent(5, PointerEvent.Kind.PRESS, 120, 40, 0, 1, 1));
        assertEquals(List.of("motion 10,-5", "position 120,40 on 0", "button down 1"), vm.sent);
    }

    @Test
    void withoutAnUpstreamNothingIsSentAndHeldKeysAreForgotten() {
        connect(5, 10);
        GatewayInputs g = gateway(Control.FIRST);
        g.key(new KeyEvent(5, 0x01, true));
        g.upstream(null);
        g.key(new KeyEvent(5, 0x01, false));
        assertEquals(List.of("down 1"), vm.sent);
    }

    @Test
    void aPositionOnAHeadGoesToTheVmDisplayItShowsAndMotionCrossesHeads() {
        GatewaySourceTest.FakeDisplay d0 = new GatewaySourceTest.FakeDisplay();
        GatewaySourceTest.FakeDisplay d1 = new GatewaySourceTest.FakeDisplay();
        picture.attach(0, d0);
        picture.attach(1, d1);
        d0.draw(new org.spice.desktop.Frame(100, 50, new int[100 * 50], 1), new org.spice.desktop.Rect(0, 0, 100, 50));
        d1.draw(new org.spice.desktop.Frame(80, 60, new int[80 * 60], 1), new org.spice.desktop.Rect(0, 0, 80, 60));
        connect(5, 10);
        GatewayInputs g = gateway(Control.FIRST);
        clientMode = true;
        g.pointer(new PointerEvent(5, PointerEvent.Kind.POSITION, 7, 8, 1, 0, 0)); // remote-viewer's second window
        g.pointer(new PointerEvent(5, PointerEvent.Kind.POSITION, 107, 8, 0, 0, 0)); // our client, display 0
        g.pointer(new PointerEvent(5, PointerEvent.Kind.POSITION, 99, 49, 0, 0, 0));
        clientMode = false;
        g.pointer(new PointerEvent(5, PointerEvent.Kind.POSITION, 3, 9, 1, 0, 0)); // from 99,49 to 103,9
        assertEquals(List.of("position 7,8 on 1", "position 7,8 on 1", "position 99,49 on 0", "motion 4,-40"),
                vm.sent);
    }
}
