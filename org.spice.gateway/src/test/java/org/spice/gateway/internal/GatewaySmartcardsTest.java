package org.spice.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.spice.protocol.server.ConnectedClient;
import org.spice.smartcard.api.RemoteSmartcard;
import org.spice.smartcard.api.SmartcardSharing.SharedReader;
import org.spice.smartcard.api.VirtualCard;

class GatewaySmartcardsTest {
    private static final byte[] ATR = {0x3b, (byte) 0x88, (byte) 0x80, 0x01};
    private static final byte[] SELECT = {0x00, (byte) 0xa4, 0x04, 0x00};

    /** A viewer's reader on our server: answers every APDU with the command reversed plus 9000. */
    static final class FakeCard implements RemoteSmartcard {
        final long connection;
        final String reader;
        volatile byte[] atr;
        final List<Listener> listeners = new CopyOnWriteArrayList<>();
        volatile boolean failing;

        FakeCard(long connection, String reader, byte[] atr) {
            this.connection = connection;
            this.reader = reader;
            this.atr = atr;
        }

        void remove() {
            atr = null;
            listeners.forEach(Listener::cardRemoved);
        }

        void insert(byte[] a) {
            atr = a;
            listeners.forEach(l -> l.cardInserted(a));
        }

        @Override public long connectionId() { return connection; }
        @Override public long readerId() { return 0; }
        @Override public String readerName() { return reader; }
        @Override public Optional<byte[]> atr() { return Optional.ofNullable(atr).map(byte[]::clone); }

        @Override
        public CompletionStage<byte[]> transmit(byte[] command) {
            if (failing) {
                return CompletableFuture.failedFuture(new IOException("no card in reader '" + reader + "'"));
            }
            byte[] r = new byte[command.length + 2];
            for (int i = 0; i < command.length; i++) {
                r[i] = command[command.length - 1 - i];
            }
            r[command.length] = (byte) 0x90;
            return CompletableFuture.completedFuture(r);
        }

        @Override public void addListener(Listener l) { listeners.add(l); }
        @Override public void removeListener(Listener l) { listeners.remove(l); }
    }

    /** A reader the VM accepted. */
    static final class FakeReader implements SharedReader {
        final String name;
        final VirtualCard card;
        volatile boolean closed;

        FakeReader(String name, VirtualCard card) {
            this.name = name;
            this.card = card;
        }

        @Override public long readerId() { return 0; }
        @Override public String name() { return name; }
        @Override public long apdus() { return 0; }
        @Override public CompletableFuture<Void> closed() { return new CompletableFuture<>(); }
        @Override public void removeCard() { }
        @Override public void insertCard(VirtualCard c) { }
        @Override public void close() { closed = true; }
    }

    private final List<ConnectedClient> viewers = new ArrayList<>();
    /** Every reader presented to the VM, in order. */
    private final List<FakeReader> vm = new ArrayList<>();

    private GatewaySmartcards cards(Control control) {
        GatewayInputs inputs = new GatewayInputs(control, () -> List.copyOf(viewers), null); // no positions here
        GatewaySmartcards g = new GatewaySmartcards(inputs::controls, inputs::watchReason, Runnable::run);
        g.attached(this::share);
        return g;
    }

    private CompletableFuture<SharedReader> share(String name, VirtualCard card) {
        FakeReader r = new FakeReader(name, card);
        vm.add(r);
        return CompletableFuture.completedFuture(r);
    }

    private void connect(long id, long second) {
        viewers.add(new ConnectedClient(id, "127.0.0.1:1", List.of("main:0"), Instant.ofEpochSecond(second)));
    }

    @Test
    void theControllersCardIsPresentedAndItsApdusAreAnsweredByTheViewersCard() throws Exception {
        connect(1, 10);
        connect(2, 20);
        GatewaySmartcards g = cards(Control.FIRST);
        g.added(new FakeCard(1, "Viewer's reader", ATR));
        assertEquals(1, vm.size());
        FakeReader r = vm.get(0);
        assertEquals("Viewer's reader", r.name);
        assertArrayEquals(ATR, r.card.atr());
        assertArrayEquals(new byte[] {0x00, 0x04, (byte) 0xa4, 0x00, (byte) 0x90, 0x00}, r.card.transmit(SELECT));
    }

    @Test
    void aWatchersCardIsNotPresented() {
        connect(1, 10);
        connect(2, 20);
        GatewaySmartcards g = cards(Control.FIRST);
        g.added(new FakeCard(2, "Watcher's reader", ATR));
        g.reconcile();
        assertTrue(vm.isEmpty());
        cards(Control.NONE).added(new FakeCard(1, "Anyone's reader", ATR));
        assertTrue(vm.isEmpty(), "control none presents nobody's card");
    }

    @Test
    void takingTheCardOutOrRemovingTheReaderTakesItOutOfTheVm() {
        connect(1, 10);
        GatewaySmartcards g = cards(Control.FIRST);
        FakeCard card = new FakeCard(1, "r", ATR);
        g.added(card);
        card.remove();
        assertTrue(vm.get(0).closed, "the card taken out");
        card.insert(new byte[] {0x3b, 0x00});
        assertEquals(2, vm.size(), "a card put back is presented again");
        assertArrayEquals(new byte[] {0x3b, 0x00}, vm.get(1).card.atr());
        g.removed(card);
        assertTrue(vm.get(1).closed, "the reader removed");
    }

    @Test
    void controlPassingOnMovesTheVmToTheNextControllersCard() {
        connect(1, 10);
        connect(2, 20);
        GatewaySmartcards g = cards(Control.FIRST);
        FakeCard first = new FakeCard(1, "first", ATR);
        FakeCard second = new FakeCard(2, "second", ATR);
        g.added(first);
        g.added(second);
        assertEquals(List.of("first"), vm.stream().map(r -> r.name).toList());
        viewers.remove(0); // the controller leaves; its reader's service goes a little later
        g.reconcile();
        assertTrue(vm.get(0).closed, "the old controller's card stays in the VM");
        assertEquals(List.of("first", "second"), vm.stream().map(r -> r.name).toList());
    }

    @Test
    void aNewVmSessionGetsTheCardAgain() {
        connect(1, 10);
        GatewaySmartcards g = cards(Control.FIRST);
        g.added(new FakeCard(1, "r", ATR));
        g.detached();
        g.reconcile();
        assertEquals(1, vm.size(), "no VM session, no reader");
        g.attached(this::share);
        assertEquals(2, vm.size());
    }

    @Test
    void aViewerCardThatFailsGivesTheVmAnIoError() {
        connect(1, 10);
        GatewaySmartcards g = cards(Control.FIRST);
        FakeCard card = new FakeCard(1, "r", ATR);
        g.added(card);
        card.failing = true;
        IOException e = assertThrows(IOException.class, () -> vm.get(0).card.transmit(SELECT));
        assertTrue(e.getMessage().contains("no card in reader 'r'"), e.getMessage());
    }
}
