package org.spice.protocol.internal.engine;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.net.ConnectException;
import java.net.URI;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
 */
final class ClientSessionImpl implements ClientSession {
    /** As spice-gtk (built with SASL) announces them. */
    private static final Capabilities COMMON_CAPS = Capabilities.of(Link.CAP_PROTOCOL_AUTH_SELECTION,
            Link.CAP_AUTH_SPICE, Link.CAP_AUTH_SASL, Link.CAP_MINI_HEADER);
    /** Channel messages above this size are refused by the client too. */
    private static final long MAX_MESSAGE_SIZE = ServerEngine.MAX_MESSAGE_SIZE;
    /** How long a linked channel may stay silent before it counts as up anyway (some channels never speak). */
    private static final long FIRST_MESSAGE_GRACE_MS = 1500;
    /** How long closing waits for the other channels before it closes main. */
    private static final long CLOSE_GRACE_MS = 1000;

    private static final System.Logger LOG = System.getLogger("org.spice.protocol.migration");

    private final ClientEngine engine;
    private final int localId;
    /** Where the session is connected: the URI it was opened with, or the host a migration moved it to. */
    private volatile SpiceUri uri;
    private volatile ClientOptions options;
    /** Set from MIGRATE_SWITCH_HOST until main has closed: main's close then reconnects instead of ending. */
    private volatile Switch switching;
    private final List<ClientConnection> connections = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile MainChannelClient main;
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
    private record Switch(MigrationTarget target, List<ChannelKey> relink) {
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
            MainChannelClient m = new MainChannelClient(conn, engine.agents, this::switchHost);
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
    void switchHost(MainMessages.DstInfo d) {
        ClientConnection mainConn = connection(ChannelType.MAIN);
        String who = mainConn == null ? "main:0" : mainConn.describe();
        if (switching != null || closed.isDone()) {
            LOG.log(System.Logger.Level.WARNING, who + ": MIGRATE_SWITCH_HOST ignored: the session is already "
                    + (closed.isDone() ? "closed" : "moving to " + switching.target().uri()));
            return;
        }
        MigrationTarget target;
        try {
            target = MigrationTarget.of(d, uri, options);
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
            return f == null ? new Unhandled(conn) : f.open(conn);
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
        LinkMess request = new LinkMess(connectionId, type, id, COMMON_CAPS, caps);
        if (uri.port() < 0) {
            return attempt(request, true, open);
        }
        return attempt(request, false, open).exceptionallyCompose(t -> {
            Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
            if (c instanceof SpiceLinkException e && e.error() == LinkError.NEED_SECURED) {
                if (uri.tlsPort() > 0) {
                    return attempt(request, true, open);
                }
                return CompletableFuture.failedFuture(new SpiceLinkException(LinkError.NEED_SECURED, "the server"
                        + " requires TLS for the " + ChannelType.name(type) + " channel (NEED_SECURED); connect"
                        + " with spice+tls://HOST:TLSPORT or add ?tls-port=TLSPORT"));
            }
            return CompletableFuture.failedFuture(c);
        });
    }

    private CompletableFuture<ClientConnection> attempt(LinkMess request, boolean tls,
            Function<ClientConnection, ChannelHandler> open) {
        int port = tls ? uri.tlsPort() : uri.port();
        String where = uri.host() + ":" + port + (tls ? " (tls)" : "");
        URI proxy = options.proxy();
        SslContext sslContext;
        SslContext proxyTls;
        try {
            sslContext = tls ? sslContext() : null;
            proxyTls = proxy != null && "https".equalsIgnoreCase(proxy.getScheme()) ? proxySslContext() : null;
        } catch (SSLException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<ClientConnection> result = new CompletableFuture<>();
        Bootstrap b = new Bootstrap().group(engine.group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.timeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ClientLinkHandler link = new ClientLinkHandler(request, options, uri.host(), tls,
                                linkedReply -> install(ch, request, linkedReply, tls, open));
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
                                        checkSubject(h, link, ch);
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

    private ClientConnection install(Channel ch, LinkMess request, ClientLinkHandler.Linked l, boolean tls,
            Function<ClientConnection, ChannelHandler> open) {
        ch.pipeline().addLast("frames", new MessageFrameDecoder(l.mini(), MAX_MESSAGE_SIZE));
        ch.pipeline().addLast("encoder", new MessageFrameEncoder(l.mini()));
        ClientConnection conn = new ClientConnection(this, ch, request.channelType(), request.channelId(),
                l.reply().commonCaps(), l.reply().channelCaps(), tls);
        ch.pipeline().addLast("channel", conn);
        connections.add(conn);
        conn.start(open.apply(conn), () -> detached(conn));
        if (closed.isDone()) {
            conn.close("its session was closed while it linked");
        }
        return conn;
    }

    private void detached(ClientConnection conn) {
        connections.remove(conn);
        if (conn.channelType() == ChannelType.MAIN) {
            for (ClientConnection c : connections) {
                c.close("the main channel closed");
            }
            Switch s = switching;
            if (s != null && !closed.isDone()) {
                reconnect(s);
            } else {
                closed.complete(null);
            }
        }
    }

    private void checkSubject(SslHandler h, ClientLinkHandler link, Channel ch) {
        try {
            Certificate[] chain = h.engine().getSession().getPeerCertificates();
            String actual = ((X509Certificate) chain[0]).getSubjectX500Principal().getName();
            if (!rdns(actual).equals(rdns(options.hostSubject()))) {
                link.result.completeExceptionally(new SSLPeerUnverifiedException("the server certificate's subject "
                        + actual + " is not the expected " + options.hostSubject()));
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

    private synchronized SslContext sslContext() throws SSLException {
        if (ssl == null) {
            SslContextBuilder b = SslContextBuilder.forClient();
            if (options.caFile() != null) {
                b.trustManager(options.caFile().toFile());
            }
            // The subject check replaces the host name check, as in remote-viewer's host-subject option.
            b.endpointIdentificationAlgorithm(options.hostSubject() == null ? "HTTPS" : null);
            ssl = b.build();
        }
        return ssl;
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
        switching = null;
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
}
