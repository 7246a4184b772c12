package org.spice.protocol.internal.main;

import io.netty.buffer.ByteBuf;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.spice.protocol.Capabilities;
import org.spice.protocol.client.MainInfo;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.spi.ClientAgentFactory;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.wire.MainMessages;
import org.spice.protocol.wire.MainMessages.ChannelId;

/**
 * The client side of the main channel: records what the server tells about the session, attaches to the
 * channels after init, and completes {@link #ready} when the channel list arrives. Live migration is the
 * session's business ({@link Migration}): this channel hands it MIGRATE_SWITCH_HOST, the semi-seamless
 * MIGRATE_BEGIN, MIGRATE_END and MIGRATE_CANCEL, and the seamless MIGRATE_BEGIN_SEAMLESS (whose channels then move
 * one by one on the base messages MIGRATE and MIGRATE_DATA, this one included, keeping this handler's state).
 *
 * <p>When the server has an agent and a {@link ClientAgentFactory} is registered, the client starts the agent
 * protocol as spice-gtk does: agent_start granting {@value #AGENT_START_TOKENS} tokens (spice-gtk's ~0, so the
 * server's chunks are not counted here), then the agent's stream, sent within the tokens the server grants.
 */
public final class MainChannelClient implements ChannelHandler {
    private static final System.Logger LOG = System.getLogger("org.spice.protocol.main");

    /** The main channel capabilities this client announces. */
    public static final Capabilities CAPABILITIES = Capabilities.of(MainMessages.CAP_SEMI_SEAMLESS_MIGRATE,
            MainMessages.CAP_NAME_AND_UUID, MainMessages.CAP_AGENT_CONNECTED_TOKENS,
            MainMessages.CAP_SEAMLESS_MIGRATE);

    /** What the session does when its server migrates it; each is called on this channel's thread. */
    public interface Migration {
        /** MIGRATE_SWITCH_HOST: reconnect everything to the destination. */
        void switchHost(MainMessages.DstInfo destination);

        /** MIGRATE_BEGIN: link the destination's channels now, then answer MIGRATE_CONNECTED or CONNECT_ERROR. */
        void begin(MainMessages.DstInfo destination);

        /**
         * MIGRATE_BEGIN_SEAMLESS: link the destination, ask it for a seamless migration, then answer
         * MIGRATE_CONNECTED_SEAMLESS (or MIGRATE_CONNECTED when it refused, or CONNECT_ERROR).
         */
        void beginSeamless(MainMessages.DstInfo destination, long sourceVersion);

        /** MIGRATE_END: the migration is done; move to the channels linked on begin. */
        void end();

        /** MIGRATE_CANCEL: the migration failed; drop the destination's channels and stay. */
        void cancel();
    }

    /** What spice-gtk grants in agent_start: ~0, i.e. no flow control of what the server sends. */
    public static final long AGENT_START_TOKENS = 0xffffffffL;

    public final CompletableFuture<MainInfo> ready = new CompletableFuture<>();
    private final ClientChannelContext ctx;
    private final Supplier<ClientAgentFactory> agents;
    private final Migration migration;
    private volatile AgentLink agentLink;
    private long droppedAgentData;
    private volatile MainMessages.Init init;
    private volatile int supportedMouseModes;
    private volatile int currentMouseMode;
    private volatile boolean agentConnected;
    private volatile long agentTokens;
    private volatile long multiMediaTime;
    /** System.nanoTime() when {@link #multiMediaTime} arrived, 0 before. */
    private volatile long multiMediaTimeArrived;
    private volatile String name;
    private volatile UUID uuid;
    private volatile List<ChannelId> channels = List.of();

    /** @param migration what the session does when the server migrates it */
    public MainChannelClient(ClientChannelContext ctx, Supplier<ClientAgentFactory> agents, Migration migration) {
        this.ctx = ctx;
        this.agents = agents;
        this.migration = migration;
    }

    public MainInfo info() {
        MainMessages.Init i = init;
        AgentLink l = agentLink;
        return new MainInfo(i == null ? 0 : i.sessionId(), supportedMouseModes, currentMouseMode, agentConnected,
                l != null ? l.sendTokens() : agentTokens, multiMediaTime, name, uuid, ctx.remoteCommonCaps(), ctx.remoteChannelCaps(), channels);
    }

