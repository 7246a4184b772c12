package org.spice.usbredir.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.spi.SpiceChannel;
import org.spice.usbredir.api.UsbDevice;
import org.spice.usbredir.api.UsbSharing;

/**
 * The client side of the usbredir channel: the usbredir "host" that owns the device. A device shared with
 * {@link #share} is announced (interface_info, ep_info, device_connect) after the hellos, and the transfers the
 * server (QEMU's usb-redir, the usbredir guest) asks for run on the device; several may be outstanding, and each
 * reply goes back with its request's id when the device completes it.
 */
@Component
@SpiceChannel(type = ChannelType.USBREDIR)
public final class UsbRedirClientFactory implements ClientChannelFactory, UsbSharing {
    private final Map<Key, UsbRedirChannelSlot> slots = new ConcurrentHashMap<>();

    private record Key(ClientSession session, int channelId) {
    }

    @Override
    public Capabilities channelCapabilities() {
        return Capabilities.NONE; // no LZ4
    }

    @Override
    public SharedDevice share(ClientSession session, int channelId, UsbDevice device) {
        UsbRedirChannelSlot slot = slots.computeIfAbsent(new Key(session, channelId), k -> new UsbRedirChannelSlot());
        UsbRedirSharedDevice s = new UsbRedirSharedDevice(device);
        UsbRedirClientChannel host;
        synchronized (slot) {
            if (slot.offered != null && !slot.offered.closed.isDone()) {
                throw new IllegalStateException("usbredir channel " + channelId + " still shares "
                        + slot.offered.device.describe());
            }
            slot.offered = s;
            host = slot.host;
        }
        s.slot = slot;
        if (host != null) {
            host.ctx.executor().execute(host::offer);
        }
        return s;
    }

    @Override
    public Map<Integer, SharedDevice> shared(ClientSession session) {
        Map<Integer, SharedDevice> out = new java.util.TreeMap<>();
        slots.forEach((k, slot) -> {
            if (k.session() == session) {
                synchronized (slot) {
                    if (slot.offered != null && !slot.offered.closed.isDone()) {
                        out.put(k.channelId(), slot.offered);
                    }
                }
            }
        });
        return out;
    }

    @Override
    public ChannelHandler open(ClientChannelContext ctx) {
        Key key = new Key(ctx.session(), ctx.channelId());
        UsbRedirChannelSlot slot = slots.computeIfAbsent(key, k -> new UsbRedirChannelSlot());
        UsbRedirClientChannel host = new UsbRedirClientChannel(ctx, slot, () -> slots.remove(key, slot));
        synchronized (slot) {
            slot.host = host;
        }
        return host;
    }

}
