package org.spice.protocol.internal.engine;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.LinkError;
import org.spice.protocol.internal.auth.TicketCipher;
import org.spice.protocol.internal.auth.TicketKeys;
import org.spice.protocol.internal.main.MainChannelServer;
import org.spice.protocol.server.ConnectedClient;
import org.spice.protocol.server.ServerSession;
import org.spice.protocol.server.SpiceServer;
import org.spice.protocol.spi.ServerAgentFactory;
import org.spice.protocol.spi.ServerChannelFactory;
import org.spice.protocol.wire.BaseMessages;
import org.spice.protocol.wire.Link;
import org.spice.protocol.wire.MainMessages;
import org.spice.protocol.wire.MainMessages.ChannelId;
import org.spice.protocol.wire.SpiceMessage;

/**
 * The server role: one Netty server (plaintext and/or TLS port) serving one desktop session to any number of
 * clients at once. Each client's main channel gets a connection id; its other channels link with that id.
 * Channel factories come and go at run time; removing one closes its connections and nothing else.
 */
public final class ServerEngine implements SpiceServer, ServerSession, AutoCloseable {
    private static final System.Logger LOG = ChannelConnection.LOG;
    /** Messages larger than this are refused on every channel (a 4K frame uncompressed is 33 MB). */
    public static final long MAX_MESSAGE_SIZE = 64L << 20;

    /**
     * @param plain plaintext address or null
     * @param tls TLS address or null
     * @param secureChannels channel types that must use TLS; containing 0 means all
     * @param password the ticket password as UTF-8, or null to accept any ticket
     */
    /**
     * @param saslUsers the users of SASL DIGEST-MD5, or null: with them the server requires SASL (and, as
     *     spice-server, refuses ticket authentication)
     * @param webRoot where the browser client's files are (spice-html5), served on plain HTTP GET
     * @param websocket an extra plaintext address, for browsers, or null; every port takes WebSocket anyway
     */
    public record Settings(InetSocketAddress plain, InetSocketAddress tls, Path x509Dir, Set<Integer> secureChannels,
            byte[] password, String name, UUID uuid, int maxClients, Duration linkTimeout,
            org.spice.protocol.server.SaslUsers saslUsers, Path webRoot, InetSocketAddress websocket) {
        public Settings(InetSocketAddress plain, InetSocketAddress tls, Path x509Dir, Set<Integer> secureChannels,
                byte[] password, String name, UUID uuid, int maxClients, Duration linkTimeout) {
            this(plain, tls, x509Dir, secureChannels, password, name, uuid, maxClients, linkTimeout, null);
        }

        /** Settings with spice-html5 where Debian puts it and no extra address for browsers. */
        public Settings(InetSocketAddress plain, InetSocketAddress tls, Path x509Dir, Set<Integer> secureChannels,
                byte[] password, String name, UUID uuid, int maxClients, Duration linkTimeout,
                org.spice.protocol.server.SaslUsers saslUsers) {
            this(plain, tls, x509Dir, secureChannels, password, name, uuid, maxClients, linkTimeout, saslUsers,
                    Path.of(WebPages.DEFAULT_ROOT), null);
        }

        public Settings {
            if (plain == null && tls == null) {
                throw new IllegalArgumentException("the server needs a plaintext or a TLS address");
            }
            if (tls != null && x509Dir == null) {
                throw new IllegalArgumentException("a TLS port needs an x509 directory");
            }
        }

        @Override
        public String toString() {
            return "Settings[plain=" + plain + ", tls=" + tls + ", x509Dir=" + x509Dir + ", secureChannels="
                    + secureChannels + ", password=" + (password == null ? "none" : "***") + ", name=" + name
                    + ", sasl=" + (saslUsers == null ? "off" : saslUsers) + ", webRoot=" + webRoot + ", websocket="
                    + websocket + "]";
        }
    }

