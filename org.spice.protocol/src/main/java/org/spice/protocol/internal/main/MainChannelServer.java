package org.spice.protocol.internal.main;

import io.netty.buffer.ByteBuf;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.LinkError;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.internal.engine.ServerEngine;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerAgentFactory;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.spi.ServerChannelFactory;
import org.spice.protocol.wire.MainMessages;
import org.spice.protocol.wire.SpiceMessage;
import org.spice.protocol.wire.MainMessages.MouseMode;

/**
 * The server side of the main channel, one per client: sends init (and name and uuid when the client can take
 * them), the channel list when the client attaches, and the session-wide mouse mode. The agent is whatever
 * {@link ServerAgentFactory} is registered: while there is one, clients are told an agent is connected, and a
 * client's agent_start opens its VD_AGENT stream, flow-controlled as spice-server does it (a window of
 * {@value #AGENT_WINDOW} chunks granted to the client and returned {@value #AGENT_TOKEN_BATCH} at a time).
 */
public final class MainChannelServer implements ChannelHandler {
    private static final System.Logger LOG = System.getLogger("org.spice.protocol.main");

    /** The factory the engine registers for channel type 1; it holds what all clients share. */
    public static final class Factory implements ServerChannelFactory {
        private final ServerEngine engine;
        private final List<MainChannelServer> open = new CopyOnWriteArrayList<>();
        private volatile int mouseMode = MainMessages.MOUSE_MODE_CLIENT;
        private volatile ServerAgentFactory agent;

        public Factory(ServerEngine engine) {
            this.engine = engine;
        }

        @Override
        public int channelType() {
            return ChannelType.MAIN;
        }

        @Override
        public Capabilities channelCapabilities() {
            return Capabilities.of(MainMessages.CAP_NAME_AND_UUID, MainMessages.CAP_AGENT_CONNECTED_TOKENS);
        }

        @Override
        public ChannelHandler open(ServerChannelContext context) {
            MainChannelServer m = new MainChannelServer(this, context);
            open.add(m);
            m.greet();
            return m;
        }

        long multiMediaTime() {
            return engine.multiMediaTime();
        }

        /** The agent from now on (null: none); every attached client hears of the change. */
        public synchronized void setAgent(ServerAgentFactory a) {
            if (agent == a) {
                return;
            }
            agent = a;
            for (MainChannelServer m : open) {
                m.ctx.executor().execute(() -> m.agentChanged(a));
            }
        }

        /** Removes {@code a} if it is the agent now. */
        public synchronized void removeAgent(ServerAgentFactory a) {
            if (agent == a) {
                setAgent(null);
            }
        }
    }

    /** REDS_AGENT_WINDOW_SIZE: the agent_data messages a client may send before it gets tokens back. */
    public static final int AGENT_WINDOW = 10;
    /** REDS_TOKENS_TO_SEND: consumed chunks are returned in agent_token messages of this many. */
    public static final int AGENT_TOKEN_BATCH = 5;

    private static final int SUPPORTED_MOUSE_MODES = MainMessages.MOUSE_MODE_SERVER | MainMessages.MOUSE_MODE_CLIENT;

    private final Factory factory;
    private final ServerChannelContext ctx;
    /** The agent whose presence this client was told of; touched on the channel's thread only. */
    private ServerAgentFactory agentAnnounced;
    /** The client's stream, from its agent_start until the agent goes or the channel closes. */
    private AgentLink agentLink;
    private long droppedAgentData;

    private MainChannelServer(Factory factory, ServerChannelContext ctx) {
        this.factory = factory;
        this.ctx = ctx;
    }

    private void greet() {
        agentAnnounced = factory.agent;
        ctx.send(new MainMessages.Init(ctx.connectionId(), factory.engine.displayCount(), SUPPORTED_MOUSE_MODES,
                factory.mouseMode, agentAnnounced != null, AGENT_WINDOW, factory.multiMediaTime(), 0));
        if (ctx.remoteChannelCaps().has(MainMessages.CAP_NAME_AND_UUID)) {
            ctx.send(new MainMessages.Name(factory.engine.name()));
            ctx.send(new MainMessages.Uuid(factory.engine.uuid()));
        }
    }

