package org.spice.protocol.internal.engine;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.ConnectException;
import java.net.URI;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.LinkError;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.client.LinkedChannel;
import org.spice.protocol.client.MainInfo;
import org.spice.protocol.client.SpiceLinkException;
import org.spice.protocol.internal.main.MainChannelClient;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.wire.BaseMessages;
import org.spice.protocol.wire.Link;
import org.spice.protocol.wire.LinkMess;
import org.spice.protocol.wire.MainMessages;

/**
 * One client session. Each channel is its own TCP (or TLS) connection; like remote-viewer, a channel that the
 * server refuses on the plaintext port with NEED_SECURED is tried again on the TLS port when one is known.
 *
 * <p>The session outlives its connections when the server migrates it with MIGRATE_SWITCH_HOST: every channel is
 * closed, main last, then main and the channels that were linked are linked again on the destination. The session
 * object (what channel consumers key their channels by) stays the same, {@link #closed} does not complete, and
 * consumers find the new channels where they found the old ones.
 *
 * <p>Semi-seamless migration (announced by main's capabilities, so spice-server prefers it) keeps the same picture
 * of the session: MIGRATE_BEGIN links main and every linked channel on the destination with this session's id (the
 * destination holds them until the client's MIGRATE_END), MIGRATE_CONNECTED tells the source; on the source's
 * MIGRATE_END the source's channels close and the destination's take their place, each with a new handler from its
 * factory, and MIGRATE_END on the destination's main starts them there.
 *
 * <p>Seamless migration keeps the channels' state as well: after MIGRATE_BEGIN_SEAMLESS and the destination's ACK,
 * each source channel's MIGRATE (with FLUSH_MARK and MIGRATE_DATA when asked) moves its handler, through its
 * {@link ClientEndpoint}, onto the destination's connection of the same channel, MIGRATE_DATA going there first.
 */
final class ClientSessionImpl implements ClientSession, MainChannelClient.Migration {
    /** As spice-gtk (built with SASL) announces them. */
    private static final Capabilities COMMON_CAPS = Capabilities.of(Link.CAP_PROTOCOL_AUTH_SELECTION,
            Link.CAP_AUTH_SPICE, Link.CAP_AUTH_SASL, Link.CAP_MINI_HEADER);
    /** Channel messages above this size are refused by the client too. */
    private static final long MAX_MESSAGE_SIZE = ServerEngine.MAX_MESSAGE_SIZE;
    /** How long a linked channel may stay silent before it counts as up anyway (some channels never speak). */
    private static final long FIRST_MESSAGE_GRACE_MS = 1500;
    /** How long closing waits for the other channels before it closes main. */
    static final long CLOSE_GRACE_MS = 1000;
    /**
     * The largest MIGRATE_DATA passed on. spice-server's are small (agent and device read buffers, cache ids, the
     * list of surfaces the client has), far below this.
     */
    static final int MAX_MIGRATE_DATA = 4 << 20;

    private static final System.Logger LOG = System.getLogger("org.spice.protocol.migration");

    private final ClientEngine engine;
    private final int localId;
    /** Where the session is connected: the URI it was opened with, or the host a migration moved it to. */
    private volatile SpiceUri uri;
    private volatile ClientOptions options;
    /** Set from MIGRATE_SWITCH_HOST until main has closed: main's close then reconnects instead of ending. */
    private volatile Switch switching;
    /** The semi-seamless migration under way, from MIGRATE_BEGIN to MIGRATE_END or MIGRATE_CANCEL. */
    private volatile Handover handover;
    /** Set on MIGRATE_END until main has closed: main's close then hands the session to the destination. */
    private volatile Handover handingOver;
    private final List<ClientConnection> connections = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile boolean closedByUser;
    /** Why the server or the network ended the session (the main channel's close reason), or null. */
    private volatile String lost;
    private volatile MainChannelClient main;
    /**
     * The least TCP connect round trip of the channels linked since the main channel last linked (the first connect
     * of a client pays for code run the first time); -1 before.
     */
    private volatile long roundTripNanos = -1;
    private final ReceivedBytes received = new ReceivedBytes();
    private SslContext ssl;
    private SslContext proxySsl;

    ClientSessionImpl(ClientEngine engine, int localId, SpiceUri uri, ClientOptions options) {
        this.engine = engine;
        this.localId = localId;
        this.uri = uri;
        this.options = options;
    }

    /** A channel to link again on the destination of a migration. */
    private record ChannelKey(int type, int id) {
    }

    /** A move to another host: where to, and the channels linked at the source. */
    private record Switch(LinkTarget target, List<ChannelKey> relink) {
    }

