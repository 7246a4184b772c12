package org.spice.tunnel.internal;

import org.spice.tunnel.internal.wire.PortMessages;
import org.spice.protocol.wire.SpiceVmcMessages;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.spi.ServerChannelFactory;
import org.spice.protocol.spi.SpiceChannel;
import org.spice.tunnel.api.FolderSharing;

/**
 * The server side of the WEBDAV channel, where our server stands in for the guest's spice-webdavd: a client that
 * shares a folder (spice-gtk's "Share folder", {@code spicy --spice-shared-dir=DIR}) gets the port
 * org.spice-space.webdav.0, and this host's WebDAV clients reach that folder at an address of its own on the
 * loopback interface ({@code spice:webdav} lists them). Each TCP connection there is one stream of the WebDAV
 * multiplex ({@link WebdavMux}'s framing) that the client's WebDAV server answers. Offered only when configured
 * ({@value #PID}, {@code ./spice server --webdav HOST}).
 */
@Component(configurationPid = WebdavServerFactory.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = ServerChannelFactory.class,
        property = {"osgi.command.scope=spice", "osgi.command.function=webdav"})
@SpiceChannel(type = ChannelType.WEBDAV)
@Designate(ocd = WebdavServerFactory.Config.class)
public final class WebdavServerFactory implements ServerChannelFactory {
    static final String PID = "org.spice.tunnel.webdav";
    private static final System.Logger LOG = System.getLogger("org.spice.tunnel");

    @ObjectClassDefinition(name = "SPICE folder sharing (server role)",
            description = "Clients' shared folders served as WebDAV on this host")
    public @interface Config {
        @AttributeDefinition(description = "Address the shared folders are served on: each client's folder gets"
                + " a port of its own there (loopback unless you mean otherwise)")
        String host() default "127.0.0.1";
    }

    private final InetAddress host;
    private final Set<WebdavExport> exports = ConcurrentHashMap.newKeySet();

    @Activate
    public WebdavServerFactory(Config config) throws IOException {
        this.host = InetAddress.getByName(config.host());
    }

    @Deactivate
    void deactivate() {
        exports.forEach(WebdavExport::close);
    }

    @Override
    public List<Integer> channelIds() {
        return List.of(0);
    }

    @Override
    public Capabilities channelCapabilities() {
        return Capabilities.NONE;
    }

    @Override
    public ChannelHandler open(ServerChannelContext ctx) {
        ServerSocket listener;
        try {
            listener = new ServerSocket();
            listener.bind(new InetSocketAddress(host, 0), 16);
        } catch (IOException e) {
            ctx.close("cannot serve a shared folder on " + host.getHostAddress() + ": " + e.getMessage());
            return (type, body) -> body.skipBytes(body.readableBytes());
        }
        WebdavExport export = new WebdavExport(ctx, listener);
        exports.add(export);
        // the guest side is open from the start, as spice-webdavd keeps its port open: the client starts its mux
        ctx.send(new PortMessages.Init(FolderSharing.PORT_NAME, true));
        export.start();
        LOG.log(Level.INFO, ctx.describe() + ": its shared folder is served at " + export.address());
        return new ChannelHandler() {
            @Override
            public void onMessage(int type, io.netty.buffer.ByteBuf body) {
                switch (type) {
                    case SpiceVmcMessages.DATA -> export.fromClient(SpiceVmcMessages.Data.decode(body).data());
                    case SpiceVmcMessages.COMPRESSED_DATA -> export.fromClient(SpiceVmcMessages.decodeCompressed(body));
                    case PortMessages.CLIENT_EVENT -> LOG.log(Level.DEBUG, ctx.describe() + ": port event "
                            + PortMessages.Event.decode(type, body).event());
                    default -> throw ChannelHandler.unknownMessage(ctx, type);
                }
            }

            @Override
            public void onClose() {
                exports.remove(export);
                export.close();
            }
        };
    }

    /** Gogo {@code spice:webdav}: the address of each client's shared folder. */
    public List<String> webdav() {
        List<String> lines = new ArrayList<>();
        for (WebdavExport e : exports) {
            lines.add(e.address() + "  " + e.describe());
        }
        return lines.isEmpty() ? List.of("no client shares a folder") : lines;
    }
}
