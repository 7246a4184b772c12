package org.spice.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spice.protocol.server.ConnectedClient;
import org.spice.usbredir.api.MassStorage;
import org.spice.usbredir.api.RedirectedUsbDevice;
import org.spice.usbredir.api.UsbDevice;
import org.spice.usbredir.api.UsbIdentity;
import org.spice.usbredir.api.UsbSharing.SharedDevice;
import org.spice.usbredir.api.UsbTransfer;

class GatewayUsbTest {
    /**
     * A viewer's device as our server has it, backed by an emulated disk: GET_DESCRIPTOR answered from the disk's
     * descriptors, everything else passed to the disk.
     */
    static final class FakeRedirected implements RedirectedUsbDevice {
        final long connection;
        final UsbDevice disk;
        volatile boolean connected = true;
        final List<String> requests = new ArrayList<>();

        FakeRedirected(long connection, UsbDevice disk) {
            this.connection = connection;
            this.disk = disk;
        }

        @Override public long connectionId() { return connection; }
        @Override public int channelId() { return 0; }

        @Override
        public UsbIdentity identity() {
            return UsbIdentity.of(disk.deviceDescriptor(), disk.configurationDescriptor());
        }

        @Override public int speed() { return disk.speed(); }
        @Override public int deviceClass() { return identity().deviceClass(); }
        @Override public int deviceSubclass() { return identity().deviceSubclass(); }
        @Override public int deviceProtocol() { return identity().deviceProtocol(); }
        @Override public int vendorId() { return identity().vendorId(); }
        @Override public int productId() { return identity().productId(); }
        @Override public int deviceVersionBcd() { return identity().deviceVersionBcd(); }
        @Override public List<Interface> interfaces() { return List.of(); }
        @Override public List<Endpoint> endpoints() { return List.of(); }
        @Override public boolean isConnected() { return connected; }

        @Override
        public synchronized CompletableFuture<Integer> setConfiguration(int configuration) {
            requests.add("configuration " + configuration);
            return CompletableFuture.completedFuture(configuration);
        }

        @Override
        public synchronized CompletableFuture<Integer> setAltSetting(int iface, int alt) {
            requests.add("alt " + iface + " " + alt);
            return CompletableFuture.completedFuture(0);
        }

        @Override
        public CompletableFuture<Integer> altSetting(int iface) {
            return CompletableFuture.completedFuture(0);
        }

        @Override
        public synchronized CompletableFuture<UsbTransfer> control(int requestType, int request, int value,
                int index, int length, byte[] dataOut) {
            if (request == 6 && requestType == 0x80) {
                int type = value >> 8;
                byte[] d = switch (type) {
                    case 1 -> disk.deviceDescriptor();
                    case 2 -> disk.configurationDescriptor();
                    case 3 -> stringDescriptor(disk.string(value & 0xff));
                    default -> null;
                };
                return CompletableFuture.completedFuture(d == null ? UsbTransfer.stall()
                        : UsbTransfer.ok(Arrays.copyOf(d, Math.min(length, d.length))));
            }
            requests.add("control " + request);
            return disk.control(requestType, request, value, index, length, dataOut);
        }

        @Override
        public CompletableFuture<UsbTransfer> bulk(int endpoint, byte[] dataOut, int lengthIn) {
            return disk.bulk(endpoint, dataOut, lengthIn);
        }

        @Override
        public synchronized CompletableFuture<UsbTransfer> interrupt(int endpoint, byte[] dataOut, int lengthIn) {
            requests.add(String.format("interrupt 0x%02x", endpoint));
            return CompletableFuture.completedFuture(UsbTransfer.ok(new byte[] {42}));
        }

        private static byte[] stringDescriptor(String s) {
            if (s == null) {
                return null;
            }
            byte[] text = s.getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
            byte[] d = new byte[text.length + 2];
            d[0] = (byte) d.length;
            d[1] = 3;
            System.arraycopy(text, 0, d, 2, text.length);
            return d;
        }
    }

    /** A device the VM took. */
    static final class FakeShared implements SharedDevice {
        final UsbDevice device;
        final int channel;
        volatile boolean removed;

        FakeShared(UsbDevice device, int channel) {
            this.device = device;
            this.channel = channel;
        }

        @Override public UsbDevice device() { return device; }
        @Override public CompletableFuture<Void> connected() { return CompletableFuture.completedFuture(null); }
        @Override public CompletableFuture<Void> configured() { return new CompletableFuture<>(); }
        @Override public CompletableFuture<Void> closed() { return new CompletableFuture<>(); }

        @Override
        public CompletableFuture<Void> remove() {
            removed = true;
            return CompletableFuture.completedFuture(null);
        }

        @Override public long transfers() { return 0; }
    }

    private final List<ConnectedClient> viewers = new ArrayList<>();
    /** What the VM was given, in order. */
    private final List<FakeShared> vm = new ArrayList<>();

    private GatewayUsb usb(Control control, Integer... channels) {
        GatewayInputs inputs = new GatewayInputs(control, () -> List.copyOf(viewers), null); // no positions here
        GatewayUsb g = new GatewayUsb(inputs::controls, inputs::watchReason, Runnable::run);
        g.attached(List.of(channels), this::share);
        return g;
    }