    private void multiMediaTime(long time) {
        multiMediaTimeArrived = System.nanoTime();
        multiMediaTime = time;
    }

    /** The server's multimedia clock now (ms, wrapping at 2^32), or -1 before the server sent it. */
    public long multiMediaTimeNow() {
        long arrived = multiMediaTimeArrived;
        if (arrived == 0) {
            return -1;
        }
        return (multiMediaTime + (System.nanoTime() - arrived) / 1_000_000) & 0xffffffffL;
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
                multiMediaTime(i.multiMediaTime());
                init = i;
                ctx.send(MainMessages.ATTACH_CHANNELS);
                if (agentConnected) {
                    startAgent();
                }
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
            case MainMessages.MULTI_MEDIA_TIME -> multiMediaTime(MainMessages.MultiMediaTime.decode(body).time());
            case MainMessages.AGENT_CONNECTED -> {
                agentConnected = true;
                startAgent();
            }
            case MainMessages.AGENT_CONNECTED_TOKENS -> {
                agentConnected = true;
                agentTokens = MainMessages.Tokens.decode(type, body).numTokens();
                startAgent();
            }
            case MainMessages.AGENT_DISCONNECTED -> {
                MainMessages.AgentDisconnected.decode(body);
                agentConnected = false;
                endAgent();
            }
            case MainMessages.AGENT_TOKEN -> {
                long n = MainMessages.Tokens.decode(type, body).numTokens();
                agentTokens += n;
                if (agentLink != null) {
                    agentLink.addSendTokens(n);
                }
            }
            case MainMessages.AGENT_DATA -> agentData(body);
            case MainMessages.MIGRATE_BEGIN -> migration.begin(MainMessages.MigrateBegin.decode(body).destination());
            case MainMessages.MIGRATE_BEGIN_SEAMLESS -> {
                MainMessages.MigrateBeginSeamless m = MainMessages.MigrateBeginSeamless.decode(body);
                migration.beginSeamless(m.destination(), m.sourceVersion());
            }
            case MainMessages.MIGRATE_SWITCH_HOST ->
                migration.switchHost(MainMessages.MigrateSwitchHost.decode(body).destination());
            case MainMessages.MIGRATE_END -> migration.end();
            case MainMessages.MIGRATE_CANCEL -> migration.cancel();
            case MainMessages.MIGRATE_DST_SEAMLESS_ACK, MainMessages.MIGRATE_DST_SEAMLESS_NACK ->
                LOG.log(Level.WARNING, ctx.describe() + ": migration message " + type + " ignored: the answer to a"
                    + " seamless migration request comes on the destination's main channel, not here");
            default -> throw ChannelHandler.unknownMessage(ctx, type);
        }
    }

    /** spice-gtk's agent_start: sent whenever the server says its agent (re)connected. */
    private void startAgent() {
        endAgent();
        ClientAgentFactory f = agents.get();
        if (f == null) {
            LOG.log(Level.DEBUG, ctx.describe() + ": the server's agent is not used: no agent bundle here");
            return;
        }
        ctx.send(new MainMessages.Tokens(MainMessages.C_AGENT_START, AGENT_START_TOKENS));
        AgentLink link = new AgentLink(ctx, MainMessages.C_AGENT_DATA, agentTokens, 0, 1,
                AgentReassembler.Framing.STREAM);
        agentLink = link;
        link.start(f.open(ctx, link));
    }

    private void endAgent() {
        AgentLink l = agentLink;
        agentLink = null;
        if (l != null) {
            agentTokens = l.sendTokens();
            l.close();
        }
    }

    private void agentData(ByteBuf body) {
        if (body.readableBytes() > MainMessages.MAX_AGENT_DATA) {
            throw new SpiceProtocolException("agent data chunk of " + body.readableBytes() + " bytes exceeds "
                    + MainMessages.MAX_AGENT_DATA);
        }
        if (agentLink == null) {
            if (droppedAgentData++ == 0) {
                LOG.log(Level.WARNING, ctx.describe() + ": agent data dropped: this client has not started the"
                        + " agent protocol");
            }
            body.skipBytes(body.readableBytes());
            return;
        }
        agentLink.receive(body);
    }

    @Override
    public void onClose() {
        endAgent();
        ready.completeExceptionally(new org.spice.protocol.SpiceProtocolException(
                "the main channel closed before the server sent its channel list"));
    }
}
