package org.spice.tunnel.api;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;
import org.spice.protocol.client.ClientSession;

/**
 * Shares a local folder with the guest as spice-gtk's "Share folder" does: a WebDAV server multiplexed over the
 * port {@value #PORT_NAME}, which the guest's spice-webdavd exposes to the guest's WebDAV clients.
 */
@ProviderType
public interface FolderSharing {
    String PORT_NAME = "org.spice-space.webdav.0";

    /**
     * Opens the session's webdav port and serves {@code dir} on it until the returned share is closed or the port
     * ends. Fails with {@link java.util.NoSuchElementException} when the server has no such port.
     */
    CompletableFuture<FolderShare> share(ClientSession session, Path dir, boolean readOnly);

    /** A running share. */
    interface FolderShare extends AutoCloseable {
        /** Completes when the port's input ends or the share is closed. */
        CompletableFuture<Void> done();

        @Override
        void close();
    }
}
