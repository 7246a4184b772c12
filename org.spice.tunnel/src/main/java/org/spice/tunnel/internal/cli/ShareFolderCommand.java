package org.spice.tunnel.internal.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.osgi.service.component.annotations.Component;
import org.spice.cli.ClientCommand;
import org.spice.cli.CommandContext;
import org.spice.cli.CommandProvider;
import org.spice.cli.ExitCodes;
import org.spice.cli.OptionChecks;
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
public final class ShareFolderCommand extends ClientCommand<FolderSharing> {
    @Option(names = "--share-read-only", description = "Refuse every change the guest asks for.")
    boolean readOnly;

    @Parameters(index = "1", paramLabel = "SERVER", description = "spice://HOST:PORT or spice+tls://HOST:PORT")
    String server;

    private Path dir;

    ShareFolderCommand(CommandContext rt) {
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
            return ExitCodes.CONNECT;
        }
        return 0;
    }

    /** Contributes {@code spice share-folder} while this bundle runs. */
    @Component
    public static final class Provider implements CommandProvider {
        @Override
        public String name() {
            return "share-folder";
        }

        @Override
        public Object command(CommandContext context) {
            return new ShareFolderCommand(context);
        }
    }
}
