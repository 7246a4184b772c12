package org.spice.display.internal.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.wire.SpiceMessage;

/** The context of a display channel that tests feed messages directly: it keeps what the channel sends. */
final class TestChannelContext implements ClientChannelContext {
    final List<SpiceMessage> sent = new ArrayList<>();

    @Override
    public ClientSession session() {
        return null;
    }

    @Override
    public int channelType() {
        return ChannelType.DISPLAY;
    }

    @Override
    public int channelId() {
        return 0;
    }

    @Override
    public Capabilities remoteCommonCaps() {
        return Capabilities.NONE;
    }

    @Override
    public Capabilities remoteChannelCaps() {
        return Capabilities.NONE;
    }

    @Override
    public void send(SpiceMessage message) {
        sent.add(message);
    }

    @Override
    public void close(String reason) {
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public boolean canSend() {
        return true;
    }

    @Override
    public ScheduledExecutorService executor() {
        throw new UnsupportedOperationException("tests run on their own thread");
    }

    @Override
    public String describe() {
        return "display:0 (test)";
    }
}