    private SharedDevice share(int channel, UsbDevice device) {
        FakeShared s = new FakeShared(device, channel);
        vm.add(s);
        return s;
    }

    private void connect(long id, long second) {
        viewers.add(new ConnectedClient(id, "127.0.0.1:1", List.of("main:0"), Instant.ofEpochSecond(second)));
    }

    private static UsbDevice disk(Path dir, String name, byte fill) throws Exception {
        byte[] image = new byte[512 * 8];
        Arrays.fill(image, fill);
        return MassStorage.disk(Files.write(dir.resolve(name), image), true);
    }

    @Test
    void theControllersDeviceReachesTheVmWithItsDescriptorsAndItsRequestsPassThrough(@TempDir Path dir)
            throws Exception {
        connect(1, 10);
        connect(2, 20);
        GatewayUsb g = usb(Control.FIRST, 0);
        UsbDevice disk = disk(dir, "a.img", (byte) 7);
        FakeRedirected d = new FakeRedirected(1, disk);
        g.added(d);
        assertEquals(1, vm.size());
        UsbDevice relayed = vm.get(0).device;
        assertEquals(0, vm.get(0).channel);
        assertArrayEquals(disk.deviceDescriptor(), relayed.deviceDescriptor());
        assertArrayEquals(disk.configurationDescriptor(), relayed.configurationDescriptor());
        int product = disk.deviceDescriptor()[15];
        assertEquals(disk.string(product), relayed.string(product));
        assertEquals(disk.speed(), relayed.speed());

        assertTrue(relayed.setConfiguration(1).succeeded());
        assertTrue(relayed.setInterface(0, 0).succeeded());
        assertEquals(List.of("configuration 1", "alt 0 0"), d.requests);
        // GET MAX LUN (class request on the interface) goes to the viewer's device
        assertArrayEquals(new byte[] {0}, relayed.control(0xa1, 0xfe, 0, 0, 1, null).get(5, TimeUnit.SECONDS)
                .data());
        // a SCSI READ(10) of sector 0 through bulk: the viewer's disk's bytes
        byte[] read10 = {0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0};
        assertTrue(relayed.bulk(0x02, cbw(1, 512, read10), 0).get(5, TimeUnit.SECONDS).succeeded());
        byte[] sector = relayed.bulk(0x81, null, 512).get(5, TimeUnit.SECONDS).data();
        byte[] expected = new byte[512];
        Arrays.fill(expected, (byte) 7);
        assertArrayEquals(expected, sector);
        assertArrayEquals(new byte[] {42}, relayed.interrupt(0x83, null, 8).get(5, TimeUnit.SECONDS).data());
        assertEquals("interrupt 0x83", d.requests.get(d.requests.size() - 1));
    }

    @Test
    void aWatchersDeviceIsRefusedAndTheControllersAccepted() throws Exception {
        connect(1, 10);
        connect(2, 20);
        GatewayUsb g = usb(Control.FIRST, 0);
        UsbIdentity any = new UsbIdentity(0, 0, 0, 0x1209, 1, 0x100, List.of());
        assertTrue(g.refusal(2, 0, any).orElseThrow().contains("viewer 0x2 watches"));
        assertTrue(g.refusal(1, 0, any).isEmpty());
        assertTrue(usb(Control.NONE).refusal(1, 0, any).isPresent());
    }

    @Test
    void removingTheDeviceOrLosingControlUnsharesItAndANewSessionSharesItAgain(@TempDir Path dir) throws Exception {
        connect(2, 20);
        GatewayUsb g = usb(Control.FIRST, 0);
        FakeRedirected d = new FakeRedirected(2, disk(dir, "a.img", (byte) 1));
        g.added(d);
        assertEquals(1, vm.size());
        connect(1, 10); // a viewer connected longer: it controls now
        g.reconcile();
        assertTrue(vm.get(0).removed, "the device of a viewer that lost control stays in the VM");

        viewers.remove(1);
        g.reconcile();
        assertEquals(2, vm.size(), "control back: shared again");
        g.detached();
        g.attached(List.of(0), this::share);
        assertEquals(3, vm.size(), "a new VM session gets the device again");
        g.removed(d);
        assertTrue(vm.get(2).removed);
    }

    @Test
    void asManyDevicesAsTheVmHasUsbredirChannels(@TempDir Path dir) throws Exception {
        connect(1, 10);
        GatewayUsb g = usb(Control.ALL, 0, 1);
        List<FakeRedirected> devices = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            FakeRedirected d = new FakeRedirected(1, disk(dir, i + ".img", (byte) i));
            devices.add(d);
            g.added(d);
        }
        assertEquals(List.of(0, 1), vm.stream().map(s -> s.channel).sorted().toList());
        FakeShared first = vm.get(0);
        // the first device goes: the third takes its channel
        g.removed(devices.get(0));
        assertTrue(first.removed);
        assertEquals(3, vm.size());
        assertEquals(first.channel, vm.get(2).channel);
        assertFalse(vm.get(1).removed);
    }

    /** A bulk-only-transport command block wrapper for an IN transfer of {@code length} bytes. */
    private static byte[] cbw(int tag, int length, byte[] cdb) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(31).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x43425355).putInt(tag).putInt(length).put((byte) 0x80).put((byte) 0).put((byte) cdb.length);
        b.put(cdb);
        return b.array();
    }
}
