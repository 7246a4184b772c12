package org.spice.protocol.internal.main;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.EventExecutor;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.spi.AgentEndpoint;
import org.spice.protocol.spi.AgentHandler;
import org.spice.protocol.spi.ChannelEndpoint;
import org.spice.protocol.wire.AgentHeader;
import org.spice.protocol.wire.MainMessages;

/**
 * One main channel's VD_AGENT stream, in either role. Outgoing messages are cut into agent_data chunks of at most
 * {@value AgentHeader#MAX_DATA_SIZE} bytes, each message starting a chunk of its own (spice-server requires it),
 * and sent while the peer's tokens last: one token per chunk. Incoming chunks are counted against the window this
 * side granted (when it granted one), put back together, and handed to the {@link AgentHandler} whole.
 *
 * <p>Everything but {@link #send} runs on the main channel's executor.
 */
final class AgentLink implements AgentEndpoint {
    private static final System.Logger LOG = System.getLogger("org.spice.protocol.main");
    /**
     * Bytes that may wait for tokens; a message that would go past it is dropped with a log line. spice-server
     * stops reading its agent instead; an agent living in this process has nothing to stop, so it is bounded here.
     */
    static final long MAX_QUEUED = 128L << 20;

    private final ChannelEndpoint main;
    private final int dataType;
    private final AgentReassembler reassembler;
    /** Chunks the peer may still receive. */
    private volatile long sendTokens;
    /** The window granted to the peer, 0 for none (the peer may send without counting). */
    private final long recvWindow;
    /** How many consumed chunks make one agent_token message back. */
    private final long recvReturnBatch;
    private long recvTokens;
    private long recvFreed;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final ArrayDeque<Flush> flushes = new ArrayDeque<>();
    private volatile long queuedBytes;
    private long queuedChunks;
    private long sentChunks;
    private volatile boolean open = true;
    private AgentHandler handler;

    private record Flush(long chunk, CompletableFuture<Void> future) {
    }

    /**
     * @param dataType agent_data's type number in the sending direction
     * @param sendTokens the chunks the peer allows now
     * @param recvWindow the chunks granted to the peer (0: no flow control of what the peer sends)
     * @param recvReturnBatch consumed chunks returned to the peer at a time with agent_token
     */
    AgentLink(ChannelEndpoint main, int dataType, long sendTokens, long recvWindow, long recvReturnBatch,
            AgentReassembler.Framing framing) {
        this.main = main;
        this.dataType = dataType;
        this.sendTokens = sendTokens;
        this.recvWindow = recvWindow;
        this.recvReturnBatch = recvReturnBatch;
        this.recvTokens = recvWindow;
        this.reassembler = new AgentReassembler(framing, new AgentReassembler.Sink() {
            @Override
            public long limit(long type) {
                AgentHandler h = handler;
                return h == null || type > Integer.MAX_VALUE ? AgentHandler.DEFAULT_MAX_MESSAGE_SIZE
                        : h.maxMessageSize((int) type);
            }

            @Override
            public void message(AgentHeader header, byte[] body) {
                deliver(header, body);
            }

            @Override
            public void skipped(AgentHeader header, String reason) {
                LOG.log(Level.WARNING, describe() + ": agent message type " + header.type() + " dropped: " + reason);
            }
        });
    }

    /** Installs the agent's handler; messages before it are held by nobody, so call it before any arrive. */
    void start(AgentHandler h) {
        this.handler = h;
    }

    // ---- outgoing

    @Override
    public void send(int type, byte[] body) {
        if (main.executor() instanceof EventExecutor e && e.inEventLoop()) {
            queue(type, body);
        } else {
            main.executor().execute(() -> queue(type, body));
        }
    }

    private void queue(int type, byte[] body) {
        if (!open) {
            return;
        }
        if (queuedBytes + body.length > MAX_QUEUED) {
            LOG.log(Level.WARNING, describe() + ": agent message type " + type + " of " + body.length
                    + " bytes dropped: " + queuedBytes + " bytes already wait for the peer's tokens");
            return;
        }
        for (byte[] c : chunks(type, body)) {
            queue.add(c);
            queuedBytes += c.length;
            queuedChunks++;
        }
        pump();
    }

