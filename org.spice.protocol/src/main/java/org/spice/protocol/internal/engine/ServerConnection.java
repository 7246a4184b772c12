package org.spice.protocol.internal.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import java.lang.System.Logger.Level;
import org.spice.protocol.Capabilities;
import org.spice.protocol.server.ServerSession;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.wire.BaseMessages;
import org.spice.protocol.wire.SpiceMessage;

/** The server's end of a linked channel, with the ack window spice-server keeps for bulk channels. */
final class ServerConnection extends ChannelConnection implements ServerChannelContext {
    /** The window spice-server announces (CLIENT_ACK_WINDOW). */
    static final int ACK_WINDOW = 20;

    private final ServerEngine engine;
    private final long connectionId;
    private final boolean ackWindow;
    private long unacked;
    private long ackGeneration;

    ServerConnection(ServerEngine engine, Channel channel, long connectionId, int type, int id,
            Capabilities remoteCommon, Capabilities remoteChannel, boolean secure, boolean ackWindow) {
        super(channel, type, id, remoteCommon, remoteChannel, secure);
        this.engine = engine;
        this.connectionId = connectionId;
        this.ackWindow = ackWindow;
    }

    /** Sends SET_ACK as spice-server does, before the channel's first own message. */
    void announceAckWindow() {
        if (ackWindow) {
            ackGeneration = 1;
            write(new BaseMessages.SetAck(ackGeneration, ACK_WINDOW));
        }
    }

    /** Sends a PING (counted in the ack window, as the client counts it), so that a silent peer has to answer. */
    void ping(long id) {
        write(new BaseMessages.Ping(id, System.nanoTime(), 0));
    }

    @Override
    public ServerSession session() {
        return engine;
    }

    @Override
    public long connectionId() {
        return connectionId;
    }

    @Override
    String peerWord() {
        return "from";
    }

    @Override
    void write(SpiceMessage message) {
        if (ackWindow) {
            unacked++;
        }
        super.write(message);
    }

    /**
     * Within the ack window, and with the outbound buffer below its high-water mark: the window counts messages,
     * and with messages of a megabyte (a display band) forty of them would wait for a client that stopped reading.
     */
    @Override
    public boolean canSend() {
        return !ackWindow || unacked < 2L * ACK_WINDOW && channel.isWritable();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        super.channelWritabilityChanged(ctx);
        if (ackWindow && channel.isWritable()) {
            // later, not now: Netty tells of writability from inside a write, which may be the handler's own
            // sending loop
            channel.eventLoop().execute(this::tellWritable);
        }
    }

    private void tellWritable() {
        if (isOpen() && canSend() && handler() != null) {
            handler().onWritable();
        }
    }

    @Override
    void handleBase(int msgType, ByteBuf body) {
        switch (msgType) {
            case BaseMessages.C_ACK_SYNC -> ackGeneration = BaseMessages.AckSync.decode(body).generation();
            case BaseMessages.C_ACK -> {
                boolean wasBlocked = !canSend();
                unacked = Math.max(0, unacked - ACK_WINDOW);
                if (wasBlocked && canSend() && handler() != null) {
                    handler().onWritable();
                }
            }
            // PeerWatch counts any byte from the peer as a sign of life; the PONG itself carries nothing we use
            case BaseMessages.C_PONG -> BaseMessages.Pong.decode(body);
            case BaseMessages.C_DISCONNECTING -> LOG.log(Level.INFO, describe() + ": client is disconnecting ("
                    + BaseMessages.Disconnecting.decode(body).reason().description() + ")");
            case BaseMessages.C_MIGRATE_FLUSH_MARK, BaseMessages.C_MIGRATE_DATA -> LOG.log(Level.WARNING,
                    describe() + ": migration message " + msgType + " ignored: this server does not migrate");
            default -> throw ChannelHandler.unknownMessage(this, msgType);
        }
    }
}
