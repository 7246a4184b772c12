package org.spice.usbredir.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spice.usbredir.internal.UsbRedirEndToEndTest.cbw;
import static org.spice.usbredir.internal.UsbRedirEndToEndTest.read10;
import static org.spice.usbredir.internal.UsbRedirLink.T;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.spice.protocol.LeakCheck;
import org.spice.protocol.LogCapture;
import org.spice.usbredir.api.MassStorage;
import org.spice.usbredir.api.RedirectedUsbDevice;
import org.spice.usbredir.api.UsbDevice;
import org.spice.usbredir.api.UsbRedirFilter;
import org.spice.usbredir.api.UsbSharing;
import org.spice.usbredir.api.UsbTransfer;

/**
 * Several transfers outstanding at once, a device removed while its transfers are pending, and the server's
 * filter, between our client and our server.
 */
@ExtendWith(LeakCheck.class)
class UsbRedirInFlightTest {

    /** A device whose bulk transfers stay pending until cancelled: a reader waiting for data that never comes. */
    static final class Stuck extends ForwardingUsbDevice {
        final List<CompletableFuture<UsbTransfer>> pending = new CopyOnWriteArrayList<>();

        Stuck(UsbDevice shape) {
            super(shape);
        }

        @Override
        public CompletableFuture<UsbTransfer> bulk(int endpoint, byte[] dataOut, int lengthIn) {
            CompletableFuture<UsbTransfer> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }

        @Override
        public String describe() {
            return "stuck USB device";
        }
    }

    @Test
    void aWholeCommandQueuedAtOnce(@TempDir Path dir) throws Exception {
        byte[] iso = new byte[2048 * 8];
        new Random(3).nextBytes(iso);
        try (UsbRedirLink link = new UsbRedirLink(UsbRedirFilter.NONE);
                MassStorageDevice cd = MassStorageDevice.open(Files.write(dir.resolve("a.iso"), iso), true, true)) {
            link.clientSide.share(link.session, 0, cd);
            link.linkUsbRedir();
            RedirectedUsbDevice d = link.awaitDevice(null);
            // CBW, data and CSW of two commands, all sent before any reply came
            List<CompletableFuture<UsbTransfer>> all = new ArrayList<>();
            for (int tag = 1; tag <= 2; tag++) {
                all.add(d.bulk(0x02, cbw(tag, 2048 * 2, true, read10(tag * 2, 2)), 0));
                all.add(d.bulk(0x81, null, 2048 * 2));
                all.add(d.bulk(0x81, null, 13));
            }
            for (int tag = 1; tag <= 2; tag++) {
                int at = (tag - 1) * 3;
                assertTrue(all.get(at).get(T, TimeUnit.SECONDS).succeeded());
                assertArrayEquals(Arrays.copyOfRange(iso, 2048 * tag * 2, 2048 * (tag * 2 + 2)),
                        all.get(at + 1).get(T, TimeUnit.SECONDS).data());
                ByteBuffer csw = ByteBuffer.wrap(all.get(at + 2).get(T, TimeUnit.SECONDS).data())
                        .order(ByteOrder.LITTLE_ENDIAN);
                assertEquals(tag, csw.getInt(4));
                assertEquals(0, csw.get(12));
            }
        }
    }

