package org.spice.tunnel.internal;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;
import org.osgi.service.component.annotations.Component;
import org.spice.protocol.ChannelType;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.spi.SpiceChannel;
import org.spice.protocol.client.ClientSession;
import org.spice.tunnel.api.FolderSharing;
import org.spice.tunnel.api.PortConnection;

/**
 * The client side of the WEBDAV channel (spice-server's type for the port org.spice-space.webdav.0, with the port
 * channel's messages) and folder sharing over it: serves a folder as WebDAV on that port, one thread per share.
 */
@Component(service = {ClientChannelFactory.class, FolderSharing.class})
@SpiceChannel(type = ChannelType.WEBDAV)
public final class FolderSharingComponent extends PortClientFactory implements FolderSharing {
    private static final Logger LOG = Logger.getLogger(FolderSharingComponent.class.getName());
    /** HTTP request line and header limits of each mux stream. */
    static final int MAX_LINE = 8192;
    static final int MAX_HEADERS = 16384;

    public FolderSharingComponent() {
        super(ChannelType.WEBDAV);
    }

    @Override
    public CompletableFuture<FolderShare> share(ClientSession session, Path dir, boolean readOnly) {
        Path root;
        try {
            root = dir.toRealPath();
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!Files.isDirectory(root)) {
            return CompletableFuture.failedFuture(new IOException("not a folder: " + dir));
        }
        return open(session, PORT_NAME).thenApply(port -> serve(port, root, readOnly));
    }

    /** Pipeline of one mux stream. */
    static ChannelHandler[] pipeline(Path root, boolean readOnly) {
        return new ChannelHandler[] {new HttpServerCodec(MAX_LINE, MAX_HEADERS, WebdavHandler.CHUNK),
            new WebdavHandler(root, readOnly)};
    }

    private static FolderShare serve(PortConnection port, Path root, boolean readOnly) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        WebdavMux mux = new WebdavMux(port.input(), port.output(), () -> pipeline(root, readOnly));
        Thread t = new Thread(() -> {
            try {
                mux.run();
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                LOG.warning(() -> "folder sharing of " + root + " ended: " + e);
                done.complete(null);
            } finally {
                port.close();
            }
        }, "webdav-share");
        t.setDaemon(true);
        t.start();
        LOG.info(() -> "sharing " + root + (readOnly ? " read-only" : "") + " on port " + PORT_NAME);
        return new FolderShare() {
            @Override
            public CompletableFuture<Void> done() {
                return done;
            }

            @Override
            public void close() {
                port.close();
            }
        };
    }
}
