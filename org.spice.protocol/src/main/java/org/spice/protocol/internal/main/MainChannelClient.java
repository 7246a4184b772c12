package org.spice.protocol.internal.main;

import io.netty.buffer.ByteBuf;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.spice.protocol.Capabilities;
import org.spice.protocol.client.MainInfo;
import org.spice.protocol.spi.ChannelEndpoint;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.wire.MainMessages;
import org.spice.protocol.wire.MainMessages.ChannelId;

/**
 * The client side of the main channel: records what the server tells about the session, attaches to the
 * channels after init, and completes {@link #ready} when the channel list arrives. Migration is refused the
 * way spice-gtk refuses it when it cannot connect to the destination.
 */
public final class MainChannelClient implements ChannelHandler {
    private static final System.Logger LOG = System.getLogger("org.spice.protocol.main");

    /** The main channel capabilities this client announces. */
    public static final Capabilities CAPABILITIES = Capabilities.of(MainMessages.CAP_NAME_AND_UUID,
            MainMessages.CAP_AGENT_CONNECTED_TOKENS);

    public final CompletableFuture<MainInfo> ready = new CompletableFuture<>();
    private final ChannelEndpoint ctx;
    private volatile MainMessages.Init init;
    private volatile int supportedMouseModes;
    private volatile int currentMouseMode;
    private volatile boolean agentConnected;
    private volatile long agentTokens;
    private volatile long multiMediaTime;
    private volatile String name;
    private volatile UUID uuid;
    private volatile List<ChannelId> channels = List.of();

    public MainChannelClient(ChannelEndpoint ctx) {
        this.ctx = ctx;
    }

    public MainInfo info() {
        MainMessages.Init i = init;
        return new MainInfo(i == null ? 0 : i.sessionId(), supportedMouseModes, currentMouseMode, agentConnected,
                agentTokens, multiMediaTime, name, uuid, ctx.remoteCommonCaps(), ctx.remoteChannelCaps(), channels);
    }

    /** Sends mouse_mode_request, as spice-gtk does for the client mode once the server supports it. */
    public void requestMouseMode(int mode) {
        ctx.send(new MainMessages.MouseModeRequest(mode));
    }

    @Override
    public void onMessage(int type, ByteBuf body) {
        switch (type) {
            case MainMessages.INIT -> {
                MainMessages.Init i = MainMessages.Init.decode(body);
                supportedMouseModes = (int) i.supportedMouseModes();
                currentMouseMode = (int) i.currentMouseMode();
                agentConnected = i.agentConnected();
                agentTokens = i.agentTokens();
                multiMediaTime = i.multiMediaTime();
                init = i;
                ctx.send(MainMessages.ATTACH_CHANNELS);
            }
            case MainMessages.CHANNELS_LIST -> {
                if (init == null) {
                    throw new org.spice.protocol.SpiceProtocolException("channels list before init");
                }
                channels = MainMessages.ChannelsList.decode(body).channels();
                ready.complete(info());
            }
            case MainMessages.NAME -> name = MainMessages.Name.decode(body).name();
            case MainMessages.UUID_MSG -> uuid = MainMessages.Uuid.decode(body).uuid();
            case MainMessages.MOUSE_MODE -> {
                MainMessages.MouseMode m = MainMessages.MouseMode.decode(body);
                supportedMouseModes = m.supportedModes();
                currentMouseMode = m.currentMode();
            }
            case MainMessages.MULTI_MEDIA_TIME -> multiMediaTime = MainMessages.MultiMediaTime.decode(body).time();
            case MainMessages.AGENT_CONNECTED -> agentConnected = true;
            case MainMessages.AGENT_CONNECTED_TOKENS -> {
                agentConnected = true;
                agentTokens = MainMessages.Tokens.decode(type, body).numTokens();
            }
            case MainMessages.AGENT_DISCONNECTED -> {
                MainMessages.AgentDisconnected.decode(body);
                agentConnected = false;
            }
            case MainMessages.AGENT_TOKEN -> agentTokens += MainMessages.Tokens.decode(type, body).numTokens();
            case MainMessages.AGENT_DATA -> {
                MainMessages.AgentData.decode(type, body);
                LOG.log(Level.WARNING, ctx.describe() + ": agent data dropped: this client has not started the"
                        + " agent protocol");
            }
            case MainMessages.MIGRATE_BEGIN -> refuseMigration(MainMessages.MigrateBegin.decode(body).destination());
            case MainMessages.MIGRATE_BEGIN_SEAMLESS ->
                refuseMigration(MainMessages.MigrateBeginSeamless.decode(body).destination());
            case MainMessages.MIGRATE_SWITCH_HOST -> LOG.log(Level.WARNING, ctx.describe()
                    + ": server asks to switch to " + MainMessages.MigrateSwitchHost.decode(body).destination().host()
                    + "; this client does not migrate and stays");
            case MainMessages.MIGRATE_CANCEL, MainMessages.MIGRATE_END, MainMessages.MIGRATE_DST_SEAMLESS_ACK,
                    MainMessages.MIGRATE_DST_SEAMLESS_NACK ->
                LOG.log(Level.INFO, ctx.describe() + ": migration message " + type + " ignored");
            default -> throw ChannelHandler.unknownMessage(ctx, type);
        }
    }

    private void refuseMigration(MainMessages.DstInfo d) {
        LOG.log(Level.WARNING, ctx.describe() + ": server wants to migrate to " + d.host() + ":" + d.port()
                + "; refused, this client does not migrate");
        ctx.send(MainMessages.MIGRATE_CONNECT_ERROR);
    }

    @Override
    public void onClose() {
        ready.completeExceptionally(new org.spice.protocol.SpiceProtocolException(
                "the main channel closed before the server sent its channel list"));
    }
}
