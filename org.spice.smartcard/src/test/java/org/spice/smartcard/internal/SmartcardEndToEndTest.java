package org.spice.smartcard.internal;

import org.spice.smartcard.internal.wire.VscMessage;
import org.spice.protocol.wire.SpiceVmcMessages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.FakeFactories;
import org.spice.protocol.LeakCheck;
import org.spice.protocol.LogCapture;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.internal.engine.ClientEngine;
import org.spice.protocol.internal.engine.ServerEngine;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.spi.ServerChannelFactory;
import org.spice.protocol.wire.SpiceMessage;
import org.spice.smartcard.api.PivCard;
import org.spice.smartcard.api.RemoteSmartcard;
import org.spice.smartcard.api.SmartcardSharing.SharedReader;
import org.spice.smartcard.api.VirtualCard;

/** Our client shares the emulated PIV card with our server, which uses it through {@link RemoteSmartcard}. */
@ExtendWith(LeakCheck.class)
class SmartcardEndToEndTest {
    private static final int T = 30;

    static ServerEngine server() {
        return new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0), null, null, Set.of(),
                null, "smartcard", UUID.randomUUID(), 2, Duration.ofSeconds(5)));
    }

    static SpiceUri uri(ServerEngine s) {
        return new SpiceUri("127.0.0.1", s.plainAddress().orElseThrow().getPort(), -1, null);
    }

    static RemoteSmartcard awaitCard(SmartcardServerFactory f) throws InterruptedException {
        for (int i = 0; i < T * 100; i++) {
            for (RemoteSmartcard r : f.readers()) {
                if (r.atr().isPresent()) {
                    return r;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no card in " + f.readers());
    }

    @Test
    void ourServerSignsWithTheCardOurClientShares(@TempDir Path dir) throws Exception {
        VirtualCard card = PivCard.fromPkcs12(TestCards.pkcs12(dir, "RSA"), TestCards.PASSWORD.toCharArray(),
                TestCards.PIN);
        SmartcardServerFactory serverSide = new SmartcardServerFactory();
        try (ServerEngine server = server().start()) {
            server.addFactory(serverSide);
            SmartcardClientFactory clientSide = new SmartcardClientFactory();
            try (ClientEngine client = new ClientEngine(t -> t == ChannelType.SMARTCARD ? clientSide : null)) {
                ClientSession s = client.connect(uri(server), ClientOptions.defaults().withConnectChannels(false))
                        .get(T, TimeUnit.SECONDS);
                SharedReader shared = clientSide.share(s, "Virtual PIV reader", card).get(T, TimeUnit.SECONDS);
                assertEquals(0, shared.readerId());

                RemoteSmartcard remote = awaitCard(serverSide);
                assertEquals("Virtual PIV reader", remote.readerName());
                assertArrayEquals(card.atr(), remote.atr().orElseThrow());
                PivClient piv = new PivClient(apdu -> remote.transmit(apdu).toCompletableFuture()
                        .get(T, TimeUnit.SECONDS));
                byte[] select = piv.select();
                assertEquals(0x9000, PivClient.sw(select));
                assertEquals(0x61, select[0] & 0xff, "application property template");

                X509Certificate cert = PivClient.certificate(piv.getData(0x5FC105));
                assertArrayEquals(((PivApplet) card).certificate(PivApplet.SLOT_AUTHENTICATION).getEncoded(),
                        cert.getEncoded());
                assertEquals(0x9000, PivClient.sw(piv.verify(TestCards.PIN)));
                byte[] message = "signed through SPICE".getBytes(StandardCharsets.UTF_8);
                byte[] signed = piv.sign(PivApplet.ALG_RSA_2048, 0x9A,
                        PivClient.pkcs1Sha256((RSAPublicKey) cert.getPublicKey(), message));
                assertEquals(0x9000, PivClient.sw(signed));
                Signature v = Signature.getInstance("SHA256withRSA");
                v.initVerify(cert.getPublicKey());
                v.update(message);
                assertTrue(v.verify(PivClient.signature(signed)));
                assertTrue(shared.apdus() >= 8, "APDUs answered: " + shared.apdus());

                // many commands at once: queued on the server, answered in order
                CompletableFuture<?>[] all = new CompletableFuture<?>[20];
                for (int i = 0; i < all.length; i++) {
                    all[i] = remote.transmit(PivClient.apdu(0, 0xCB, 0x3F, 0xFF, new byte[] {0x5C, 1, 0x7E}, true))
                            .toCompletableFuture();
                }
                for (CompletableFuture<?> f : all) {
                    assertEquals(0x9000, PivClient.sw((byte[]) f.get(T, TimeUnit.SECONDS)));
                }

                // card removal: the server sees it and refuses commands; a new insertion works again
                CompletableFuture<Void> removed = new CompletableFuture<>();
                CompletableFuture<byte[]> inserted = new CompletableFuture<>();
                remote.addListener(new RemoteSmartcard.Listener() {
                    @Override
                    public void cardRemoved() {
                        removed.complete(null);
                    }

                    @Override
                    public void cardInserted(byte[] atr) {
                        inserted.complete(atr);
                    }
                });
                shared.removeCard();
                removed.get(T, TimeUnit.SECONDS);
                assertFalse(remote.atr().isPresent());
                ExecutionException noCard = assertThrows(ExecutionException.class,
                        () -> remote.transmit(new byte[] {0, (byte) 0xA4, 4, 0}).toCompletableFuture()
                                .get(T, TimeUnit.SECONDS));
                assertTrue(noCard.getCause().getMessage().contains("no card"), noCard.getCause().getMessage());
                shared.insertCard(card);
                assertArrayEquals(card.atr(), inserted.get(T, TimeUnit.SECONDS));

                shared.close();
                for (int i = 0; i < T * 100 && !serverSide.readers().isEmpty(); i++) {
                    Thread.sleep(10);
                }
                assertTrue(serverSide.readers().isEmpty(), "reader removed: " + serverSide.readers());
            }
        }
    }

    @Test
    void aLyingLengthClosesOnlyTheSmartcardChannel(@TempDir Path dir) throws Exception {
        SmartcardServerFactory serverSide = new SmartcardServerFactory();
        try (ServerEngine server = server().start();
                LogCapture log = new LogCapture("org.spice.protocol")) {
            server.addFactory(serverSide);
            CompletableFuture<Void> closed = new CompletableFuture<>();
            ClientChannelFactory evil = FakeFactories.client(ChannelType.SMARTCARD, Capabilities.NONE, ctx -> {
                // reader_add claiming a 4000-byte name with 3 bytes following
                ctx.send(new SpiceMessage() {
                    public int type() {
                        return SpiceVmcMessages.DATA;
                    }

                    public void encode(ByteBuf out) {
                        out.writeIntLE(VscMessage.READER_ADD).writeIntLE(-1).writeIntLE(4000).writeBytes(new byte[3]);
                    }
                });
                return new ChannelHandler() {
                    @Override
                    public void onMessage(int type, ByteBuf body) {
                        body.skipBytes(body.readableBytes());
                    }

                    @Override
                    public void onClose() {
                        closed.complete(null);
                    }
                };
            });
            try (ClientEngine engine = new ClientEngine(t -> t == ChannelType.SMARTCARD ? evil : null)) {
                ClientSession s = engine.connect(uri(server), ClientOptions.defaults().withConnectChannels(false))
                        .get(T, TimeUnit.SECONDS);
                s.link(ChannelType.SMARTCARD, 0).get(T, TimeUnit.SECONDS);
                String line = log.await("smartcard VSC header length 4000 but 3 payload bytes follow");
                assertTrue(line.contains("smartcard:0"), line);
                closed.get(T, TimeUnit.SECONDS);
                assertFalse(s.closed().isDone(), "the session (main channel) stays");
                assertTrue(serverSide.readers().isEmpty());
            }
        }
    }

    @Test
    void anApduForAReaderNeverGivenClosesOnlyOurClientsSmartcardChannel() throws Exception {
        ServerChannelFactory evil = FakeFactories.server(ChannelType.SMARTCARD, Capabilities.NONE, ctx -> {
            ctx.send(new VscMessage(VscMessage.APDU, 7, new byte[] {0, (byte) 0xA4, 4, 0}));
            return (type, body) -> body.skipBytes(body.readableBytes());
        });
        try (ServerEngine server = server().start();
                LogCapture log = new LogCapture("org.spice.protocol")) {
            server.addFactory(evil);
            SmartcardClientFactory clientSide = new SmartcardClientFactory();
            try (ClientEngine client = new ClientEngine(t -> t == ChannelType.SMARTCARD ? clientSide : null)) {
                ClientSession s = client.connect(uri(server), ClientOptions.defaults().withConnectChannels(false))
                        .get(T, TimeUnit.SECONDS);
                s.link(ChannelType.SMARTCARD, 0).get(T, TimeUnit.SECONDS);
                String line = log.await("APDU for reader 7, which the server never gave");
                assertTrue(line.contains("smartcard:0"), line);
                assertFalse(s.closed().isDone(), "the session (main channel) stays");
            }
        }
    }

    @Test
    void aServerFloodingApdusClosesOurClientsSmartcardChannel() throws Exception {
        ServerChannelFactory flood = FakeFactories.server(ChannelType.SMARTCARD, Capabilities.NONE, ctx -> {
            return (type, body) -> {
                VscMessage m = VscMessage.decode(body);
                ctx.send(VscMessage.error(0, VscMessage.SUCCESS));
                if (m.vscType() == VscMessage.ATR) {
                    for (int i = 0; i < SmartcardSharedReader.MAX_OUTSTANDING + 2; i++) { // one is with the card
                        ctx.send(new VscMessage(VscMessage.APDU, 0, new byte[] {0, (byte) 0xA4, 4, 0}));
                    }
                }
            };
        });
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        VirtualCard slow = new VirtualCard() {
            @Override
            public byte[] atr() {
                return PivApplet.ATR.clone();
            }

            @Override
            public byte[] transmit(byte[] command) {
                try {
                    release.await(T, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new byte[] {(byte) 0x90, 0};
            }

            @Override
            public String describe() {
                return "a card that answers only when released";
            }
        };
        try (ServerEngine server = server().start();
                LogCapture log = new LogCapture("org.spice.protocol")) {
            server.addFactory(flood);
            SmartcardClientFactory clientSide = new SmartcardClientFactory();
            try (ClientEngine client = new ClientEngine(t -> t == ChannelType.SMARTCARD ? clientSide : null)) {
                ClientSession s = client.connect(uri(server), ClientOptions.defaults().withConnectChannels(false))
                        .get(T, TimeUnit.SECONDS);
                SharedReader shared = clientSide.share(s, "r", slow).get(T, TimeUnit.SECONDS);
                shared.closed().get(T, TimeUnit.SECONDS);
                String line = log.await("queued more than " + SmartcardSharedReader.MAX_OUTSTANDING + " APDUs");
                assertTrue(line.contains("smartcard:0"), line);
                assertFalse(s.closed().isDone(), "the session (main channel) stays");
            } finally {
                release.countDown();
            }
        }
    }
}
