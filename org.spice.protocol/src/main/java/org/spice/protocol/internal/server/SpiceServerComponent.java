package org.spice.protocol.internal.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.spice.protocol.ChannelType;
import org.spice.protocol.server.SaslUsers;
import org.spice.protocol.internal.engine.ServerEngine;
import org.spice.protocol.server.ServerConfig;
import org.spice.protocol.server.ServerSession;
import org.spice.protocol.server.SpiceServer;
import org.spice.protocol.spi.ServerAgentFactory;
import org.spice.protocol.spi.ServerChannelFactory;
import org.spice.protocol.wire.Link;

/**
 * The SPICE server as a DS component: runs while configuration {@value ServerConfig#PID} exists, and offers
 * every {@link ServerChannelFactory} service registered now or later.
 */
@Component(configurationPid = ServerConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = ServerConfig.class)
public final class SpiceServerComponent implements SpiceServer {
    private static final System.Logger LOG = System.getLogger("org.spice.protocol.server");
    private final ServerEngine engine;

    @Activate
    public SpiceServerComponent(ServerConfig config) throws Exception {
        try {
            engine = new ServerEngine(settings(config)).peerLimits(peerLimits(config)).start();
        } catch (Exception e) {
            LOG.log(Level.ERROR, "cannot start the SPICE server: " + e.getMessage());
            throw e;
        }
    }

    static ServerEngine.Settings settings(ServerConfig c) throws IOException {
        InetSocketAddress plain = c.listen().isBlank() ? null : address(c.listen());
        InetSocketAddress tls = null;
        if (c.tls_port() > 0) {
            String host = plain != null ? plain.getHostString() : "127.0.0.1";
            tls = new InetSocketAddress(host, c.tls_port());
        }
        Path x509 = c.x509_dir().isBlank() ? null : Path.of(c.x509_dir());
        return new ServerEngine.Settings(plain, tls, x509, secureChannels(c.secure_channels()), password(c),
                c.name(), UUID.nameUUIDFromBytes(c.name().getBytes(StandardCharsets.UTF_8)), c.max_clients(),
                Duration.ofSeconds(30), c.sasl_users_file().isBlank() ? null
                        : SaslUsers.read(Path.of(c.sasl_users_file())), Path.of(c.web_root()),
                c.websocket_listen().isBlank() ? null : address(c.websocket_listen()));
    }

    static ServerEngine.PeerLimits peerLimits(ServerConfig c) {
        if (c.peer_ping_seconds() <= 0 || c.peer_silence_seconds() <= 0) {
            throw new IllegalArgumentException("peer.ping.seconds and peer.silence.seconds must be positive, not "
                    + c.peer_ping_seconds() + " and " + c.peer_silence_seconds());
        }
        return ServerEngine.PeerLimits.DEFAULT.withSilence(Duration.ofSeconds(c.peer_ping_seconds()),
                Duration.ofSeconds(c.peer_silence_seconds()));
    }

    /** "host:port", "[v6]:port" or ":port" (loopback). */
    static InetSocketAddress address(String s) {
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("listen address must be host:port, not " + s);
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            host = "127.0.0.1";
        }
        return new InetSocketAddress(host, Integer.parseInt(s.substring(colon + 1)));
    }

    static Set<Integer> secureChannels(String list) {
        Set<Integer> out = new HashSet<>();
        for (String name : list.split("[,\\s]+")) {
            if (name.isEmpty()) {
                continue;
            }
            if (name.equals("default") || name.equals("all")) {
                out.add(0);
            } else {
                int t = ChannelType.parse(name);
                if (t < 0) {
                    throw new IllegalArgumentException("unknown channel name in secure_channels: " + name);
                }
                out.add(t);
            }
        }
        return out;
    }

    /** The password from the configured file, else from SPICE_PASSWORD, else none. Never logged. */
    static byte[] password(ServerConfig c) throws IOException {
        String pw;
        if (!c.password_file().isBlank()) {
            pw = Files.readString(Path.of(c.password_file()), StandardCharsets.UTF_8).strip();
        } else {
            pw = System.getenv("SPICE_PASSWORD");
        }
        if (pw == null) {
            return null;
        }
        byte[] b = pw.getBytes(StandardCharsets.UTF_8);
        if (b.length > Link.MAX_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("the SPICE password is longer than " + Link.MAX_PASSWORD_LENGTH
                    + " bytes");
        }
        return b;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addFactory(ServerChannelFactory f) {
        engine.addFactory(f);
    }

    void removeFactory(ServerChannelFactory f) {
        engine.removeFactory(f);
    }

    /** Our server is its own agent while an agent bundle registers one. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAgent(ServerAgentFactory a) {
        engine.setAgent(a);
    }

    void unsetAgent(ServerAgentFactory a) {
        engine.removeAgent(a);
    }

    @Deactivate
    void stop() {
        engine.close();
    }

    @Override
    public Optional<InetSocketAddress> plainAddress() {
        return engine.plainAddress();
    }

    @Override
    public Optional<InetSocketAddress> tlsAddress() {
        return engine.tlsAddress();
    }

    @Override
    public Optional<InetSocketAddress> webSocketAddress() {
        return engine.webSocketAddress();
    }

    @Override
    public ServerSession session() {
        return engine;
    }

    @Override
    public List<String> offeredChannels() {
        return engine.offeredChannels();
    }
}