    @Override
    public void onMessage(int type, ByteBuf body) {
        switch (type) {
            case MainMessages.C_ATTACH_CHANNELS -> {
                ctx.send(new MainMessages.ChannelsList(factory.engine.channelList()));
                ctx.send(new MainMessages.MultiMediaTime(factory.multiMediaTime()));
            }
            case MainMessages.C_MOUSE_MODE_REQUEST -> mouseModeRequest(MainMessages.MouseModeRequest.decode(body));
            case MainMessages.C_CLIENT_INFO -> MainMessages.ClientInfo.decode(body); // obsolete, carries nothing used
            case MainMessages.C_AGENT_START -> agentStart(MainMessages.Tokens.decode(type, body).numTokens());
            case MainMessages.C_AGENT_TOKEN -> {
                long n = MainMessages.Tokens.decode(type, body).numTokens();
                if (agentLink != null) {
                    agentLink.addSendTokens(n);
                }
            }
            case MainMessages.C_AGENT_DATA -> agentData(body);
            case MainMessages.C_MIGRATE_DST_DO_SEAMLESS -> {
                // This server cannot restore a source's channel state: the client migrates semi-seamlessly.
                MainMessages.MigrateDstDoSeamless.decode(body);
                LOG.log(Level.INFO, ctx.describe() + ": seamless migration refused (MIGRATE_DST_SEAMLESS_NACK):"
                        + " this server takes clients semi-seamlessly only");
                ctx.send(new SpiceMessage.Empty(MainMessages.MIGRATE_DST_SEAMLESS_NACK));
            }
            case MainMessages.C_MIGRATE_CONNECTED, MainMessages.C_MIGRATE_CONNECT_ERROR, MainMessages.C_MIGRATE_END,
                    MainMessages.C_MIGRATE_CONNECTED_SEAMLESS ->
                LOG.log(Level.WARNING, ctx.describe() + ": migration message " + type
                        + " ignored: this server never starts a migration");
            default -> throw ChannelHandler.unknownMessage(ctx, type);
        }
    }

    /** agent_start: spice-server ignores it without an agent, and takes it as new tokens when started already. */
    private void agentStart(long tokens) {
        ServerAgentFactory a = agentAnnounced;
        if (a == null) {
            LOG.log(Level.DEBUG, ctx.describe() + ": agent_start ignored: no agent on this server");
            return;
        }
        if (agentLink != null) {
            agentLink.setSendTokens(tokens);
            return;
        }
        AgentLink link = new AgentLink(ctx, MainMessages.AGENT_DATA, tokens, AGENT_WINDOW, AGENT_TOKEN_BATCH,
                AgentReassembler.Framing.STRICT);
        agentLink = link;
        link.start(a.open(ctx, link));
        LOG.log(Level.DEBUG, ctx.describe() + ": agent started, client allows " + tokens + " chunks");
    }

    /**
     * agent_data: before agent_start (or after the agent went) spice-server drops it; a chunk over the size limit,
     * beyond the granted tokens or breaking the message framing ends the client (thrown, so the channel closes).
     */
    private void agentData(ByteBuf body) {
        if (body.readableBytes() > MainMessages.MAX_AGENT_DATA) {
            throw new SpiceProtocolException("agent data chunk of " + body.readableBytes() + " bytes exceeds "
                    + MainMessages.MAX_AGENT_DATA);
        }
        if (agentLink == null) {
            if (droppedAgentData++ == 0) {
                LOG.log(Level.WARNING, ctx.describe() + ": agent data dropped: the client has not started an agent"
                        + (agentAnnounced == null ? " (this server has none)" : ""));
            }
            body.skipBytes(body.readableBytes());
            return;
        }
        agentLink.receive(body);
    }

    /** Runs on this channel's thread when the registered agent changes. */
    private void agentChanged(ServerAgentFactory now) {
        if (!ctx.isOpen() || agentAnnounced == now) {
            return;
        }
        if (agentAnnounced != null) {
            endAgent();
            ctx.send(new MainMessages.AgentDisconnected(LinkError.OK));
        }
        agentAnnounced = now;
        if (now != null) {
            if (ctx.remoteChannelCaps().has(MainMessages.CAP_AGENT_CONNECTED_TOKENS)) {
                ctx.send(new MainMessages.Tokens(MainMessages.AGENT_CONNECTED_TOKENS, AGENT_WINDOW));
            } else {
                ctx.send(MainMessages.AGENT_CONNECTED_MSG);
            }
        }
    }

    private void endAgent() {
        AgentLink l = agentLink;
        agentLink = null;
        if (l != null) {
            l.close();
        }
    }

    private void mouseModeRequest(MainMessages.MouseModeRequest r) {
        int mode = r.mode();
        if (mode != MainMessages.MOUSE_MODE_SERVER && mode != MainMessages.MOUSE_MODE_CLIENT) {
            LOG.log(Level.WARNING, ctx.describe() + ": mouse mode " + mode + " refused: not a single known mode");
            ctx.send(new MouseMode(SUPPORTED_MOUSE_MODES, factory.mouseMode));
            return;
        }
        factory.mouseMode = mode;
        for (MainChannelServer m : factory.open) {
            m.ctx.send(new MouseMode(SUPPORTED_MOUSE_MODES, mode));
        }
    }

    @Override
    public void onClose() {
        factory.open.remove(this);
        endAgent();
    }
}
