package org.spice.usbredir.internal;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Component;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.spi.ServerChannelFactory;
import org.spice.usbredir.api.UsbDevice;
import org.spice.usbredir.api.UsbSharing;
import org.spice.usbredir.api.UsbTransfer;
import org.spice.usbredir.internal.UsbRedirMessages.Bytes;
import org.spice.usbredir.internal.UsbRedirMessages.Frame;
import org.spice.usbredir.internal.UsbRedirMessages.Packet;

/**
 * The client side of the usbredir channel: the usbredir "host" that owns the device. A device shared with
 * {@link #share} is announced (interface_info, ep_info, device_connect) after the hellos, and its transfers are
 * answered as the server (QEMU's usb-redir, the usbredir guest) asks.
 */
@Component(property = ServerChannelFactory.CHANNEL_TYPE + ":Integer=" + ChannelType.USBREDIR)
public final class UsbRedirClientFactory implements ClientChannelFactory, UsbSharing {
    private static final System.Logger LOG = System.getLogger(UsbRedirClientFactory.class.getName());
    private final Map<Key, Shared> shared = new ConcurrentHashMap<>();

    private record Key(ClientSession session, int channelId) {
    }

    @Override
    public int channelType() {
        return ChannelType.USBREDIR;
    }

    @Override
    public Capabilities channelCapabilities() {
        return Capabilities.NONE; // no LZ4
    }

    @Override
    public SharedDevice share(ClientSession session, int channelId, UsbDevice device) {
        Shared s = new Shared(device);
        shared.put(new Key(session, channelId), s);
        return s;
    }

    @Override
    public ChannelHandler open(ClientChannelContext ctx) {
        Shared s = shared.get(new Key(ctx.session(), ctx.channelId()));
        return new Host(ctx, s);
    }

    private static final class Shared implements SharedDevice {
        final UsbDevice device;
        final CompletableFuture<Void> connected = new CompletableFuture<>();
        final CompletableFuture<Void> configured = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        final AtomicLong transfers = new AtomicLong();

        Shared(UsbDevice device) {
            this.device = device;
        }

        @Override
        public UsbDevice device() {
            return device;
        }

        @Override
        public CompletableFuture<Void> connected() {
            return connected;
        }

        @Override
        public CompletableFuture<Void> configured() {
            return configured;
        }

        @Override
        public CompletableFuture<Void> closed() {
            return closed;
        }

        @Override
        public long transfers() {
            return transfers.get();
        }
    }

    /** One usbredir channel in the host role. */
    private static final class Host implements ChannelHandler {
        private final ClientChannelContext ctx;
        private final Shared shared;
        private final UsbRedirStream stream;
        private int configuration;

        Host(ClientChannelContext ctx, Shared shared) {
            this.ctx = ctx;
            this.shared = shared;
            this.stream = new UsbRedirStream(ctx, this::onFrame);
            stream.sendHello();
        }

        @Override
        public void onMessage(int type, ByteBuf body) {
            stream.onMessage(type, body);
        }

        @Override
        public void onClose() {
            stream.release();
            if (shared != null) {
                shared.connected.completeExceptionally(new IllegalStateException("the usbredir channel closed"));
                shared.configured.completeExceptionally(new IllegalStateException("the usbredir channel closed"));
                shared.closed.complete(null);
            }
        }

        private void send(long id, Packet p) {
            stream.send(id, p);
        }