    CompletableFuture<ClientSession> start() {
        CompletableFuture<ClientSession> f = linkMain()
                .thenCompose(info -> options.connectChannels() ? linkHandled(info) : CompletableFuture.completedFuture(null))
                .thenApply(x -> (ClientSession) this)
                .orTimeout(options.timeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        return f.whenComplete((s, t) -> {
            if (t != null) {
                close();
            }
        }).exceptionallyCompose(t -> CompletableFuture.failedFuture(explain(t)));
    }

    /**
     * Links main; {@link #main} is the new main channel from its creation on the first link, and from its channel
     * list on after a migration (until then the old one answers {@link #main()}, so consumers never see none).
     */
    private CompletableFuture<MainInfo> linkMain() {
        MainChannelClient[] made = new MainChannelClient[1];
        return linkChannel(ChannelType.MAIN, 0, 0, MainChannelClient.CAPABILITIES, conn -> {
            MainChannelClient m = new MainChannelClient(new ClientEndpoint(this, conn), engine.agents, this);
            made[0] = m;
            if (main == null) {
                main = m;
            }
            return m;
        }).thenCompose(conn -> made[0].ready).thenApply(info -> {
            main = made[0];
            return info;
        });
    }

    /** MIGRATE_SWITCH_HOST, on main's thread: checks the destination, then closes every channel to reconnect. */
    @Override
    public void switchHost(MainMessages.DstInfo d) {
        ClientConnection mainConn = connection(ChannelType.MAIN);
        String who = mainConn == null ? "main:0" : mainConn.describe();
        if (switching != null || handingOver != null || closed.isDone()) {
            LOG.log(System.Logger.Level.WARNING, who + ": MIGRATE_SWITCH_HOST ignored: the session is already "
                    + (closed.isDone() ? "closed" : "moving"));
            return;
        }
        Handover h = handover;
        if (h != null) {
            handover = null;
            h.abort("the server switches the session to another host instead");
        }
        LinkTarget target;
        try {
            target = LinkTarget.of(d, uri, options);
        } catch (SpiceProtocolException e) {
            LOG.log(System.Logger.Level.WARNING, who + ": MIGRATE_SWITCH_HOST refused, the session stays: "
                    + e.getMessage());
            return;
        }
        List<ChannelKey> relink = new ArrayList<>();
        for (ClientConnection c : connections) {
            if (c.channelType() != ChannelType.MAIN) {
                relink.add(new ChannelKey(c.channelType(), c.channelId()));
            }
        }
        LOG.log(System.Logger.Level.INFO, who + ": the server moves this session to " + target.uri()
                + (target.options().hostSubject() != null ? " (certificate subject " + target.options().hostSubject()
                + ")" : "") + "; reconnecting " + (relink.size() + 1) + " channels there");
        switching = new Switch(target, relink);
        closeAll("the session moves to " + target.uri());
    }

    @Override
    public void begin(MainMessages.DstInfo d) {
        begin(d, -1);
    }

    @Override
    public void beginSeamless(MainMessages.DstInfo d, long sourceVersion) {
        begin(d, sourceVersion);
    }

    /**
     * MIGRATE_BEGIN, or with a {@code sourceVersion} MIGRATE_BEGIN_SEAMLESS: links main on the destination, asks it
     * for a seamless migration (MIGRATE_DST_DO_SEAMLESS) when the source offers one, then links every other channel
     * (held there until the migration ends), and tells the source how it went. A destination that answers NACK gets
     * a semi-seamless migration instead, as spice-gtk does. Each destination connection runs on the event loop of
     * the source connection it replaces, so a channel moved seamlessly keeps its handler on one thread.
     */
    private void begin(MainMessages.DstInfo d, long sourceVersion) {
        boolean trySeamless = sourceVersion >= 0;
        String what = trySeamless ? "MIGRATE_BEGIN_SEAMLESS" : "MIGRATE_BEGIN";
        ClientConnection src = connection(ChannelType.MAIN);
        String who = src == null ? "main:0" : src.describe();
        if (src == null || handover != null || switching != null || handingOver != null || closed.isDone()) {
            LOG.log(System.Logger.Level.WARNING, who + ": " + what + " refused: a migration is already under way"
                    + " or the session is closing");
            if (src != null) {
                src.send(MainMessages.MIGRATE_CONNECT_ERROR);
            }
            return;
        }
        LinkTarget target;
        try {
            target = LinkTarget.of(d, uri, options);
        } catch (SpiceProtocolException e) {
            LOG.log(System.Logger.Level.WARNING, who + ": " + what + " refused, the session stays: " + e.getMessage());
            src.send(MainMessages.MIGRATE_CONNECT_ERROR);
            return;
        }
        Handover h = new Handover(target);
        handover = h;
        long sessionId = main.info().sessionId();
        List<ClientConnection> others = new ArrayList<>();
        for (ClientConnection c : connections) {
            if (c.channelType() != ChannelType.MAIN) {
                others.add(c);
            }
        }
        LOG.log(System.Logger.Level.INFO, who + ": the server migrates this session to " + target.uri()
                + (trySeamless ? " (seamless offered, source version " + sourceVersion + ")" : " (semi-seamless)")
                + "; linking " + (others.size() + 1) + " channels there");
        linkChannel(target, h, src.channel.eventLoop(), ChannelType.MAIN, 0, sessionId, MainChannelClient.CAPABILITIES,
                null)
                .thenCompose(m -> trySeamless ? h.askSeamless(m, sourceVersion) : CompletableFuture.completedFuture(false))
                .thenCompose(seamless -> CompletableFuture.allOf(others.stream().map(c -> linkChannel(target, h,
                        c.channel.eventLoop(), c.channelType(), c.channelId(), sessionId, capabilities(c.channelType()),
                        null)).toArray(CompletableFuture[]::new)).thenApply(v -> seamless))
                .orTimeout(options.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((seamless, t) -> {
                    if (handover != h) {
                        h.abort("the migration ended before the destination was linked");
                    } else if (t != null || h.broken) {
                        handover = null;
                        String why = t != null ? explain(t).getMessage() : "it closed a channel";
                        LOG.log(System.Logger.Level.WARNING, who + ": cannot link the migration destination "
                                + target.uri() + ": " + why + "; told the server (MIGRATE_CONNECT_ERROR)");
                        h.abort("the destination could not be linked");
                        src.send(MainMessages.MIGRATE_CONNECT_ERROR);
                    } else {
                        h.seamless = seamless;
                        h.ready = true;
                        if (trySeamless && !seamless) {
                            LOG.log(System.Logger.Level.INFO, who + ": the destination refused a seamless migration"
                                    + " (MIGRATE_DST_SEAMLESS_NACK); semi-seamless instead");
                        }
                        LOG.log(System.Logger.Level.INFO, who + ": linked to the migration destination "
                                + target.uri() + (seamless ? " (seamless)" : " (semi-seamless)")
                                + "; waiting for the end of the migration");
                        src.send(seamless ? MainMessages.MIGRATE_CONNECTED_SEAMLESS : MainMessages.MIGRATE_CONNECTED);
                    }
                });
    }

    @Override
    public void end() {
        Handover h = handover;
        if (h == null || !h.ready) {
            LOG.log(System.Logger.Level.WARNING, "MIGRATE_END ignored: no destination is linked (no MIGRATE_BEGIN,"
                    + " or it is still linking, or linking failed)");
            return;
        }
        if (h.seamless) {
            LOG.log(System.Logger.Level.WARNING, "MIGRATE_END ignored: the migration is seamless, the source moves"
                    + " each channel with MIGRATE");
            return;
        }
        handover = null;
        if (h.broken) {
            LOG.log(System.Logger.Level.WARNING, "MIGRATE_END: the destination closed a channel before it; the"
                    + " session stays on the source");
            h.abort("the destination closed a channel before the end of the migration");
            return;
        }
        LOG.log(System.Logger.Level.INFO, "MIGRATE_END: the session moves to " + h.target.uri());
        handingOver = h;
        closeAll("the session moves to " + h.target.uri());
    }

    @Override
    public void cancel() {
        Handover h = handover;
        handover = null;
        if (h == null) {
            LOG.log(System.Logger.Level.WARNING, "MIGRATE_CANCEL ignored: no migration is under way");
            return;
        }
        LOG.log(System.Logger.Level.INFO, "MIGRATE_CANCEL: the migration to " + h.target.uri() + " failed; the"
                + " session stays");
        h.abort("the server cancelled the migration");
    }

    private Capabilities capabilities(int type) {
        ClientChannelFactory f = engine.factories.apply(type);
        return f == null ? Capabilities.NONE : f.channelCapabilities();
    }

    /** MIGRATE on a channel of this session, on its thread: the seamless migration moves it. */
    void migrateChannel(ClientConnection src, long flags) {
        Handover h = handover;
        if (h == null || !h.ready || !h.seamless) {
            LOG.log(System.Logger.Level.WARNING, src.describe() + ": MIGRATE ignored: no seamless migration is"
                    + " under way");
            return;
        }
        h.started(src);
        ClientConnection dst = h.destination(src);
        if (dst == null) {
            src.close("MIGRATE for a channel the migration destination has not linked");
            return;
        }
        if ((flags & BaseMessages.MIGRATE_NEED_FLUSH) != 0) {
            // hold first: from the flush mark on, what the handler sends belongs to the destination
            ClientEndpoint ep = src.endpoint;
            if (ep != null) {
                ep.hold();
            }
            src.send(BaseMessages.MIGRATE_FLUSH_MARK);
        }
        if ((flags & BaseMessages.MIGRATE_NEED_DATA_TRANSFER) != 0) {
            src.awaitingMigrateData = true;
        } else {
            h.move(src, dst, null);
        }
    }

    /**
     * MIGRATE_DATA on a channel of this session, on its thread: after a MIGRATE that asked for it, the channel moves
     * to the destination with these bytes; anything else is a protocol error that closes this channel.
     */
    void migrateData(ClientConnection src, io.netty.buffer.ByteBuf body) {
        int size = body.readableBytes();
        if (size > MAX_MIGRATE_DATA) {
            throw new SpiceProtocolException("MIGRATE_DATA of " + size + " bytes exceeds the limit of "
                    + MAX_MIGRATE_DATA);
        }
        if (!src.awaitingMigrateData) {
            throw new SpiceProtocolException("MIGRATE_DATA out of order: no MIGRATE asked for it on this channel");
        }
        src.awaitingMigrateData = false;
        Handover h = handover;
        ClientConnection dst = h == null || !h.seamless ? null : h.destination(src);
        if (dst == null) {
            throw new SpiceProtocolException("MIGRATE_DATA for a channel no migration destination has linked");
        }
        byte[] data = new byte[size];
        body.readBytes(data);
        h.move(src, dst, data);
    }

    /** The handler a source connection keeps once its channel moved: the source has nothing more to say. */
    private static final ChannelHandler MOVED = (type, body) -> body.skipBytes(body.readableBytes());

    /**
     * A migration's destination: its connections, linked on MIGRATE_BEGIN(_SEAMLESS), each with a handler that keeps
     * what arrives (a bounded amount) until the channel's handler takes over. Semi-seamless: on MIGRATE_END
     * {@link #takeOver} gives each a new handler from its factory. Seamless: each source channel's MIGRATE (and
     * MIGRATE_DATA) {@link #move}s its live handler to the destination's connection.
     */
    private final class Handover {
        /** More than spice-server ever sends a held channel; beyond it the destination is not trusted. */
        private static final int MAX_PARKED_BYTES = 1 << 20;
        final LinkTarget target;
        final List<ClientConnection> linked = new CopyOnWriteArrayList<>();
        final java.util.Map<ClientConnection, Parked> parked = new java.util.concurrent.ConcurrentHashMap<>();
        /** The destination's answer to MIGRATE_DST_DO_SEAMLESS: true for ACK. */
        final CompletableFuture<Boolean> seamlessAnswer = new CompletableFuture<>();
        final Set<ClientConnection> moved = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final java.util.concurrent.atomic.AtomicBoolean timing = new java.util.concurrent.atomic.AtomicBoolean();
        final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        /** The source's main connection once main moved: it closes last, when every channel has moved. */
        volatile ClientConnection sourceMain;
        volatile boolean ready;
        volatile boolean seamless;
        volatile boolean broken;
        volatile boolean taken;
        /** Set once the handover is given up: connections that finish linking afterwards are closed at once. */
        volatile boolean aborted;

        Handover(LinkTarget target) {
            this.target = target;
        }

        /** On the connection's thread, from install: held until the takeover. */
        void linked(ClientConnection conn) {
            linked.add(conn);
            Parked p = new Parked(conn.channelType() == ChannelType.MAIN ? this::seamlessAnswer : t -> false);
            parked.put(conn, p);
            conn.start(p, () -> {
                if (!taken && !moved.contains(conn)) {
                    broken = true;
                }
            });
            if (aborted) {
                conn.close("the migration was given up while this channel linked");
            }
        }

        /** MIGRATE_DST_DO_SEAMLESS on the destination's main; its ACK or NACK completes the answer. */
        CompletableFuture<Boolean> askSeamless(ClientConnection dstMain, long sourceVersion) {
            dstMain.send(new MainMessages.MigrateDstDoSeamless(sourceVersion));
            return seamlessAnswer;
        }

        private boolean seamlessAnswer(int type) {
            if (type == MainMessages.MIGRATE_DST_SEAMLESS_ACK || type == MainMessages.MIGRATE_DST_SEAMLESS_NACK) {
                if (!seamlessAnswer.complete(type == MainMessages.MIGRATE_DST_SEAMLESS_ACK)) {
                    LOG.log(System.Logger.Level.WARNING, "the migration destination answered MIGRATE_DST_DO_SEAMLESS"
                            + " again (message " + type + "); ignored");
                }
                return true;
            }
            return false;
        }

        /** The destination's connection for a source channel, or null (logged) when none was linked. */
        ClientConnection destination(ClientConnection src) {
            for (ClientConnection c : linked) {
                if (c.channelType() == src.channelType() && c.channelId() == src.channelId() && !moved.contains(c)) {
                    return c;
                }
            }
            LOG.log(System.Logger.Level.WARNING, src.describe() + ": the migration destination has no "
                    + ChannelType.name(src.channelType()) + ":" + src.channelId() + " channel to move it to");
            return null;
        }

        /** The first channel MIGRATE starts the clock: channels not moved within the session's timeout close. */
        void started(ClientConnection src) {
            if (timing.compareAndSet(false, true)) {
                long ms = options.timeout().toMillis();
                src.executor().schedule(() -> expire(ms), ms, TimeUnit.MILLISECONDS);
            }
        }

        private void expire(long ms) {
            if (finished.get() || aborted) {
                return;
            }
            LOG.log(System.Logger.Level.WARNING, "the seamless migration to " + target.uri() + " did not move every"
                    + " channel within " + ms + " ms; closing the channels left behind");
            abort("the source did not move this channel within " + ms + " ms");
            for (ClientConnection c : connections) {
                if (!moved.contains(c)) {
                    c.close("the source did not move this channel to " + target.uri() + " within " + ms + " ms");
                }
            }
            finish();
        }

        /**
         * On the channel's thread (the source's and the destination's are one): the channel's handler and endpoint
         * go on over {@code dst}, which gets the source's migration data first, then what the handler sent since
         * the flush mark, and then the handler hears what the destination sent while it was held.
         */
        void move(ClientConnection src, ClientConnection dst, byte[] data) {
            ChannelHandler handler = src.handler();
            ClientEndpoint ep = src.endpoint;
            src.start(MOVED, () -> connections.remove(src));
            connections.remove(src);
            boolean isMain = src.channelType() == ChannelType.MAIN;
            if (!dst.isOpen()) {
                LOG.log(System.Logger.Level.WARNING, dst.describe() + " closed before its channel moved there");
                src.close("the migration destination closed this channel");
                handler.onClose();
                if (isMain) {
                    closed.completeExceptionally(new SpiceProtocolException("the migration destination "
                            + target.uri() + " closed main before the session moved there"));
                    close();
                }
                return;
            }
            synchronized (this) {
                // together, so that whichever channel moves last sees the source's main to close
                moved.add(dst);
                if (isMain) {
                    sourceMain = src;
                }
            }
            if (data != null) {
                dst.send(new BaseMessages.MigrateData(BaseMessages.C_MIGRATE_DATA, data));
            }
            dst.handled = src.handled;
            connections.add(dst);
            dst.start(handler, () -> detached(dst));
            if (ep != null) {
                ep.moveTo(dst);
            }
            parked.get(dst).replay(dst, handler);
            LOG.log(System.Logger.Level.INFO, dst.describe() + ": the channel moved here (seamless"
                    + (data != null ? ", " + data.length + " bytes of migration data" : "") + ")");
            if (!isMain) {
                src.close("the channel moved to " + target.uri());
            }
            boolean all;
            synchronized (this) {
                all = moved.size() == linked.size();
            }
            if (all) {
                finish();
            }
        }

        private void finish() {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            ClientConnection m;
            synchronized (this) {
                m = sourceMain;
            }
            if (handover == this) {
                handover = null;
            }
            synchronized (ClientSessionImpl.this) {
                uri = target.uri();
                options = target.options();
                ssl = null;
            }
            if (m != null) {
                LOG.log(System.Logger.Level.INFO, "main:0 the session moved here (seamless): " + target.uri());
                m.close("the session moved to " + target.uri());
            }
        }

        void abort(String why) {
            aborted = true;
            for (ClientConnection c : linked) {
                if (!moved.contains(c)) {
                    c.close(why);
                }
            }
            for (ClientConnection c : connections) {
                ClientEndpoint ep = c.endpoint;
                if (ep != null && ep.connection() == c) {
                    ep.moveTo(c); // what a channel held for the destination goes where it is
                }
            }
        }

        /** After the source's main closed: the destination's connections become the session's channels. */
        void takeOver() {
            taken = true;
            synchronized (ClientSessionImpl.this) {
                uri = target.uri();
                options = target.options();
                ssl = null;
            }
            for (ClientConnection c : linked) {
                c.executor().execute(() -> take(c));
            }
        }

        private void take(ClientConnection c) {
            if (!c.isOpen()) {
                LOG.log(System.Logger.Level.WARNING, c.describe() + " closed before the migration ended");
                if (c.channelType() == ChannelType.MAIN) {
                    closed.completeExceptionally(new SpiceProtocolException("the migration destination "
                            + target.uri() + " closed main before the migration ended"));
                    close();
                }
                return;
            }
            ChannelHandler handler;
            if (c.channelType() == ChannelType.MAIN) {
                MainChannelClient m = new MainChannelClient(new ClientEndpoint(ClientSessionImpl.this, c),
                        engine.agents, ClientSessionImpl.this);
                m.ready.thenAccept(info -> main = m);
                handler = m;
            } else {
                ClientChannelFactory f = engine.factories.apply(c.channelType());
                c.handled = f != null;
                handler = f == null ? new Unhandled(c) : f.open(new ClientEndpoint(ClientSessionImpl.this, c));
            }
            connections.add(c);
            c.start(handler, () -> detached(c));
            parked.get(c).replay(c, handler);
            if (c.channelType() == ChannelType.MAIN) {
                c.send(MainMessages.CLIENT_MIGRATE_END);
                LOG.log(System.Logger.Level.INFO, c.describe() + ": the session moved here (semi-seamless)");
            }
        }
    }

    /**
     * What a held destination channel received before the takeover, at most {@link Handover#MAX_PARKED_BYTES};
     * messages {@code answers} takes (the destination's answer to a seamless request) are not kept.
     */
    private static final class Parked implements ChannelHandler {
        private record Held(int type, byte[] body) {
        }

        private final java.util.function.IntPredicate answers;
        private final List<Held> messages = new ArrayList<>();
        private long bytes;

        Parked(java.util.function.IntPredicate answers) {
            this.answers = answers;
        }

        @Override
        public void onMessage(int type, io.netty.buffer.ByteBuf body) {
            if (answers.test(type)) {
                body.skipBytes(body.readableBytes());
                return;
            }
            bytes += body.readableBytes();
            if (bytes > Handover.MAX_PARKED_BYTES) {
                throw new SpiceProtocolException("the migration destination sent more than "
                        + Handover.MAX_PARKED_BYTES + " bytes before the migration ended");
            }
            byte[] b = new byte[body.readableBytes()];
            body.readBytes(b);
            messages.add(new Held(type, b));
        }

        /** Hands what was held to the channel's handler, on its thread; a message it refuses closes the channel. */
        void replay(ClientConnection conn, ChannelHandler to) {
            try {
                for (Held m : messages) {
                    to.onMessage(m.type(), io.netty.buffer.Unpooled.wrappedBuffer(m.body()));
                }
            } catch (RuntimeException e) {
                conn.close("a message held during the migration was refused: " + e.getMessage());
            }
            messages.clear();
        }
    }

    /** After main closed for a switch: links main on the destination, then the channels linked before. */
    private void reconnect(Switch s) {
        synchronized (this) {
            uri = s.target().uri();
            options = s.target().options();
            ssl = null; // its host name check depends on whether a certificate subject is expected
        }
        switching = null;
        linkMain().orTimeout(options.timeout().toMillis() * 2, TimeUnit.MILLISECONDS).whenComplete((info, t) -> {
            if (t != null) {
                Throwable why = explain(t);
                LOG.log(System.Logger.Level.WARNING, "the session could not follow the migration to " + uri + ": "
                        + why.getMessage());
                closed.completeExceptionally(new SpiceProtocolException("the session could not follow the"
                        + " migration to " + uri + ": " + why.getMessage()));
                close();
                return;
            }
            java.util.Set<ChannelKey> keys = new java.util.LinkedHashSet<>(s.relink());
            if (options.connectChannels()) {
                for (var c : info.channels()) {
                    if (engine.factories.apply(c.type()) != null) {
                        keys.add(new ChannelKey(c.type(), c.id()));
                    }
                }
            }
            LOG.log(System.Logger.Level.INFO, "main:0 linked to " + uri + " after the migration; linking "
                    + keys.size() + " channels");
            for (ChannelKey k : keys) {
                if (info.channels().stream().noneMatch(c -> c.type() == k.type() && c.id() == k.id())) {
                    LOG.log(System.Logger.Level.WARNING, "the migration destination offers no "
                            + ChannelType.name(k.type()) + ":" + k.id() + " channel");
                    continue;
                }
                link(k.type(), k.id()).whenComplete((l, e) -> {
                    if (e != null) {
                        LOG.log(System.Logger.Level.WARNING, ChannelType.name(k.type()) + ":" + k.id()
                                + " did not link to " + uri + " after the migration: " + explain(e).getMessage());
                    }
                });
            }
        });
    }

    private Throwable explain(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (c instanceof TimeoutException) {
            return new TimeoutException("no complete answer from " + uri + " within " + options.timeout()
                    .multipliedBy(2).toSeconds() + " s");
        }
        return c;
    }

    /** Links every listed channel that a registered factory handles. */
    private CompletableFuture<Void> linkHandled(MainInfo info) {
        List<CompletableFuture<LinkedChannel>> all = new ArrayList<>();
        for (var c : info.channels()) {
            if (engine.factories.apply(c.type()) != null) {
                all.add(link(c.type(), c.id()));
            }
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    @Override
    public CompletableFuture<LinkedChannel> link(int type, int id) {
        MainChannelClient m = main;
        if (m == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the main channel is not linked"));
        }
        ClientChannelFactory f = engine.factories.apply(type);
        Capabilities caps = f == null ? Capabilities.NONE : f.channelCapabilities();
        long connectionId = m.info().sessionId();
        return linkChannel(type, id, connectionId, caps, conn -> {
            conn.handled = f != null;
            return f == null ? new Unhandled(conn) : f.open(new ClientEndpoint(this, conn));
        })
                .thenCompose(conn -> conn.firstMessage.completeOnTimeout(null, FIRST_MESSAGE_GRACE_MS,
                        TimeUnit.MILLISECONDS).thenApply(x -> describe(conn)));
    }

    private static LinkedChannel describe(ClientConnection c) {
        return new LinkedChannel(c.channelType(), c.channelId(), c.remoteCommonCaps(), c.remoteChannelCaps(),
                c.secure, c.handled);
    }

    /**
     * The handler of a linked channel that no bundle handles (yet): the server may still send on it, so its
     * messages are counted and dropped, and the first one is logged so the gap is visible.
     */
    private static final class Unhandled implements ChannelHandler {
        private final ClientConnection conn;
        private long dropped;

        Unhandled(ClientConnection conn) {
            this.conn = conn;
        }

        @Override
        public void onMessage(int type, io.netty.buffer.ByteBuf body) {
            if (dropped++ == 0) {
                ChannelConnection.LOG.log(System.Logger.Level.INFO, conn.describe() + ": no installed bundle"
                        + " handles this channel; its messages are dropped (first: type " + type + ")");
            }
        }

        @Override
        public void onClose() {
            if (dropped > 0) {
                ChannelConnection.LOG.log(System.Logger.Level.DEBUG, conn.describe() + ": dropped " + dropped
                        + " messages");
            }
        }
    }

    private CompletableFuture<ClientConnection> linkChannel(int type, int id, long connectionId, Capabilities caps,
            Function<ClientConnection, ChannelHandler> open) {
        return linkChannel(new LinkTarget(uri, options), null, null, type, id, connectionId, caps, open);
    }

    /**
     * Links one channel at {@code at}; with a {@code handover} the connection is the destination's of a
     * semi-seamless migration, kept by the handover until MIGRATE_END instead of joining this session's channels.
     */
    private CompletableFuture<ClientConnection> linkChannel(LinkTarget at, Handover handover, EventLoop loop, int type,
            int id, long connectionId, Capabilities caps, Function<ClientConnection, ChannelHandler> open) {
        LinkMess request = new LinkMess(connectionId, type, id, COMMON_CAPS, caps);
        if (at.uri().port() < 0) {
            return attempt(at, handover, loop, request, true, open);
        }
        return attempt(at, handover, loop, request, false, open).exceptionallyCompose(t -> {
            Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
            if (c instanceof SpiceLinkException e && e.error() == LinkError.NEED_SECURED) {
                if (at.uri().tlsPort() > 0) {
                    return attempt(at, handover, loop, request, true, open);
                }
                return CompletableFuture.failedFuture(new SpiceLinkException(LinkError.NEED_SECURED, "the server"
                        + " requires TLS for the " + ChannelType.name(type) + " channel (NEED_SECURED); connect"
                        + " with spice+tls://HOST:TLSPORT or add ?tls-port=TLSPORT"));
            }
            return CompletableFuture.failedFuture(c);
        });
    }

    private CompletableFuture<ClientConnection> attempt(LinkTarget at, Handover handover, EventLoop loop,
            LinkMess request, boolean tls, Function<ClientConnection, ChannelHandler> open) {
        SpiceUri uri = at.uri();
        ClientOptions options = at.options();
        int port = tls ? uri.tlsPort() : uri.port();
        String where = uri.host() + ":" + port + (tls ? " (tls)" : "");
        URI proxy = options.proxy();
        SslContext sslContext;
        SslContext proxyTls;
        try {
            sslContext = tls ? sslContext(options) : null;
            proxyTls = proxy != null && "https".equalsIgnoreCase(proxy.getScheme()) ? proxySslContext() : null;
        } catch (SSLException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<ClientConnection> result = new CompletableFuture<>();
        Bootstrap b = new Bootstrap().group(loop != null ? loop : engine.group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.timeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ConnectTimer timer = new ConnectTimer();
                        ch.pipeline().addLast("received-bytes", received);
                        ch.pipeline().addLast("connect-timer", timer);
                        ClientLinkHandler link = new ClientLinkHandler(request, options, uri.host(), tls,
                                linkedReply -> install(ch, handover, request, linkedReply, tls, open,
                                        timer.roundTripNanos()));
                        if (proxy != null) {
                            if (proxyTls != null) {
                                ch.pipeline().addLast(HttpConnectHandler.PROXY_TLS,
                                        proxyTls.newHandler(ch.alloc(), proxy.getHost(), proxyPort(proxy)));
                            }
                            ch.pipeline().addLast("proxy", new HttpConnectHandler(proxy, uri.host(), port));
                        }
                        if (sslContext != null) {
                            SslHandler h = sslContext.newHandler(ch.alloc(), uri.host(), port);
                            ch.pipeline().addLast("tls", h);
                            if (options.hostSubject() != null) {
                                h.handshakeFuture().addListener(f -> {
                                    if (f.isSuccess()) {
                                        checkSubject(h, link, ch, options.hostSubject());
                                    }
                                });
                            }
                        }
                        ch.pipeline().addLast("link", link);
                        link.result.whenComplete((c, t) -> {
                            if (t == null) {
                                result.complete(c);
                            } else {
                                result.completeExceptionally(t instanceof SSLException
                                        ? new SSLException("TLS with " + where + " failed: " + t.getMessage(), t) : t);
                            }
                        });
                    }
                });
        // Through a proxy only the proxy's name is resolved here; the SPICE host goes to it as written.
        ChannelFuture cf = proxy == null ? b.connect(uri.host(), port) : b.connect(proxy.getHost(), proxyPort(proxy));
        cf.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new ConnectException("cannot connect to " + (proxy == null ? where
                        : "the proxy " + proxy.getHost() + ":" + proxyPort(proxy) + " (for " + where + ")") + ": "
                        + f.cause().getMessage()));
            }
        });
        return result;
    }

    private ClientConnection install(Channel ch, Handover handover, LinkMess request, ClientLinkHandler.Linked l,
            boolean tls, Function<ClientConnection, ChannelHandler> open, long connectRoundTripNanos) {
        ch.pipeline().addLast("frames", new MessageFrameDecoder(l.mini(), MAX_MESSAGE_SIZE));
        ch.pipeline().addLast("encoder", new MessageFrameEncoder(l.mini()));
        ClientConnection conn = new ClientConnection(this, ch, request.channelType(), request.channelId(),
                l.reply().commonCaps(), l.reply().channelCaps(), tls);
        timed(request.channelType() == ChannelType.MAIN, connectRoundTripNanos);
        ch.pipeline().addLast("channel", conn);
        if (request.channelType() == ChannelType.MAIN) {
            // servers ping an idle main channel; nothing at all for this long means the server is stopped or gone
            long silence = options().serverSilence().toMillis();
            ch.pipeline().addBefore("frames", "server-silence", new IdleStateHandler(silence, 0, 0,
                    TimeUnit.MILLISECONDS));
        }
        if (handover != null) {
            handover.linked(conn);
            return conn;
        }
        connections.add(conn);
        conn.start(open.apply(conn), () -> detached(conn));
        if (closed.isDone()) {
            conn.close("its session was closed while it linked");
        }
        return conn;
    }

    /** Keeps the least connect round trip since the main channel linked ({@code main}: a new one, maybe elsewhere). */
    private synchronized void timed(boolean main, long connectRoundTripNanos) {
        if (main) {
            roundTripNanos = connectRoundTripNanos;
        } else if (connectRoundTripNanos >= 0 && (roundTripNanos < 0 || connectRoundTripNanos < roundTripNanos)) {
            roundTripNanos = connectRoundTripNanos;
        }
    }

    private void detached(ClientConnection conn) {
        connections.remove(conn);
        if (conn.channelType() == ChannelType.MAIN) {
            for (ClientConnection c : connections) {
                c.close("the main channel closed");
            }
            Switch s = switching;
            Handover h = handingOver;
            if (h != null && !closed.isDone()) {
                handingOver = null;
                h.takeOver();
            } else if (s != null && !closed.isDone()) {
                reconnect(s);
            } else {
                Handover pending = handover;
                handover = null;
                if (pending != null) {
                    pending.abort("the session ended");
                }
                if (!closedByUser) {
                    lost = conn.closeReason();
                }
                closed.complete(null);
            }
        }
    }

    private static void checkSubject(SslHandler h, ClientLinkHandler link, Channel ch, String expected) {
        try {
            Certificate[] chain = h.engine().getSession().getPeerCertificates();
            String actual = ((X509Certificate) chain[0]).getSubjectX500Principal().getName();
            if (!rdns(actual).equals(rdns(expected))) {
                link.result.completeExceptionally(new SSLPeerUnverifiedException("the server certificate's subject "
                        + actual + " is not the expected " + expected));
                ch.close();
            }
        } catch (SSLPeerUnverifiedException | InvalidNameException e) {
            link.result.completeExceptionally(new SSLPeerUnverifiedException("cannot check the server"
                    + " certificate's subject: " + e.getMessage()));
            ch.close();
        }
    }

    /** The subject's attributes as a set, since spice-gtk writes them in the opposite order to RFC 2253. */
    static Set<Rdn> rdns(String subject) throws InvalidNameException {
        return new HashSet<>(new LdapName(subject.replace(", ", ",")).getRdns());
    }

    /** The TLS context for {@code o}: the session's, made once, or a migration destination's own. */
    private synchronized SslContext sslContext(ClientOptions o) throws SSLException {
        if (o != options) {
            return newSslContext(o);
        }
        if (ssl == null) {
            ssl = newSslContext(o);
        }
        return ssl;
    }

    private static SslContext newSslContext(ClientOptions o) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forClient();
        if (o.caFile() != null) {
            b.trustManager(o.caFile().toFile());
        }
        // The subject check replaces the host name check, as in remote-viewer's host-subject option.
        b.endpointIdentificationAlgorithm(o.hostSubject() == null ? "HTTPS" : null);
        return b.build();
    }

    /** A proxy URI without a port means 3128, the port of Squid and of Proxmox's spiceproxy. */
    static int proxyPort(URI proxy) {
        return proxy.getPort() > 0 ? proxy.getPort() : 3128;
    }

    private synchronized SslContext proxySslContext() throws SSLException {
        if (proxySsl == null) {
            SslContextBuilder b = SslContextBuilder.forClient();
            if (options.caFile() != null) {
                b.trustManager(options.caFile().toFile());
            }
            b.endpointIdentificationAlgorithm("HTTPS");
            proxySsl = b.build();
        }
        return proxySsl;
    }

    /** The open connection of a channel type, for tests and tools in this package; null when none. */
    ClientConnection connection(int type) {
        return connections.stream().filter(c -> c.channelType() == type).findFirst().orElse(null);
    }

    void closeChannels(int type, String reason) {
        for (ClientConnection c : connections) {
            if (c.channelType() == type) {
                c.close(reason);
            }
        }
    }

    @Override
    public int localId() {
        return localId;
    }

    @Override
    public SpiceUri uri() {
        return uri;
    }

    @Override
    public MainInfo main() {
        MainChannelClient m = main;
        return m == null ? null : m.info();
    }

    @Override
    public long roundTripNanos() {
        return roundTripNanos;
    }

    @Override
    public long bytesReceived() {
        return received.total();
    }

    @Override
    public long multiMediaTime() {
        MainChannelClient m = main;
        return m == null ? -1 : m.multiMediaTimeNow();
    }

    @Override
    public ClientOptions options() {
        return options;
    }

    @Override
    public void requestMouseMode(int mode) {
        MainChannelClient m = main;
        if (m == null) {
            throw new IllegalStateException("the main channel is not linked");
        }
        m.requestMouseMode(mode);
    }

    /** The open connections, main first; a channel leaves this list the moment its connection closes. */
    @Override
    public List<LinkedChannel> channels() {
        List<LinkedChannel> out = new ArrayList<>();
        for (ClientConnection c : connections) {
            if (c.channelType() == ChannelType.MAIN) {
                out.add(0, describe(c));
            } else {
                out.add(describe(c));
            }
        }
        return out;
    }

    /**
     * Closes the other channels first and main last, as spice-gtk does: spice-server tears a client down when
     * its main channel goes, and doing that while other channels are still closing has crashed QEMU 7.2.
     */
    @Override
    public void close() {
        closedByUser = true;
        switching = null;
        handingOver = null;
        Handover h = handover;
        handover = null;
        if (h != null) {
            h.abort("session closed by the user");
        }
        closeAll("session closed by the user");
    }

    private void closeAll(String reason) {
        if (connections.isEmpty()) {
            if (switching == null) {
                closed.complete(null);
            }
            return;
        }
        List<CompletableFuture<Void>> others = new ArrayList<>();
        ClientConnection mainConn = null;
        for (ClientConnection c : connections) {
            if (c.channelType() == ChannelType.MAIN) {
                mainConn = c;
            } else {
                others.add(closeFuture(c));
                c.close(reason);
            }
        }
        ClientConnection m = mainConn;
        CompletableFuture.allOf(others.toArray(CompletableFuture[]::new))
                .completeOnTimeout(null, CLOSE_GRACE_MS, TimeUnit.MILLISECONDS)
                .whenComplete((v, t) -> {
                    if (m != null) {
                        m.close(reason);
                    }
                });
    }

    private static CompletableFuture<Void> closeFuture(ClientConnection c) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        c.channel.closeFuture().addListener(x -> f.complete(null));
        return f;
    }

    @Override
    public CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public Optional<String> lost() {
        return Optional.ofNullable(lost);
    }

    /** The engine's event loops have stopped: whatever was still to close on them is closed now. */
    void loopsStopped() {
        switching = null;
        handingOver = null;
        closed.complete(null);
    }
}