    /**
     * How long and how much a linked connection may make us wait or hold for its peer (see {@link PeerWatch}).
     *
     * @param maxQueuedBytes bytes waiting to be sent to one connection's peer beyond which it is closed
     * @param stallTimeout how long bytes may wait while the peer takes none of them
     * @param messageTime how long a message from the peer may take to arrive at any pace; after that its bytes
     *     must have come at {@code slowestBytesPerSecond} on average over the time beyond it (so a trickle is closed
     *     soon after {@code messageTime} whatever size its header claims)
     * @param pingAfter how long the peer may send nothing before it is sent a PING
     * @param silenceTimeout how long after that PING left for the peer it may still send nothing (no PONG, no
     *     other byte) before the connection is closed: it is gone without a FIN (half-open) or frozen
     */
    public record PeerLimits(long maxQueuedBytes, Duration stallTimeout, Duration messageTime,
            long slowestBytesPerSecond, Duration pingAfter, Duration silenceTimeout) {
        /**
         * 64 MiB (one message of the largest size), 30 s, 60 s plus 16 KiB/s; a PING after 15 s of silence and
         * 30 s for any answer, as spice-server (a ping on an idle channel after 15 s, a connection closed when it
         * stayed silent through 30 s with a ping outstanding).
         */
        public static final PeerLimits DEFAULT = new PeerLimits(MAX_MESSAGE_SIZE, Duration.ofSeconds(30),
                Duration.ofSeconds(60), 16 << 10, Duration.ofSeconds(15), Duration.ofSeconds(30));

        public PeerLimits {
            if (pingAfter.isNegative() || pingAfter.isZero() || silenceTimeout.isNegative()
                    || silenceTimeout.isZero()) {
                throw new IllegalArgumentException("the ping and silence times must be positive");
            }
        }

        /** These limits with another ping time and silence timeout. */
        public PeerLimits withSilence(Duration ping, Duration timeout) {
            return new PeerLimits(maxQueuedBytes, stallTimeout, messageTime, slowestBytesPerSecond, ping, timeout);
        }

        /**
         * Whether a message whose first bytes came {@code elapsedNanos} ago, {@code bytesCame} of them so far, is
         * too slow: past {@link #messageTime}, and fewer bytes than {@code slowestBytesPerSecond} for the time beyond.
         */
        boolean tooSlow(long elapsedNanos, long bytesCame) {
            long beyond = elapsedNanos - messageTime.toNanos();
            return beyond >= 0 && bytesCame < (double) beyond * slowestBytesPerSecond / 1e9;
        }
    }

    /**
     * The outcome of checking a link message: an error, or the factory and id to link with. An admitted main
     * link holds a {@link ClientSlot} until it becomes a client or fails.
     */
    record Admission(LinkError error, String reason, ServerChannelFactory factory, Capabilities channelCaps,
            ClientSlot slot) {
        static Admission refuse(LinkError e, String reason) {
            return new Admission(e, reason, null, Capabilities.NONE, null);
        }
    }

    /**
     * One of the max.clients places, taken when a main link is admitted (so that links admitted together cannot
     * overshoot the limit while they authenticate) and given back once: when that link fails or its client leaves.
     */
    final class ClientSlot {
        private final AtomicBoolean held = new AtomicBoolean(true);

        void release() {
            if (held.compareAndSet(true, false)) {
                clientSlots.decrementAndGet();
            }
        }
    }

    /** One attached client: its main channel and the channels linked with its connection id. */
    private static final class Client {
        final long connectionId;
        final ClientSlot slot;
        final Instant since = Instant.now();
        final List<ServerConnection> connections = new CopyOnWriteArrayList<>();

        Client(long connectionId, ClientSlot slot) {
            this.connectionId = connectionId;
            this.slot = slot;
        }
    }