    /** A message as the chunks it travels in: the header and the body's start, then the rest of the body. */
    static List<byte[]> chunks(int type, byte[] body) {
        byte[] all = new byte[AgentHeader.SIZE + body.length];
        ByteBuf header = Unpooled.wrappedBuffer(all).writerIndex(0);
        AgentHeader.of(type, body.length).encode(header);
        System.arraycopy(body, 0, all, AgentHeader.SIZE, body.length);
        List<byte[]> out = new ArrayList<>();
        for (int at = 0; at < all.length; at += AgentHeader.MAX_DATA_SIZE) {
            out.add(Arrays.copyOfRange(all, at, Math.min(all.length, at + AgentHeader.MAX_DATA_SIZE)));
        }
        return out;
    }

    private void pump() {
        while (sendTokens > 0 && !queue.isEmpty() && main.isOpen()) {
            byte[] c = queue.poll();
            queuedBytes -= c.length;
            sendTokens--;
            sentChunks++;
            main.send(new MainMessages.AgentData(dataType, c));
        }
        while (!flushes.isEmpty() && flushes.peek().chunk() <= sentChunks) {
            flushes.poll().future().complete(null);
        }
    }

    /** agent_start (server) or agent_connected_tokens (client): the peer's allowance is now {@code n}. */
    void setSendTokens(long n) {
        sendTokens = n;
        pump();
    }

    /** agent_token: the peer consumed {@code n} more chunks. */
    void addSendTokens(long n) {
        sendTokens = Math.min(Long.MAX_VALUE / 2, sendTokens + n);
        pump();
    }

    long sendTokens() {
        return sendTokens;
    }

    @Override
    public long queuedBytes() {
        return queuedBytes;
    }

    @Override
    public CompletableFuture<Void> flushed() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        main.executor().execute(() -> {
            if (!open) {
                f.completeExceptionally(new IllegalStateException("the agent stream has ended"));
            } else if (sentChunks >= queuedChunks) {
                f.complete(null);
            } else {
                flushes.add(new Flush(queuedChunks, f));
            }
        });
        return f;
    }

    // ---- incoming

    /** One agent_data chunk from the peer; throws {@link SpiceProtocolException} for what ends the session. */
    void receive(ByteBuf chunk) {
        if (recvWindow > 0) {
            if (recvTokens <= 0) {
                throw new SpiceProtocolException("agent data beyond the " + recvWindow + " tokens granted");
            }
            recvTokens--;
        }
        reassembler.feed(chunk);
        if (recvWindow > 0 && ++recvFreed >= recvReturnBatch) {
            main.send(new MainMessages.Tokens(dataType == MainMessages.AGENT_DATA ? MainMessages.AGENT_TOKEN
                    : MainMessages.C_AGENT_TOKEN, recvFreed));
            recvTokens += recvFreed;
            recvFreed = 0;
        }
    }

    private void deliver(AgentHeader header, byte[] body) {
        AgentHandler h = handler;
        if (h == null || !open) {
            return;
        }
        try {
            h.onMessage((int) header.type(), header.opaque(), body);
        } catch (SpiceProtocolException e) {
            LOG.log(Level.WARNING, describe() + ": agent message type " + header.type() + " dropped: "
                    + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, describe() + ": the agent failed on message type " + header.type()
                    + "; message dropped", e);
        }
    }

    // ---- life

    /** The agent disconnected or the channel closed: the handler hears of it once, waiting flushes fail. */
    void close() {
        if (!open) {
            return;
        }
        open = false;
        queue.clear();
        queuedBytes = 0;
        Flush f;
        while ((f = flushes.poll()) != null) {
            f.future().completeExceptionally(new IllegalStateException("the agent stream has ended"));
        }
        AgentHandler h = handler;
        if (h != null) {
            try {
                h.onClose();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, describe() + ": the agent failed when its stream closed", e);
            }
        }
    }

    @Override
    public boolean isOpen() {
        return open && main.isOpen();
    }

    @Override
    public ScheduledExecutorService executor() {
        return main.executor();
    }

    @Override
    public String describe() {
        return main.describe() + " agent";
    }
}