    @Test
    void removingTheDeviceMidTransferCancelsAndFreesTheChannel(@TempDir Path dir) throws Exception {
        byte[] iso = new byte[2048 * 4];
        new Random(5).nextBytes(iso);
        try (UsbRedirLink link = new UsbRedirLink(UsbRedirFilter.NONE);
                MassStorageDevice shape = MassStorageDevice.open(Files.write(dir.resolve("s.img"), new byte[512]),
                        false, true);
                MassStorageDevice cd = MassStorageDevice.open(Files.write(dir.resolve("b.iso"), iso), true, true)) {
            Stuck stuck = new Stuck(shape);
            UsbSharing.SharedDevice first = link.clientSide.share(link.session, 0, stuck);
            link.linkUsbRedir();
            RedirectedUsbDevice d = link.awaitDevice(null);
            assertThrows(IllegalStateException.class, () -> link.clientSide.share(link.session, 0, cd),
                    "one device a channel");
            assertEquals(java.util.Map.of(0, first), link.clientSide.shared(link.session));
            List<CompletableFuture<UsbTransfer>> reads = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                reads.add(d.bulk(0x81, null, 512));
            }
            for (int i = 0; i < 3000 && stuck.pending.size() < 3; i++) {
                Thread.sleep(10);
            }
            assertEquals(3, stuck.pending.size(), "three bulk transfers outstanding on the device");
            assertFalse(reads.get(0).isDone());

            first.remove().get(T, TimeUnit.SECONDS); // device_disconnect, acknowledged by the server
            for (CompletableFuture<UsbTransfer> r : reads) {
                assertEquals(UsbTransfer.CANCELLED, r.get(T, TimeUnit.SECONDS).status());
            }
            assertTrue(stuck.pending.stream().allMatch(CompletableFuture::isCancelled),
                    "the device saw its transfers cancelled");
            assertTrue(first.closed().isDone() && !first.closed().isCompletedExceptionally());
            assertTrue(link.clientSide.shared(link.session).isEmpty());
            assertFalse(d.isConnected());
            assertTrue(link.serverSide.devices().isEmpty());
            ExecutionException late = assertThrows(ExecutionException.class,
                    () -> d.bulk(0x81, null, 512).get(T, TimeUnit.SECONDS));
            assertTrue(late.getCause() instanceof IllegalStateException);

            // the same channel takes the next device
            UsbSharing.SharedDevice second = link.clientSide.share(link.session, 0, cd);
            second.connected().get(T, TimeUnit.SECONDS);
            RedirectedUsbDevice d2 = link.awaitDevice(d);
            assertEquals(0x0002, d2.productId());
            assertTrue(d2.bulk(0x02, cbw(9, 2048, true, read10(1, 1)), 0).get(T, TimeUnit.SECONDS).succeeded());
            assertArrayEquals(Arrays.copyOfRange(iso, 2048, 4096),
                    d2.bulk(0x81, null, 2048).get(T, TimeUnit.SECONDS).data());
            assertEquals(0, d2.bulk(0x81, null, 13).get(T, TimeUnit.SECONDS).data()[12]);
        }
    }

    @Test
    void theServerRefusesWhatItsFilterDenies(@TempDir Path dir) throws Exception {
        // the emulated CD-ROM is 1209:0002, the disk 1209:0001: CD-ROMs blocked, everything else allowed
        UsbRedirFilter filter = UsbRedirFilter.parse("-1,0x1209,0x0002,-1,0|-1,-1,-1,-1,1");
        try (LogCapture log = new LogCapture("org.spice.usbredir");
                UsbRedirLink link = new UsbRedirLink(filter);
                MassStorageDevice cd = MassStorageDevice.open(Files.write(dir.resolve("c.iso"), new byte[2048]),
                        true, true);
                MassStorageDevice disk = (MassStorageDevice) MassStorage.disk(Files.write(dir.resolve("d.img"),
                        new byte[512 * 4]), true)) {
            UsbSharing.SharedDevice refused = link.clientSide.share(link.session, 0, cd);
            link.linkUsbRedir();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> refused.closed().get(T, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("USB filter"), e.getCause().getMessage());
            // announced at the server's hello, before its filter arrived: the server refused it
            assertTrue(log.await("refusing USB").contains("by the usbredir filter"));
            assertTrue(link.serverSide.devices().isEmpty());

            UsbSharing.SharedDevice accepted = link.clientSide.share(link.session, 0, disk);
            accepted.connected().get(T, TimeUnit.SECONDS);
            RedirectedUsbDevice d = link.awaitDevice(null);
            assertEquals(0x0001, d.productId());
            assertEquals(List.of(new org.spice.usbredir.api.UsbIdentity.InterfaceClass(8, 6, 0x50)),
                    d.identity().interfaces());

            // now that the client knows the server's filter, it does not even offer a blocked device
            accepted.remove().get(T, TimeUnit.SECONDS);
            UsbSharing.SharedDevice again = link.clientSide.share(link.session, 0, cd);
            assertThrows(ExecutionException.class, () -> again.closed().get(T, TimeUnit.SECONDS));
            assertEquals(1, log.lines().stream().filter(l -> l.contains("refusing USB")).count());
        }
    }

    /**
     * A device with an interrupt IN endpoint (0x83) that sends packets 1, 2, 3, ... and an interrupt OUT endpoint
     * (0x04): our server receives the IN packets in order, one per request, and its OUT packets reach the device.
     */
    @Test
    void interruptTransfersCrossInBothDirections(@TempDir Path dir) throws Exception {
        List<byte[]> out = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger(1);
        try (UsbRedirLink link = new UsbRedirLink(UsbRedirFilter.NONE);
                MassStorageDevice shape = (MassStorageDevice) MassStorage.disk(Files.write(dir.resolve("d.img"),
                        new byte[512 * 4]), true)) {
            UsbDevice hid = new ForwardingUsbDevice(shape) {
                @Override
                public byte[] configurationDescriptor() {
                    byte[] c = shape.configurationDescriptor();
                    byte[] more = Arrays.copyOf(c, c.length + 14);
                    byte[] eps = {7, 5, (byte) 0x83, 3, 8, 0, 10, 7, 5, 0x04, 3, 8, 0, 10};
                    System.arraycopy(eps, 0, more, c.length, eps.length);
                    more[2] = (byte) more.length;
                    more[3] = (byte) (more.length >> 8);
                    more[9 + 4] += 2; // bNumEndpoints of the one interface
                    return more;
                }

                @Override
                public CompletableFuture<UsbTransfer> interrupt(int endpoint, byte[] dataOut, int lengthIn) {
                    if (endpoint == 0x04) {
                        out.add(dataOut);
                        return CompletableFuture.completedFuture(UsbTransfer.ok());
                    }
                    // a device that has something to say every 5 ms
                    return CompletableFuture.supplyAsync(() -> UsbTransfer.ok(new byte[] {
                        (byte) next.getAndIncrement()}), CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS));
                }

                @Override
                public String describe() {
                    return "an emulated device with interrupt endpoints";
                }
            };
            UsbSharing.SharedDevice shared = link.clientSide.share(link.session, 0, hid);
            link.linkUsbRedir();
            shared.connected().get(T, TimeUnit.SECONDS);
            RedirectedUsbDevice d = link.awaitDevice(null);
            assertEquals(1, d.setConfiguration(1).get(T, TimeUnit.SECONDS));
            byte last = 0;
            for (int i = 0; i < 5; i++) {
                UsbTransfer t = d.interrupt(0x83, null, 8).get(T, TimeUnit.SECONDS);
                assertTrue(t.succeeded(), "status " + t.status());
                assertEquals(1, t.data().length);
                assertTrue(t.data()[0] > last, "packets out of order: " + t.data()[0] + " after " + last);
                last = t.data()[0];
            }
            assertTrue(d.interrupt(0x04, new byte[] {9, 8}, 0).get(T, TimeUnit.SECONDS).succeeded());
            assertEquals(1, out.size());
            assertArrayEquals(new byte[] {9, 8}, out.get(0));
        }
    }

    @Test
    void anAdmissionServiceRefusesADeviceAsTheFilterDoes(@TempDir Path dir) throws Exception {
        try (LogCapture log = new LogCapture("org.spice.usbredir");
                UsbRedirLink link = new UsbRedirLink(UsbRedirFilter.NONE);
                MassStorageDevice disk = (MassStorageDevice) MassStorage.disk(Files.write(dir.resolve("d.img"),
                        new byte[512 * 4]), true)) {
            java.util.concurrent.atomic.AtomicBoolean refuse = new java.util.concurrent.atomic.AtomicBoolean(true);
            java.util.List<Long> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
            link.serverSide.addAdmission((connectionId, channelId, identity) -> {
                asked.add(connectionId);
                return refuse.get() ? java.util.Optional.of("viewer 0x" + Long.toHexString(connectionId)
                        + " watches") : java.util.Optional.empty();
            });
            UsbSharing.SharedDevice refused = link.clientSide.share(link.session, 0, disk);
            link.linkUsbRedir();
            assertThrows(ExecutionException.class, () -> refused.closed().get(T, TimeUnit.SECONDS));
            assertTrue(log.await("refusing USB").contains(" watches"));
            assertTrue(link.serverSide.devices().isEmpty());
            assertEquals(link.server.session().clients().get(0).connectionId(), asked.get(0));

            refuse.set(false);
            UsbSharing.SharedDevice accepted = link.clientSide.share(link.session, 0, disk);
            accepted.connected().get(T, TimeUnit.SECONDS);
            assertEquals(0x0001, link.awaitDevice(null).productId());
        }
    }

    @Test
    void aClientThatDisconnectsMidTransferEndsItsTransfersAndDeviceOnTheServer(@TempDir Path dir) throws Exception {
        try (UsbRedirLink link = new UsbRedirLink(UsbRedirFilter.NONE);
                MassStorageDevice shape = MassStorageDevice.open(Files.write(dir.resolve("s.img"), new byte[512]),
                        false, true);
                MassStorageDevice disk = MassStorageDevice.open(Files.write(dir.resolve("t.img"), new byte[2048]),
                        false, true)) {
            Stuck stuck = new Stuck(shape);
            link.clientSide.share(link.session, 0, stuck);
            link.linkUsbRedir();
            RedirectedUsbDevice d = link.awaitDevice(null);
            List<CompletableFuture<UsbTransfer>> reads = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                reads.add(d.bulk(0x81, null, 512));
            }
            for (int i = 0; i < 3000 && stuck.pending.size() < 3; i++) {
                Thread.sleep(10);
            }
            assertEquals(3, stuck.pending.size(), "three bulk transfers outstanding on the device");

            link.session.close(); // the client goes away mid-transfer, its device with it
            for (CompletableFuture<UsbTransfer> r : reads) {
                assertEquals(UsbTransfer.CANCELLED, r.get(T, TimeUnit.SECONDS).status());
            }
            for (int i = 0; i < 3000 && !link.serverSide.devices().isEmpty(); i++) {
                Thread.sleep(10);
            }
            assertTrue(link.serverSide.devices().isEmpty(), "the server dropped the device");
            assertFalse(d.isConnected());
            // the client's channel ends its device's transfers when it closes, on the client's own event loop,
            // which may run after the server has already seen the connection go
            for (int i = 0; i < 3000 && !stuck.pending.stream().allMatch(CompletableFuture::isDone); i++) {
                Thread.sleep(10);
            }
            assertTrue(stuck.pending.stream().allMatch(CompletableFuture::isDone), "the device's transfers ended");

            // the server takes the next client's device on the same channel
            ClientSession next = link.client.connect(new SpiceUri("127.0.0.1",
                    link.server.plainAddress().orElseThrow().getPort(), -1, null),
                    ClientOptions.defaults().withConnectChannels(false)).get(T, TimeUnit.SECONDS);
            try {
                link.clientSide.share(next, 0, disk);
                next.link(ChannelType.USBREDIR, 0).get(T, TimeUnit.SECONDS);
                RedirectedUsbDevice d2 = link.awaitDevice(d);
                assertTrue(d2.bulk(0x02, cbw(3, 512, true, read10(0, 1)), 0).get(T, TimeUnit.SECONDS).succeeded());
                assertEquals(512, d2.bulk(0x81, null, 512).get(T, TimeUnit.SECONDS).data().length);
            } finally {
                next.close();
            }
        }
    }
}