    private final Settings settings;
    private final Map<Integer, ServerChannelFactory> factories = new ConcurrentHashMap<>();
    private final Map<Long, Client> clients = new ConcurrentHashMap<>();
    /** Clients attached plus main links admitted and still authenticating; never above max.clients. */
    private final AtomicInteger clientSlots = new AtomicInteger();
    private final AtomicInteger attached = new AtomicInteger();
    /** The most clients ever attached at one instant, counted as each one attaches. */
    private final AtomicInteger mostAttached = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
    private final List<Channel> listeners = new ArrayList<>();
    private final Capabilities ticketCaps = Capabilities.of(Link.CAP_PROTOCOL_AUTH_SELECTION, Link.CAP_AUTH_SPICE,
            Link.CAP_MINI_HEADER);
    /** As spice-server with SASL: AUTH_SASL instead of AUTH_SPICE. */
    private final Capabilities saslCaps = Capabilities.of(Link.CAP_PROTOCOL_AUTH_SELECTION, Link.CAP_AUTH_SASL,
            Link.CAP_MINI_HEADER);
    private final long startNanos = System.nanoTime();
    private final TicketKeys ticketKeys = new TicketKeys();
    private volatile PeerLimits peerLimits = PeerLimits.DEFAULT;
    private volatile InetSocketAddress boundPlain;
    private volatile InetSocketAddress boundTls;
    private volatile InetSocketAddress boundWebSocket;
    private final WebPages webPages;

    private final MainChannelServer.Factory main = new MainChannelServer.Factory(this);

    public ServerEngine(Settings settings) {
        this.settings = settings;
        this.webPages = new WebPages(settings.webRoot());
        addFactory(main);
    }

    /** Sets the limits each connection linked from now on is held to; {@link PeerLimits#DEFAULT} until then. */
    public ServerEngine peerLimits(PeerLimits limits) {
        this.peerLimits = limits;
        return this;
    }

    /** Makes {@code agent} this server's agent (null: none); connected clients are told at once. */
    public void setAgent(ServerAgentFactory agent) {
        main.setAgent(agent);
    }

    /** Withdraws {@code agent} if it is this server's agent. */
    public void removeAgent(ServerAgentFactory agent) {
        main.removeAgent(agent);
    }

    Settings settings() {
        return settings;
    }

    WebPages webPages() {
        return webPages;
    }

    Capabilities commonCapabilities() {
        return settings.saslUsers() != null ? saslCaps : ticketCaps;
    }

    /** A DIGEST-MD5 server for one link, or null when SASL is off. */
    /**
     * The SASL mechanisms offered on a connection, best first: SCRAM-SHA-256 over TLS when a user has SCRAM keys (it
     * has no security layer), and DIGEST-MD5 (with its encryption layer on plain connections).
     */
    List<String> saslMechanisms(boolean tls) {
        org.spice.protocol.server.SaslUsers u = settings.saslUsers();
        if (u == null) {
            return List.of();
        }
        return tls && !u.scram().isEmpty()
                ? List.of(org.spice.protocol.internal.auth.ScramServer.MECHANISM, "DIGEST-MD5") : List.of("DIGEST-MD5");
    }

    /** The server side of {@code mechanism}, one of {@link #saslMechanisms}. */
    javax.security.sasl.SaslServer newSaslServer(String mechanism, boolean tls) {
        org.spice.protocol.server.SaslUsers u = settings.saslUsers();
        return mechanism.equals(org.spice.protocol.internal.auth.ScramServer.MECHANISM)
                ? new org.spice.protocol.internal.auth.ScramServer(u, random)
                : new org.spice.protocol.internal.auth.DigestMd5Server(u, "spice", tls, random);
    }

    /** A fresh ticket key pair for one link. */
    java.security.KeyPair newTicketKeys() {
        return ticketKeys.take();
    }

    /** Binds the configured ports; throws when a port is taken or the TLS files cannot be read. */
    public ServerEngine start() throws InterruptedException, SSLException {
        try {
            if (settings.plain() != null) {
                boundPlain = bind(settings.plain(), null);
            }
            if (settings.tls() != null) {
                boundTls = bind(settings.tls(), serverSslContext(settings.x509Dir()));
            }
            if (settings.websocket() != null) {
                boundWebSocket = bind(settings.websocket(), null);
            }
        } catch (InterruptedException | SSLException | RuntimeException e) {
            close();
            throw e;
        }
        if (settings.saslUsers() != null) {
            LOG.log(Level.INFO, "SASL DIGEST-MD5 required, realm " + settings.saslUsers().realm() + ", "
                    + settings.saslUsers().digests().size() + " users");
        } else if (settings.password() == null) {
            LOG.log(Level.WARNING, "no password set: any client that reaches " + describeAddresses()
                    + " may connect");
        }
        LOG.log(Level.INFO, "SPICE server listening on " + describeAddresses());
        if (!java.nio.file.Files.isRegularFile(webPages.root().resolve(WebPages.CLIENT_PAGE))) {
            LOG.log(Level.INFO, "no browser client page: " + webPages.root() + " has no spice-html5 (Debian package"
                    + " spice-html5); browsers get a 404 page, WebSocket links work");
        }
        return this;
    }

