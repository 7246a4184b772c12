package org.spice.protocol.internal.main;

import io.netty.buffer.ByteBuf;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.internal.engine.ServerEngine;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.spi.ServerChannelFactory;
import org.spice.protocol.wire.BaseMessages;
import org.spice.protocol.wire.MainMessages;
import org.spice.protocol.wire.MainMessages.MouseMode;

/**
 * The server side of the main channel, one per client: sends init (and name and uuid when the client can take
 * them), the channel list when the client attaches, and the session-wide mouse mode. The session has no
 * vdagent yet, so it reports the agent as absent and answers agent traffic with an error notice.
 */
public final class MainChannelServer implements ChannelHandler {
    private static final System.Logger LOG = System.getLogger("org.spice.protocol.main");

    /** The factory the engine registers for channel type 1; it holds what all clients share. */
    public static final class Factory implements ServerChannelFactory {
        private final ServerEngine engine;
        private final List<MainChannelServer> open = new CopyOnWriteArrayList<>();
        private volatile int mouseMode = MainMessages.MOUSE_MODE_CLIENT;

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
    }

    private static final int SUPPORTED_MOUSE_MODES = MainMessages.MOUSE_MODE_SERVER | MainMessages.MOUSE_MODE_CLIENT;

    private final Factory factory;
    private final ServerChannelContext ctx;

    private MainChannelServer(Factory factory, ServerChannelContext ctx) {
        this.factory = factory;
        this.ctx = ctx;
    }

    private void greet() {
        ctx.send(new MainMessages.Init(ctx.connectionId(), factory.engine.displayCount(), SUPPORTED_MOUSE_MODES,
                factory.mouseMode, false, 0, factory.multiMediaTime(), 0));
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
            case MainMessages.C_AGENT_START, MainMessages.C_AGENT_TOKEN -> {
                MainMessages.Tokens.decode(type, body);
                LOG.log(Level.DEBUG, ctx.describe() + ": client offers agent tokens; no agent on this server");
            }
            case MainMessages.C_AGENT_DATA -> {
                MainMessages.AgentData.decode(type, body);
                LOG.log(Level.WARNING, ctx.describe() + ": agent data dropped: this server has no vdagent");
                ctx.send(new BaseMessages.Notify(System.currentTimeMillis(), BaseMessages.Notify.SEVERITY_ERROR,
                        1, 0, "agent data dropped: this server has no vdagent"));
            }
            case MainMessages.C_MIGRATE_CONNECTED, MainMessages.C_MIGRATE_CONNECT_ERROR, MainMessages.C_MIGRATE_END,
                    MainMessages.C_MIGRATE_CONNECTED_SEAMLESS, MainMessages.C_MIGRATE_DST_DO_SEAMLESS ->
                LOG.log(Level.WARNING, ctx.describe() + ": migration message " + type
                        + " ignored: this server never starts a migration");
            default -> throw ChannelHandler.unknownMessage(ctx, type);
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
    }
}
