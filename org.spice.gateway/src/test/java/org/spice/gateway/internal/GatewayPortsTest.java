package org.spice.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spice.protocol.server.ConnectedClient;
import org.spice.tunnel.api.PortConnection;
import org.spice.tunnel.api.PortHandler;
import org.spice.tunnel.api.PortPeer;
import org.spice.tunnel.api.ServerPort;

class GatewayPortsTest {
    private static final String MONITOR = "org.qemu.monitor.hmp.0";

    /** A viewer's port channel: what the gateway sent it and whether it was closed. */
    static final class FakePeer implements PortPeer {
        final long id;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        volatile boolean closed;

        FakePeer(long id) {
            this.id = id;
        }

        @Override public synchronized void send(byte[] data) { received.writeBytes(data); }
        @Override public void event(int event) { }
        @Override public void close() { closed = true; }
        @Override public boolean clientOpened() { return true; }
        @Override public String describe() { return "viewer " + id; }
        @Override public long connectionId() { return id; }

        synchronized String text() {
            return received.toString(StandardCharsets.US_ASCII);
        }
    }

    /** The VM's end of a port: bytes the VM "sends" are queued for the gateway to read; what it writes is kept. */
    static final class FakeVmPort implements PortConnection {
        final String name;
        final LinkedBlockingQueue<Integer> fromVm = new LinkedBlockingQueue<>();
        final ByteArrayOutputStream toVm = new ByteArrayOutputStream();
        volatile boolean closed;

        FakeVmPort(String name) {
            this.name = name;
        }

        void vmSends(String s) {
            for (byte b : s.getBytes(StandardCharsets.US_ASCII)) {
                fromVm.add(b & 0xff);
            }
        }

        /** The VM's side ends (the channel closed). */
        void end() {
            fromVm.add(-1);
        }

        synchronized String written() {
            return toVm.toString(StandardCharsets.US_ASCII);
        }

        @Override public String name() { return name; }
        @Override public boolean serverOpened() { return true; }

        @Override
        public InputStream input() {
            return new InputStream() {
                @Override
                public int read() {
                    try {
                        int b = fromVm.take();
                        if (b < 0) {
                            fromVm.add(-1);
                        }
                        return b;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return -1;
                    }
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    int first = read();
                    if (first < 0) {
                        return -1;
                    }
                    b[off] = (byte) first;
                    int n = 1;
                    for (Integer next; n < len && (next = fromVm.peek()) != null && next >= 0; n++) {
                        b[off + n] = (byte) (int) fromVm.poll();
                    }
                    return n;
                }
            };
        }