    private String describeAddresses() {
        List<String> a = new ArrayList<>();
        if (boundPlain != null) {
            a.add(boundPlain.getAddress().getHostAddress() + ":" + boundPlain.getPort());
        }
        if (boundTls != null) {
            a.add(boundTls.getAddress().getHostAddress() + ":" + boundTls.getPort() + " (tls)");
        }
        if (boundWebSocket != null) {
            a.add(boundWebSocket.getAddress().getHostAddress() + ":" + boundWebSocket.getPort() + " (websocket)");
        }
        return String.join(", ", a);
    }

    private static SslContext serverSslContext(Path dir) throws SSLException {
        File cert = dir.resolve("server-cert.pem").toFile();
        File key = dir.resolve("server-key.pem").toFile();
        if (!cert.canRead() || !key.canRead()) {
            throw new SSLException("cannot read " + cert + " and " + key);
        }
        try {
            return SslContextBuilder.forServer(cert, key).build();
        } catch (IllegalArgumentException e) {
            throw new SSLException("cannot load " + key + " (it must be an unencrypted PKCS#8 PEM key): "
                    + e.getMessage(), e);
        }
    }

    private InetSocketAddress bind(InetSocketAddress address, SslContext ssl) throws InterruptedException {
        boolean secure = ssl != null;
        Channel ch = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        if (ssl != null) {
                            c.pipeline().addLast("tls", ssl.newHandler(c.alloc()));
                        }
                        c.pipeline().addLast("link", new ServerLinkHandler(ServerEngine.this, secure));
                    }
                })
                .bind(address).sync().channel();
        listeners.add(ch);
        return (InetSocketAddress) ch.localAddress();
    }

    public void addFactory(ServerChannelFactory f) {
        ServerChannelFactory old = factories.put(f.channelType(), f);
        if (old != null && old != f) {
            closeChannels(f.channelType(), "its channel factory was replaced");
        }
        LOG.log(Level.INFO, "channel " + ChannelType.name(f.channelType()) + " offered to new clients");
    }

    public void removeFactory(ServerChannelFactory f) {
        if (factories.remove(f.channelType(), f)) {
            LOG.log(Level.INFO, "channel " + ChannelType.name(f.channelType()) + " withdrawn");
            closeChannels(f.channelType(), "its channel bundle went away");
        }
    }

    private void closeChannels(int type, String reason) {
        for (Client c : clients.values()) {
            for (ServerConnection sc : c.connections) {
                if (sc.channelType() == type) {
                    sc.close(reason);
                }
            }
        }
    }

    /** The channels to list in main's channels list: every factory's ids except main's. */
    public List<ChannelId> channelList() {
        List<ChannelId> list = new ArrayList<>();
        factories.values().stream().sorted(Comparator.comparingInt(ServerChannelFactory::channelType))
                .filter(f -> f.channelType() != ChannelType.MAIN)
                .forEach(f -> f.channelIds().forEach(id -> list.add(new ChannelId(f.channelType(), id))));
        return list;
    }

    /** Counts display channels, for the display_channels_hint in main init. */
    public int displayCount() {
        ServerChannelFactory d = factories.get(ChannelType.DISPLAY);
        return d == null ? 0 : d.channelIds().size();
    }

    boolean requiresTls(int type) {
        Set<Integer> s = settings.secureChannels();
        return s.contains(0) || s.contains(type);
    }

    Admission admit(org.spice.protocol.wire.LinkMess m, boolean secure) {
        int type = m.channelType();
        if (!secure && requiresTls(type)) {
            return Admission.refuse(LinkError.NEED_SECURED, ChannelType.name(type) + " requires TLS");
        }
        ServerChannelFactory f = factories.get(type);
        if (f == null || !f.channelIds().contains(m.channelId())) {
            return Admission.refuse(LinkError.CHANNEL_NOT_AVAILABLE, ChannelType.name(type) + ":" + m.channelId()
                    + " is not offered");
        }
        ClientSlot slot = null;
        if (type == ChannelType.MAIN) {
            slot = takeClientSlot();
            if (slot == null) {
                return Admission.refuse(LinkError.ERROR, "already " + settings.maxClients()
                        + " clients attached or linking (max.clients)");
            }
        } else if (!clients.containsKey(m.connectionId())) {
            return Admission.refuse(LinkError.BAD_CONNECTION_ID, "no client with connection id 0x"
                    + Long.toHexString(m.connectionId()));
        }
        return new Admission(LinkError.OK, "", f, f.channelCapabilities(), slot);
    }

    /** Takes a place among max.clients in one atomic step, or null when all are taken. */
    private ClientSlot takeClientSlot() {
        int max = settings.maxClients();
        int n;
        do {
            n = clientSlots.get();
            if (n >= max) {
                return null;
            }
        } while (!clientSlots.compareAndSet(n, n + 1));
        return new ClientSlot();
    }

    /** The most clients that were attached at one instant since the server started. */
    int mostClientsAttached() {
        return mostAttached.get();
    }

    boolean ticketAccepted(PrivateKey key, byte[] ticket) {
        byte[] pw = settings.password();
        return pw == null || TicketCipher.matches(key, ticket, pw);
    }

    /** Turns a linked connection into a channel: message pipeline, handler from the factory, client record. */
    void linked(Channel ch, org.spice.protocol.wire.LinkMess m, Admission a, boolean secure) {
        boolean mini = m.commonCaps().has(Link.CAP_MINI_HEADER);
        Client client;
        if (m.channelType() == ChannelType.MAIN) {
            client = attach(a.slot());
        } else {
            client = clients.get(m.connectionId());
            if (client == null) { // the main channel closed while this one was authenticating
                ch.close();
                return;
            }
        }
        MessageFrameDecoder frames = new MessageFrameDecoder(mini, MAX_MESSAGE_SIZE);
        ch.pipeline().addLast("frames", frames);
        ch.pipeline().addLast("encoder", new MessageFrameEncoder(mini));
        ServerConnection conn = new ServerConnection(this, ch, client.connectionId, m.channelType(),
                m.channelId(), m.commonCaps(), m.channelCaps(), secure, a.factory().usesAckWindow());
        ch.pipeline().addLast("channel", conn);
        ch.pipeline().addFirst("peer-watch", new PeerWatch(peerLimits, conn, frames));
        for (ServerConnection old : client.connections) {
            if (old.channelType() == conn.channelType() && old.channelId() == conn.channelId()) {
                old.close("replaced by a new link of the same channel");
            }
        }
        client.connections.add(conn);
        LOG.log(Level.INFO, conn.describe() + " linked (connection 0x" + Long.toHexString(client.connectionId)
                + ", channel caps " + m.channelCaps() + ")");
        Client owner = client;
        conn.announceAckWindow();
        conn.start(a.factory().open(conn), () -> detached(owner, conn));
        if (conn.channelType() == ChannelType.INPUTS && !secure) {
            // As spice-server: a keyboard over plain TCP is worth a warning the client can show its user.
            notifyMain(client, new BaseMessages.Notify(millis(), BaseMessages.Notify.SEVERITY_WARN,
                    NOTIFY_VISIBILITY_HIGH, 0, "keyboard channel is insecure"));
        }
    }

    /** spice.proto's notify_visibility high: the client should show it. */
    static final int NOTIFY_VISIBILITY_HIGH = 2;

    private static void notifyMain(Client client, SpiceMessage message) {
        for (ServerConnection c : client.connections) {
            if (c.channelType() == ChannelType.MAIN) {
                c.send(message);
            }
        }
    }

    /** Milliseconds since the server started, the timestamps of NOTIFY and DISCONNECTING. */
    private long millis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Tells the client why it is being dropped (DISCONNECTING on main), then closes its channels. */
    private void drop(Client client, String reason) {
        notifyMain(client, new BaseMessages.Disconnecting(millis(), LinkError.OK));
        client.connections.forEach(x -> x.close(reason));
    }

    /** A new client with a fresh connection id, holding the slot its main link was admitted with. */
    private Client attach(ClientSlot slot) {
        Client client;
        do {
            client = new Client(random.nextInt() & 0xffffffffL, slot);
        } while (client.connectionId == 0 || clients.putIfAbsent(client.connectionId, client) != null);
        int now = attached.incrementAndGet();
        mostAttached.accumulateAndGet(now, Math::max);
        return client;
    }

    private void detached(Client client, ServerConnection conn) {
        client.connections.remove(conn);
        if (conn.channelType() == ChannelType.MAIN && clients.remove(client.connectionId, client)) {
            attached.decrementAndGet();
            client.slot.release();
            LOG.log(Level.INFO, "client 0x" + Long.toHexString(client.connectionId) + " left");
            for (ServerConnection other : client.connections) {
                other.close("its client's main channel closed");
            }
        }
    }

    @Override
    public Optional<InetSocketAddress> plainAddress() {
        return Optional.ofNullable(boundPlain);
    }

    @Override
    public Optional<InetSocketAddress> tlsAddress() {
        return Optional.ofNullable(boundTls);
    }

    @Override
    public Optional<InetSocketAddress> webSocketAddress() {
        return Optional.ofNullable(boundWebSocket);
    }

    @Override
    public ServerSession session() {
        return this;
    }

    @Override
    public List<String> offeredChannels() {
        List<String> out = new ArrayList<>();
        out.add("main:0");
        channelList().forEach(c -> out.add(ChannelType.name(c.type()) + ":" + c.id()));
        return out;
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public UUID uuid() {
        return settings.uuid();
    }

    @Override
    public long multiMediaTime() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public List<ConnectedClient> clients() {
        List<ConnectedClient> out = new ArrayList<>();
        for (Client c : clients.values()) {
            List<ServerConnection> conns = new ArrayList<>(c.connections);
            conns.sort(Comparator.comparingInt(ServerConnection::channelType)
                    .thenComparingInt(ServerConnection::channelId));
            String remote = conns.stream().filter(x -> x.channelType() == ChannelType.MAIN).findFirst()
                    .map(x -> String.valueOf(x.channel.remoteAddress())).orElse("?");
            List<String> names = conns.stream().map(x -> ChannelType.name(x.channelType()) + ":" + x.channelId()
                    + (x.secure ? "(tls)" : "")).toList();
            out.add(new ConnectedClient(c.connectionId, remote, names, c.since));
        }
        out.sort(Comparator.comparing(ConnectedClient::since));
        return out;
    }

    @Override
    public boolean disconnect(long connectionId) {
        Client c = clients.get(connectionId);
        if (c == null) {
            return false;
        }
        drop(c, "disconnected by the server operator");
        return true;
    }

    @Override
    public int migrate(String host, int port, int tlsPort, String certSubject) {
        MainMessages.DstInfo d = new MainMessages.DstInfo(port, tlsPort, host == null ? "" : host,
                certSubject == null ? "" : certSubject);
        try {
            LinkTarget.check(d);
        } catch (org.spice.protocol.SpiceProtocolException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        MainMessages.MigrateSwitchHost m = new MainMessages.MigrateSwitchHost(d);
        int told = 0;
        for (Client c : clients.values()) {
            notifyMain(c, m);
            told++;
        }
        LOG.log(Level.INFO, "migration: " + told + " client(s) sent to " + host + " (port " + port + ", TLS port "
                + tlsPort + ")");
        return told;
    }

    @Override
    public void close() {
        for (Channel l : listeners) {
            l.close().syncUninterruptibly();
        }
        for (Client c : clients.values()) {
            drop(c, "server shutting down");
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        ticketKeys.close();
        LOG.log(Level.INFO, "SPICE server stopped");
    }
}
