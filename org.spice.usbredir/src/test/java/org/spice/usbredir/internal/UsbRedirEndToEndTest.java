package org.spice.usbredir.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spice.protocol.client.ClientSession;
import org.spice.usbredir.api.MassStorage;
import org.spice.usbredir.api.RedirectedUsbDevice;
import org.spice.usbredir.api.UsbRedirFilter;
import org.spice.usbredir.api.UsbSharing;
import org.spice.usbredir.api.UsbTransfer;

/** Our client shares emulated mass storage with our server, which reads it through {@link RedirectedUsbDevice}. */
@org.junit.jupiter.api.extension.ExtendWith(org.spice.protocol.LeakCheck.class)
class UsbRedirEndToEndTest {
    private static final int T = 30;

    static byte[] cbw(int tag, int length, boolean in, byte... cb) {
        ByteBuffer b = ByteBuffer.allocate(31).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MassStorageDevice.CBW_SIGNATURE).putInt(tag).putInt(length).put((byte) (in ? 0x80 : 0))
                .put((byte) 0).put((byte) cb.length).put(cb);
        return b.array();
    }

    static byte[] read10(int lba, int count) {
        return new byte[] {0x28, 0, (byte) (lba >> 24), (byte) (lba >> 16), (byte) (lba >> 8), (byte) lba, 0,
            (byte) (count >> 8), (byte) count, 0};
    }

    /** One bulk-only command with a data-in phase: returns the data, checks the CSW. */
    static byte[] scsiIn(RedirectedUsbDevice d, int tag, int length, byte... cb) throws Exception {
        assertTrue(d.bulk(0x02, cbw(tag, length, true, cb), 0).get(T, TimeUnit.SECONDS).succeeded());
        UsbTransfer data = d.bulk(0x81, null, length).get(T, TimeUnit.SECONDS);
        assertTrue(data.succeeded(), "data phase status " + data.status());
        UsbTransfer csw = d.bulk(0x81, null, 13).get(T, TimeUnit.SECONDS);
        ByteBuffer c = ByteBuffer.wrap(csw.data()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(13, csw.data().length);
        assertEquals(MassStorageDevice.CSW_SIGNATURE, c.getInt(0));
        assertEquals(tag, c.getInt(4));
        assertEquals(0, c.get(12), "CSW status");
        return data.data();
    }

    @Test
    void ourServerReadsTheIsoOurClientShares(@TempDir Path dir) throws Exception {
        byte[] iso = new byte[2048 * 40];
        new Random(7).nextBytes(iso);
        Path file = Files.write(dir.resolve("test.iso"), iso);
        try (UsbRedirLink link = new UsbRedirLink(UsbRedirFilter.NONE);
                MassStorageDevice cd = (MassStorageDevice) MassStorage.cdrom(file)) {
            UsbRedirServerFactory serverSide = link.serverSide;
            ClientSession s = link.session;
            UsbSharing.SharedDevice shared = link.clientSide.share(s, 0, cd);
            link.linkUsbRedir();
            shared.connected().get(T, TimeUnit.SECONDS);
            RedirectedUsbDevice d = link.awaitDevice(null);
            assertEquals(0x1209, d.vendorId());
            assertEquals(2, d.speed());
            assertEquals(1, d.interfaces().size());
            assertEquals(8, d.interfaces().get(0).interfaceClass());
            assertEquals(Set.of(0x81, 0x02), Set.copyOf(d.endpoints().stream()
                    .map(RedirectedUsbDevice.Endpoint::address).toList()));
            UsbTransfer dd = d.descriptor(1, 0, 18).get(T, TimeUnit.SECONDS);
            assertArrayEquals(cd.deviceDescriptor(), dd.data());
            UsbTransfer product = d.descriptor(3, 2, 255).get(T, TimeUnit.SECONDS);
            assertEquals("Emulated USB CD-ROM", new String(product.data(), 2, product.data().length - 2,
                    java.nio.charset.StandardCharsets.UTF_16LE));
            assertEquals(1, d.setConfiguration(1).get(T, TimeUnit.SECONDS));
            shared.configured().get(T, TimeUnit.SECONDS);
            assertArrayEquals(new byte[] {0}, d.control(0xa1, 0xfe, 0, 0, 1, null).get(T, TimeUnit.SECONDS)
                    .data());

            byte[] inquiry = scsiIn(d, 1, 36, new byte[] {0x12, 0, 0, 0, 36, 0});
            assertEquals(5, inquiry[0], "peripheral type CD-ROM");
            byte[] cap = scsiIn(d, 2, 8, new byte[] {0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0});
            assertEquals(39, ByteBuffer.wrap(cap).getInt(0));
            assertEquals(2048, ByteBuffer.wrap(cap).getInt(4));
            byte[] first = scsiIn(d, 3, 2048 * 4, read10(0, 4));
            assertArrayEquals(Arrays.copyOf(iso, 2048 * 4), first);
            byte[] later = scsiIn(d, 4, 2048 * 32, read10(8, 32));
            assertArrayEquals(Arrays.copyOfRange(iso, 2048 * 8, 2048 * 40), later);
            byte[] toc = scsiIn(d, 5, 20, new byte[] {0x43, 0, 0, 0, 0, 0, 0, 0, 20, 0});
            assertEquals((byte) 0xaa, toc[14]);

            // reading past the end fails: the IN endpoint stalls, the CSW says failed, REQUEST SENSE says why
            assertTrue(d.bulk(0x02, cbw(6, 2048, true, read10(40, 1)), 0).get(T, TimeUnit.SECONDS)
                    .succeeded());
            assertEquals(UsbTransfer.STALL, d.bulk(0x81, null, 2048).get(T, TimeUnit.SECONDS).status());
            byte[] csw = d.bulk(0x81, null, 13).get(T, TimeUnit.SECONDS).data();
            assertEquals(1, csw[12]);
            byte[] sense = scsiIn(d, 7, 18, new byte[] {0x03, 0, 0, 0, 18, 0});
            assertEquals(5, sense[2]);
            assertEquals(0x21, sense[12]);
            assertTrue(shared.transfers() > 10);

            s.close();
            s.closed().get(T, TimeUnit.SECONDS);
            for (int i = 0; i < 3000 && d.isConnected(); i++) {
                Thread.sleep(10);
            }
            assertFalse(d.isConnected());
            assertTrue(serverSide.devices().isEmpty());
        }
    }

    @Test
    void aDiskIsWritable(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("disk.img"), new byte[512 * 64]);
        try (MassStorageDevice disk = (MassStorageDevice) MassStorage.disk(file, false)) {
            byte[] sector = new byte[512];
            Arrays.fill(sector, (byte) 0x5a);
            byte[] write10 = {0x2a, 0, 0, 0, 0, 3, 0, 0, 1, 0};
            assertTrue(disk.bulk(0x02, cbw(1, 512, false, write10), 0).join().succeeded());
            assertTrue(disk.bulk(0x02, sector, 0).join().succeeded());
            byte[] csw = disk.bulk(0x81, null, 13).join().data();
            assertEquals(0, csw[12]);
            assertEquals(0x5a, Files.readAllBytes(file)[512 * 3]);
            assertTrue(disk.bulk(0x02, cbw(2, 512, true, read10(3, 1)), 0).join().succeeded());
            assertArrayEquals(sector, disk.bulk(0x81, null, 512).join().data());
            assertEquals(0, disk.bulk(0x81, null, 13).join().data()[12]);
        }
    }
}
