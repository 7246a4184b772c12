package org.spice.runtime.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientSession;
import org.spice.tunnel.api.FolderSharing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spice share-folder DIR URI}: serves DIR to the guest as spice-gtk's "Share folder" does (WebDAV on the port
 * org.spice-space.webdav.0, which the guest's spice-webdavd offers to its WebDAV clients), until killed.
 */
@Command(name = "share-folder", mixinStandardHelpOptions = true,
        customSynopsis = "spice share-folder [--share-read-only] [--password-file F] [OPTIONS] DIR URI",
        description = "Share the folder DIR with the guest (WebDAV through spice-webdavd) until killed. The first"
                + " parameter is DIR, the second the server URI.",
        footer = {"", "Example: spice share-folder --share-read-only ~/Public spice://127.0.0.1:5930"})
final class ShareFolderCommand extends ClientCommand<FolderSharing> {
    @Option(names = "--share-read-only", description = "Refuse every change the guest asks for.")
    boolean readOnly;

    @Parameters(index = "1", paramLabel = "SERVER", description = "spice://HOST:PORT or spice+tls://HOST:PORT")
    String server;

    private Path dir;

    ShareFolderCommand(Runtime rt) {
        super(rt, FolderSharing.class, "folder sharing (org.spice.tunnel)");
    }

    /** The first parameter is the folder; the server URI comes second, as in the command line. */
    @Override
    protected SpiceUri target(String arg) throws IOException {
        dir = Path.of(arg);
        OptionChecks.folder(dir, arg);
        return SpiceUri.parse(server);
    }

    @Override
    protected int run(FolderSharing sharing, ClientSession session, SpiceUri u) throws Exception {
        requireChannel(session, u, ChannelType.WEBDAV);
        FolderSharing.FolderShare share = await(sharing.share(session, dir, readOnly),
                "the port " + FolderSharing.PORT_NAME + " did not open");
        rt.out().println("sharing " + dir.toRealPath() + (readOnly ? " read-only" : "") + " on "
                + FolderSharing.PORT_NAME);
        rt.out().flush();
        CompletableFuture.anyOf(session.closed(), rt.stopped(), share.done()).get();
        share.close();
        if (session.closed().isDone()) {
            rt.err().println("error: the server closed the session");
            return SpiceCli.EXIT_CONNECT;
        }
        return 0;
    }

    /**
     * For {@code connect --share-dir}: shares {@code dir} on a connected session through the running FolderSharing
     * service. Kept here so that ConnectCommand loads the tunnel API only when asked to share.
     */
    static CompletableFuture<FolderSharing.FolderShare> shareFrom(Runtime rt, ClientSession session, Path dir,
            boolean readOnly) throws InterruptedException {
        org.osgi.util.tracker.ServiceTracker<FolderSharing, FolderSharing> tracker =
                new org.osgi.util.tracker.ServiceTracker<>(rt.context(), FolderSharing.class, null);
        tracker.open();
        FolderSharing s = tracker.waitForService(10_000);
        if (s == null) {
            tracker.close();
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "the folder sharing (org.spice.tunnel) bundle is not running"));
        }
        CompletableFuture<FolderSharing.FolderShare> f = s.share(session, dir, readOnly);
        session.closed().whenComplete((v, e) -> tracker.close());
        return f;
    }
}