        private void onFrame(Frame f) {
            long id = f.id();
            Packet p = f.packet();
            if (p instanceof UsbRedirMessages.Hello h) {
                LOG.log(System.Logger.Level.DEBUG, "usbredir peer {0} on {1}", h.version(), ctx.describe());
                if (shared != null) {
                    announce();
                    LOG.log(System.Logger.Level.INFO, "sharing {0} on {1}", shared.device.describe(),
                            ctx.describe());
                    shared.connected.complete(null);
                }
                return;
            }
            if (shared == null) {
                return; // no device: nothing to answer
            }
            UsbDevice d = shared.device;
            switch (p.type()) {
                case UsbRedirMessages.RESET -> {
                    d.reset();
                    configuration = 0;
                }
                case UsbRedirMessages.SET_CONFIGURATION -> {
                    int c = ((Bytes) p).field(0);
                    boolean ok = c == 0 || c == 1;
                    if (ok) {
                        configuration = c;
                    }
                    send(id, Bytes.of(UsbRedirMessages.CONFIGURATION_STATUS,
                            ok ? UsbRedirMessages.STATUS_SUCCESS : UsbRedirMessages.STATUS_STALL, configuration));
                    if (ok && c == 1) {
                        shared.configured.complete(null);
                    }
                }
                case UsbRedirMessages.GET_CONFIGURATION -> send(id, Bytes.of(UsbRedirMessages.CONFIGURATION_STATUS,
                        UsbRedirMessages.STATUS_SUCCESS, configuration));
                case UsbRedirMessages.SET_ALT_SETTING -> {
                    Bytes b = (Bytes) p;
                    send(id, Bytes.of(UsbRedirMessages.ALT_SETTING_STATUS, b.field(1) == 0
                            ? UsbRedirMessages.STATUS_SUCCESS : UsbRedirMessages.STATUS_STALL, b.field(0), 0));
                }
                case UsbRedirMessages.GET_ALT_SETTING -> send(id, Bytes.of(UsbRedirMessages.ALT_SETTING_STATUS,
                        UsbRedirMessages.STATUS_SUCCESS, ((Bytes) p).field(0), 0));
                case UsbRedirMessages.START_ISO_STREAM, UsbRedirMessages.STOP_ISO_STREAM -> send(id,
                        Bytes.of(UsbRedirMessages.ISO_STREAM_STATUS, UsbRedirMessages.STATUS_INVAL,
                                ((Bytes) p).field(0)));
                case UsbRedirMessages.START_INTERRUPT_RECEIVING, UsbRedirMessages.STOP_INTERRUPT_RECEIVING -> send(id,
                        Bytes.of(UsbRedirMessages.INTERRUPT_RECEIVING_STATUS, UsbRedirMessages.STATUS_INVAL,
                                ((Bytes) p).field(0)));
                case UsbRedirMessages.ALLOC_BULK_STREAMS, UsbRedirMessages.FREE_BULK_STREAMS -> send(id,
                        new UsbRedirMessages.BulkStreams(UsbRedirMessages.BULK_STREAMS_STATUS,
                                ((UsbRedirMessages.BulkStreams) p).endpoints(), 0, UsbRedirMessages.STATUS_INVAL));
                case UsbRedirMessages.START_BULK_RECEIVING, UsbRedirMessages.STOP_BULK_RECEIVING -> {
                    UsbRedirMessages.BulkReceiving b = (UsbRedirMessages.BulkReceiving) p;
                    send(id, new UsbRedirMessages.BulkReceiving(UsbRedirMessages.BULK_RECEIVING_STATUS,
                            b.streamId(), 0, b.endpoint(), UsbRedirMessages.STATUS_INVAL));
                }
                case UsbRedirMessages.CONTROL_PACKET -> control(id, (UsbRedirMessages.ControlPacket) p);
                case UsbRedirMessages.BULK_PACKET -> {
                    UsbRedirMessages.BulkPacket b = (UsbRedirMessages.BulkPacket) p;
                    boolean in = (b.endpoint() & 0x80) != 0;
                    UsbTransfer t = d.bulk(b.endpoint(), in ? null : b.data(), in ? b.length() : 0);
                    shared.transfers.incrementAndGet();
                    send(id, new UsbRedirMessages.BulkPacket(b.endpoint(), t.status(),
                            in ? t.data().length : b.length(), b.streamId(), in ? t.data() : UsbRedirMessages.EMPTY));
                }
                case UsbRedirMessages.INTERRUPT_PACKET, UsbRedirMessages.ISO_PACKET -> {
                    UsbRedirMessages.StreamPacket s = (UsbRedirMessages.StreamPacket) p;
                    send(id, new UsbRedirMessages.StreamPacket(s.type(), s.endpoint(), UsbRedirMessages.STATUS_INVAL,
                            0, UsbRedirMessages.EMPTY));
                }
                case UsbRedirMessages.FILTER_FILTER -> LOG.log(System.Logger.Level.DEBUG, "usbredir filter {0}",
                        ((UsbRedirMessages.FilterFilter) p).rules());
                case UsbRedirMessages.FILTER_REJECT -> LOG.log(System.Logger.Level.WARNING,
                        "the server rejected {0} by its USB filter", d.describe());
                case UsbRedirMessages.CANCEL_DATA_PACKET, UsbRedirMessages.DEVICE_DISCONNECT_ACK -> {
                    // transfers are answered at once, so there is nothing to cancel
                }
                default -> LOG.log(System.Logger.Level.WARNING, "usbredir packet {0} is not for the device side",
                        p.type());
            }
        }

