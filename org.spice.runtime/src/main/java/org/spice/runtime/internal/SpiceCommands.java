package org.spice.runtime.internal;

import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.client.LinkedChannel;
import org.spice.protocol.server.ConnectedClient;
import org.spice.protocol.server.SpiceServer;

/**
 * Gogo commands {@code spice:sessions}, {@code spice:channels}, {@code spice:connect}, {@code spice:disconnect} and
 * {@code spice:migrate}.
 * Channel bundles contribute their own spice:* commands (the agent's {@code spice:clipboard}, the smartcard's
 * {@code spice:smartcards} and {@code spice:apdu}), which go with them.
 */
@Component(service = SpiceCommands.class, property = {
    "osgi.command.scope=spice",
    "osgi.command.function=sessions",
    "osgi.command.function=channels",
    "osgi.command.function=connect",
    "osgi.command.function=disconnect",
    "osgi.command.function=migrate"
})
public final class SpiceCommands {
    private final org.spice.protocol.client.SpiceClient client;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SpiceServer server;

    @Activate
    public SpiceCommands(@Reference org.spice.protocol.client.SpiceClient client) {
        this.client = client;
    }

    /** Server clients attached to our server, and client sessions this runtime has open. */
    public String sessions() {
        StringBuilder b = new StringBuilder();
        SpiceServer s = server;
        if (s == null) {
            b.append("server: not running\n");
        } else {
            b.append("server session '").append(s.session().name()).append("': ")
                    .append(s.session().clients().size()).append(" client(s)\n");
            for (ConnectedClient c : s.session().clients()) {
                b.append("  client 0x").append(Long.toHexString(c.connectionId())).append(" from ")
                        .append(c.remoteAddress()).append(" since ").append(c.since()).append(": ")
                        .append(String.join(" ", c.channels())).append('\n');
            }
        }
        b.append("client sessions: ").append(client.sessions().size()).append('\n');
        for (ClientSession cs : client.sessions()) {
            b.append("  ").append(cs.localId()).append(": ").append(cs.uri()).append(" session 0x")
                    .append(Long.toHexString(cs.main().sessionId())).append('\n');
        }
        return b.toString();
    }

    /** Channels the server offers, and the channels each client session has linked with their caps. */
    public String channels() {
        StringBuilder b = new StringBuilder();
        SpiceServer s = server;
        b.append("server offers: ").append(s == null ? "(not running)" : String.join(" ", s.offeredChannels()))
                .append('\n');
        for (ClientSession cs : client.sessions()) {
            b.append("session ").append(cs.localId()).append(" (").append(cs.uri()).append("):\n");
            for (LinkedChannel c : cs.channels()) {
                b.append("  ").append(ChannelType.name(c.type())).append(':').append(c.id())
                        .append(c.secure() ? " tls" : "").append(c.handled() ? "" : " (no handler)")
                        .append(" common-caps ").append(c.commonCaps()).append(" channel-caps ")
                        .append(c.channelCaps()).append('\n');
            }
        }
        return b.toString();
    }

    /** Connects to a server (password from SPICE_PASSWORD if set) and links every channel a bundle handles. */
    public String connect(String uri) throws Exception {
        ClientOptions o = ClientOptions.defaults().withPassword(System.getenv("SPICE_PASSWORD"));
        ClientSession s = client.connect(SpiceUri.parse(uri), o).get(30, TimeUnit.SECONDS);
        return "session " + s.localId() + " connected to " + s.uri() + " (session id 0x"
                + Long.toHexString(s.main().sessionId()) + ")";
    }

    /**
     * Sends every client of our server to the server at HOST:PORT (MIGRATE_SWITCH_HOST); they reconnect there with
     * the password they have. PORT 0 means none (then give a TLS port).
     */
    public String migrate(String hostPort) {
        return migrate(hostPort, 0, null);
    }

    /** {@link #migrate(String)} with the destination's TLS port and the subject clients expect of its certificate. */
    public String migrate(String hostPort, int tlsPort, String certSubject) {
        SpiceServer s = server;
        if (s == null) {
            return "error: the server is not running";
        }
        int c = hostPort.lastIndexOf(':');
        if (c <= 0) {
            return "error: spice:migrate wants HOST:PORT, not " + hostPort;
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(c + 1));
        } catch (NumberFormatException e) {
            return "error: not a port: " + hostPort.substring(c + 1);
        }
        String host = hostPort.substring(0, c);
        try {
            int told = s.session().migrate(host, port, tlsPort, certSubject);
            return told + " client(s) sent to " + hostPort + (tlsPort > 0 ? " (TLS port " + tlsPort + ")" : "");
        } catch (IllegalArgumentException e) {
            return "error: " + e.getMessage();
        }
    }

    /** Closes client session N, or with 0xHEX disconnects that client from our server. */
    public String disconnect(String id) {
        if (id.startsWith("0x")) {
            SpiceServer s = server;
            long connectionId = Long.parseLong(id.substring(2), 16);
            return s != null && s.session().disconnect(connectionId) ? "disconnected client " + id
                    : "no server client " + id;
        }
        int local = Integer.parseInt(id);
        for (ClientSession cs : client.sessions()) {
            if (cs.localId() == local) {
                cs.close();
                return "closed session " + local;
            }
        }
        return "no client session " + local;
    }
}
