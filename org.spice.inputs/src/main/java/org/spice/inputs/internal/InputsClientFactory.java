package org.spice.inputs.internal;

import java.util.concurrent.CompletableFuture;
import org.osgi.service.component.annotations.Component;
import org.spice.inputs.api.ClientInput;
import org.spice.inputs.api.ClientInputs;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.spi.ClientChannels;
import org.spice.protocol.spi.SpiceChannel;

/** The client side of the inputs channel: keys, lock keys and the pointer, with spice-gtk's motion flow control. */
@Component
@SpiceChannel(type = ChannelType.INPUTS)
public final class InputsClientFactory implements ClientChannelFactory, ClientInputs {
    private final ClientChannels<InputsClientChannel> inputs = new ClientChannels<>(ChannelType.INPUTS);

    @Override
    public Capabilities channelCapabilities() {
        return Capabilities.NONE;
    }

    @Override
    public ChannelHandler open(ClientChannelContext context) {
        InputsClientChannel i = new InputsClientChannel(context);
        return inputs.track(context, i, i);
    }

    @Override
    public ClientInput inputs(ClientSession session) {
        return inputs.get(session);
    }

    @Override
    public CompletableFuture<ClientInput> linked(ClientSession session) {
        return inputs.link(session, 0).thenApply(i -> i);
    }
}