        private void control(long id, UsbRedirMessages.ControlPacket c) {
            UsbDevice d = shared.device;
            UsbTransfer t;
            if (c.requestType() == 0x80 && c.request() == 6) {
                t = descriptor(c.value() >> 8, c.value() & 0xff);
            } else if (c.requestType() == 0x80 && c.request() == 8) {
                t = UsbTransfer.ok(new byte[] {(byte) configuration});
            } else if (c.requestType() == 0x00 && c.request() == 9) {
                configuration = c.value() & 0xff;
                t = UsbTransfer.ok();
            } else {
                t = d.control(c.requestType(), c.request(), c.value(), c.index(), c.length(), c.data());
            }
            shared.transfers.incrementAndGet();
            byte[] data = c.in() && t.data().length > c.length() ? java.util.Arrays.copyOf(t.data(), c.length())
                    : c.in() ? t.data() : UsbRedirMessages.EMPTY;
            send(id, new UsbRedirMessages.ControlPacket(c.endpoint(), c.request(), c.requestType(), t.status(),
                    c.value(), c.index(), c.in() ? data.length : c.length(), data));
        }

        private UsbTransfer descriptor(int type, int index) {
            UsbDevice d = shared.device;
            return switch (type) {
                case 1 -> UsbTransfer.ok(d.deviceDescriptor());
                case 2 -> index == 0 ? UsbTransfer.ok(d.configurationDescriptor()) : UsbTransfer.stall();
                case 3 -> {
                    if (index == 0) {
                        yield UsbTransfer.ok(new byte[] {4, 3, 0x09, 0x04});
                    }
                    String s = d.string(index);
                    if (s == null) {
                        yield UsbTransfer.stall();
                    }
                    byte[] u = s.getBytes(StandardCharsets.UTF_16LE);
                    byte[] r = new byte[Math.min(u.length + 2, 254)];
                    r[0] = (byte) r.length;
                    r[1] = 3;
                    System.arraycopy(u, 0, r, 2, r.length - 2);
                    yield UsbTransfer.ok(r);
                }
                case 6 -> { // device qualifier, for high-speed devices
                    byte[] dd = d.deviceDescriptor();
                    yield d.speed() == UsbDevice.SPEED_HIGH ? UsbTransfer.ok(new byte[] {10, 6, dd[2], dd[3], dd[4],
                        dd[5], dd[6], dd[7], dd[17], 0}) : UsbTransfer.stall();
                }
                default -> UsbTransfer.stall();
            };
        }

        /** interface_info and ep_info from the configuration descriptor, then device_connect. */
        private void announce() {
            UsbDevice d = shared.device;
            byte[] cfg = d.configurationDescriptor();
            List<int[]> ifs = new ArrayList<>();
            int[] type = new int[32];
            int[] interval = new int[32];
            int[] epIface = new int[32];
            int[] maxPkt = new int[32];
            java.util.Arrays.fill(type, UsbRedirMessages.EP_TYPE_INVALID);
            type[0] = UsbRedirMessages.EP_TYPE_CONTROL;
            type[16] = UsbRedirMessages.EP_TYPE_CONTROL;
            byte[] dd = d.deviceDescriptor();
            maxPkt[0] = dd[7] & 0xff;
            maxPkt[16] = dd[7] & 0xff;
            int current = 0;
            for (int i = 0; i + 1 < cfg.length && (cfg[i] & 0xff) >= 2; i += cfg[i] & 0xff) {
                int dt = cfg[i + 1] & 0xff;
                if (dt == 4 && i + 8 < cfg.length && cfg[i + 3] == 0) {
                    current = cfg[i + 2] & 0xff;
                    ifs.add(new int[] {current, cfg[i + 5] & 0xff, cfg[i + 6] & 0xff, cfg[i + 7] & 0xff});
                } else if (dt == 5 && i + 6 < cfg.length) {
                    int ep = cfg[i + 2] & 0xff;
                    int x = UsbRedirMessages.EpInfo.index(ep);
                    type[x] = cfg[i + 3] & 3;
                    maxPkt[x] = (cfg[i + 4] & 0xff) | (cfg[i + 5] & 0xff) << 8;
                    interval[x] = cfg[i + 6] & 0xff;
                    epIface[x] = current;
                }
            }
            int[][] a = new int[4][32];
            for (int i = 0; i < ifs.size() && i < 32; i++) {
                for (int k = 0; k < 4; k++) {
                    a[k][i] = ifs.get(i)[k];
                }
            }
            send(0, new UsbRedirMessages.InterfaceInfo(Math.min(ifs.size(), 32), a[0], a[1], a[2], a[3]));
            send(0, new UsbRedirMessages.EpInfo(type, interval, epIface, maxPkt, new int[32]));
            send(0, new UsbRedirMessages.DeviceConnect(d.speed(), dd[4] & 0xff, dd[5] & 0xff, dd[6] & 0xff,
                    (dd[8] & 0xff) | (dd[9] & 0xff) << 8, (dd[10] & 0xff) | (dd[11] & 0xff) << 8,
                    (dd[12] & 0xff) | (dd[13] & 0xff) << 8));
        }
    }
}
