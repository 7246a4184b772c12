package org.spice.protocol.internal.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import java.lang.System.Logger.Level;
import org.spice.protocol.Capabilities;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.wire.BaseMessages;

/** The client's end of a linked channel: answers pings and acknowledges messages as the server asked. */
final class ClientConnection extends ChannelConnection implements ClientChannelContext {
    private final ClientSessionImpl session;
    /** What the channel's handler sends through; it moves to the destination's connection in a seamless migration. */
    volatile ClientEndpoint endpoint;
    /** Set by a MIGRATE that asks for MIGRATE_DATA, until it comes; on this connection's event loop only. */
    boolean awaitingMigrateData;
    /**
     * Completes with the first message from the server. spice-server attaches a channel to its worker thread
     * after the link and speaks first once attached; a client that closes before then can crash QEMU 7.2's
     * SPICE worker, so callers wait for this before closing a session they just opened.
     */
    final java.util.concurrent.CompletableFuture<Void> firstMessage = new java.util.concurrent.CompletableFuture<>();
    /** Whether a registered channel factory handles this channel (main always counts as handled). */
    volatile boolean handled = true;
    private long ackWindow;
    private long ackCountdown;

    ClientConnection(ClientSessionImpl session, Channel channel, int type, int id, Capabilities remoteCommon,
            Capabilities remoteChannel, boolean secure) {
        super(channel, type, id, remoteCommon, remoteChannel, secure);
        this.session = session;
    }

    @Override
    public ClientSession session() {
        return session;
    }

    /** The main channel heard nothing at all, not even a ping, for the session's server silence limit. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            close(Level.WARNING, "the server sent nothing for " + session.options().serverSilence().toSeconds()
                    + " s, not even a ping (it is stopped, or the network to it is gone)");
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    String peerWord() {
        return "to";
    }

    @Override
    public boolean canSend() {
        return true;
    }

    @Override
    void handleBase(int msgType, ByteBuf body) {
        switch (msgType) {
            case BaseMessages.SET_ACK -> {
                BaseMessages.SetAck a = BaseMessages.SetAck.decode(body);
                ackWindow = a.window();
                ackCountdown = a.window();
                write(new BaseMessages.AckSync(a.generation()));
            }
            case BaseMessages.PING -> {
                BaseMessages.Ping p = BaseMessages.Ping.decode(body);
                write(new BaseMessages.Pong(p.id(), p.timestamp()));
            }
            case BaseMessages.NOTIFY -> LOG.log(Level.INFO, describe() + ": "
                    + notifyText(BaseMessages.Notify.decode(body)));
            case BaseMessages.DISCONNECTING -> LOG.log(Level.INFO, describe() + ": server is disconnecting ("
                    + BaseMessages.Disconnecting.decode(body).reason().description() + ")");
            case BaseMessages.WAIT_FOR_CHANNELS -> {
                // Ordering across channels matters only for shared image caches, which the channel handlers
                // keep per session; the engine delivers each channel's messages in order already.
                BaseMessages.WaitForChannels.decode(body);
            }
            case BaseMessages.MIGRATE -> session.migrateChannel(this, BaseMessages.Migrate.decode(body).flags());
            case BaseMessages.MIGRATE_DATA -> session.migrateData(this, body);
            case BaseMessages.LIST -> throw new SpiceProtocolException(
                    "sub-message lists (type 8) are not supported; no current server sends them");
            default -> throw ChannelHandler.unknownMessage(this, msgType);
        }
    }

    /** As spice-gtk does: every message after SET_ACK counts, and each full window is acknowledged. */
    @Override
    void beforeMessage() {
        firstMessage.complete(null);
        if (ackCountdown > 0 && --ackCountdown == 0) {
            write(BaseMessages.ACK);
            ackCountdown = ackWindow;
        }
    }
}