        @Override
        public OutputStream output() {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    synchronized (FakeVmPort.this) {
                        toVm.write(b);
                    }
                }
            };
        }

        @Override
        public void close() {
            closed = true;
            end();
        }
    }

    private final List<ConnectedClient> viewers = new ArrayList<>();
    private final Map<String, ServerPort> registered = new ConcurrentHashMap<>();
    private final List<FakeVmPort> opened = new ArrayList<>();
    private GatewayPorts ports;

    private GatewayPorts ports(Control control) {
        GatewayInputs inputs = new GatewayInputs(control, () -> List.copyOf(viewers), null); // no positions here
        ports = new GatewayPorts(inputs::controls, inputs::watchReason, p -> {
            registered.put(p.name(), p);
            return () -> registered.remove(p.name());
        });
        return ports;
    }

    /** A VM session offering {@code names}, whose ports open as new {@link FakeVmPort}s. */
    private void vmOffers(String... names) {
        ports.attached(List.of(names), n -> {
            FakeVmPort p = new FakeVmPort(n);
            synchronized (opened) {
                opened.add(p);
            }
            return CompletableFuture.completedFuture(p);
        });
    }

    private void connect(long id, long second) {
        viewers.add(new ConnectedClient(id, "127.0.0.1:1", List.of("main:0"), Instant.ofEpochSecond(second)));
    }

    @AfterEach
    void close() {
        if (ports != null) {
            ports.close();
        }
    }

    @Test
    void eachPortOfTheVmIsOfferedToViewersUnderItsName() {
        ports(Control.FIRST);
        vmOffers(MONITOR, "org.example.log");
        assertEquals(Map.of(MONITOR, MONITOR, "org.example.log", "org.example.log"),
                Map.copyOf(registered.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                        Map.Entry::getKey, e -> e.getValue().name()))));
        vmOffers(MONITOR); // the VM's session came back: registered once
        assertEquals(2, registered.size());
        ports.close();
        assertTrue(registered.isEmpty(), "closing the gateway withdraws its ports");
    }

    @Test
    void theControllersBytesReachTheVmAndTheVmsAnswerReachesTheController() throws Exception {
        ports(Control.FIRST);
        connect(1, 10);
        connect(2, 20);
        vmOffers(MONITOR);
        FakePeer controller = new FakePeer(1);
        PortHandler h = registered.get(MONITOR).open(controller);
        assertFalse(controller.closed);
        assertEquals(1, opened.size(), "the VM's port is opened for the controller");
        FakeVmPort vm = opened.get(0);
        h.onData("info version\n".getBytes(StandardCharsets.US_ASCII));
        await(() -> vm.written().equals("info version\n"), "the VM got " + vm.written());
        vm.vmSends("7.2.0\n");
        await(() -> controller.text().equals("7.2.0\n"), "the controller got " + controller.text());
    }

    @Test
    void aWatchersPortIsClosedAndNothingOfItReachesTheVm() {
        ports(Control.FIRST);
        connect(1, 10);
        connect(2, 20);
        vmOffers(MONITOR);
        FakePeer watcher = new FakePeer(2);
        PortHandler h = registered.get(MONITOR).open(watcher);
        assertTrue(watcher.closed, "the watcher's port channel is closed");
        h.onData("quit\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(opened.isEmpty(), "the VM's port was opened for a watcher");
    }

    @Test
    void withControlNoneNobodyGetsThePortAndWithAllEveryone() {
        ports(Control.NONE);
        connect(1, 10);
        vmOffers(MONITOR);
        FakePeer only = new FakePeer(1);
        registered.get(MONITOR).open(only);
        assertTrue(only.closed);
        ports.close();

        ports(Control.ALL);
        vmOffers(MONITOR);
        FakePeer a = new FakePeer(1);
        FakePeer b = new FakePeer(2);
        registered.get(MONITOR).open(a);
        registered.get(MONITOR).open(b);
        assertFalse(a.closed || b.closed);
        assertEquals(1, opened.size(), "one VM port for every viewer");
    }

    @Test
    void aViewerThatLosesControlIsClosedAtItsNextBytes() throws Exception {
        ports(Control.FIRST);
        connect(2, 20);
        vmOffers(MONITOR);
        FakePeer second = new FakePeer(2);
        PortHandler h = registered.get(MONITOR).open(second);
        assertFalse(second.closed, "the only viewer controls");
        connect(1, 10); // a viewer connected longer (an ordering the clock allows): it controls now
        h.onData("x".getBytes(StandardCharsets.US_ASCII));
        assertTrue(second.closed);
        Thread.sleep(100);
        assertEquals("", opened.get(0).written());
    }

    @Test
    void theVmsSessionEndingClosesTheViewersAndTheNextSessionIsUsedAfresh() throws Exception {
        ports(Control.FIRST);
        connect(1, 10);
        vmOffers(MONITOR);
        FakePeer first = new FakePeer(1);
        registered.get(MONITOR).open(first);
        ports.detached();
        assertTrue(first.closed, "the viewer's port closes with the VM's session");
        assertTrue(opened.get(0).closed, "the old session's port is closed");
        FakePeer meanwhile = new FakePeer(1);
        registered.get(MONITOR).open(meanwhile);
        assertTrue(meanwhile.closed, "no VM session: refused");

        vmOffers(MONITOR);
        FakePeer again = new FakePeer(1);
        PortHandler h = registered.get(MONITOR).open(again);
        assertFalse(again.closed);
        assertEquals(2, opened.size());
        h.onData("a".getBytes(StandardCharsets.US_ASCII));
        await(() -> opened.get(1).written().equals("a"), "the new session's port got nothing");
    }

    @Test
    void theVmClosingItsPortClosesTheViewers() throws Exception {
        ports(Control.FIRST);
        connect(1, 10);
        vmOffers(MONITOR);
        FakePeer viewer = new FakePeer(1);
        registered.get(MONITOR).open(viewer);
        opened.get(0).end();
        await(() -> viewer.closed, "the viewer's port stayed open");
    }

    @Test
    void aViewerWritingFarAheadOfTheVmIsClosed() throws Exception {
        ports(Control.FIRST);
        connect(1, 10);
        CompletableFuture<PortConnection> never = new CompletableFuture<>(); // the VM's port never opens
        ports.attached(List.of(MONITOR), n -> never);
        FakePeer viewer = new FakePeer(1);
        PortHandler h = registered.get(MONITOR).open(viewer);
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < GatewayPorts.MAX_PENDING / chunk.length && !viewer.closed; i++) {
            h.onData(chunk);
        }
        assertFalse(viewer.closed, "closed within the limit");
        h.onData(chunk);
        assertTrue(viewer.closed);
        never.completeExceptionally(new IllegalStateException("gone"));
    }

    private static void await(BooleanSupplier condition, String message) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(message);
            }
            Thread.sleep(10);
        }
    }
}
