package org.spice.client.swing.internal.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.osgi.service.component.annotations.Component;
import org.spice.cli.ClientCommand;
import org.spice.cli.CommandContext;
import org.spice.cli.CommandProvider;
import org.spice.cli.ConfiguredService;
import org.spice.cli.ExitCodes;
import org.spice.cli.OptionChecks;
import org.spice.client.swing.api.Hotkeys;
import org.spice.client.swing.api.Viewer;
import org.spice.client.swing.api.VvFile;
import org.spice.display.video.VideoCodec;
import org.spice.protocol.ChannelType;
import org.spice.tunnel.api.FolderSharing;
import org.spice.protocol.LinkError;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.client.SpiceLinkException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spice connect URI|FILE.vv}: the SPICE client with windows. Opens a window per display channel and runs
 * until the user closes them or the server ends the session; asks for the password in a dialog when the server
 * wants one and none was given.
 */
@Command(name = "connect", mixinStandardHelpOptions = true,
        description = "Open a window per display of a SPICE server: display, cursor, keyboard and mouse, menus.",
        footer = {"", "URI may also be a remote-viewer connection file (FILE.vv, [virt-viewer] type=spice); its"
                + " password is used, never shown. Without URI a dialog asks for one (recent connections are"
                + " remembered, never passwords). Ctrl+Alt releases the grabbed keyboard and pointer.",
            "Example: spice connect spice://127.0.0.1:5900"})
public final class ConnectCommand extends ClientCommand<Viewer> {
    @Option(names = {"-f", "--full-screen"}, description = "Start in full screen.")
    boolean fullScreen;

    @Option(names = "--title", description = "Window title (default: the session name and address).")
    String title;

    @Option(names = "--preferred-video-codec", paramLabel = "LIST",
            description = "Ask the server to stream video in these codecs, most wanted first (e.g. h264,vp8,mjpeg;"
                    + " default: the saved client settings').")
    String preferredVideoCodecs;

    @Option(names = "--keymap", paramLabel = "LAYOUT", description = "The local keyboard layout (us, de, fr) for key"
            + " events that do not say which key was pressed; others are sent as the physical key. Default: us.")
    String keymap;

    @Option(names = "--hotkeys", paramLabel = "ACTION=KEYS,...", description = "As remote-viewer's: e.g."
            + " release-cursor=ctrl+alt,toggle-fullscreen=shift+f11,secure-attention=ctrl+alt+end.")
    String hotkeys;

    @Option(names = {"-k", "--kiosk"}, description = "Kiosk mode: full screen, no menus.")
    boolean kiosk;

    @Option(names = {"-v", "--verbose"}, description = "Print the connection's progress and channels.")
    boolean verbose;

    @Option(names = "--share-dir", paramLabel = "DIR", description = "Share this folder with the guest (WebDAV"
            + " through spice-webdavd), as remote-viewer's \"Share folder\".")
    java.nio.file.Path shareDir;

    @Option(names = "--share-read-only", description = "With --share-dir: refuse every change the guest asks for.")
    boolean shareReadOnly;

    @Option(names = "--disable-effects", paramLabel = "LIST", description = "Ask the guest's agent to drop these"
            + " desktop effects, as remote-viewer's --spice-disable-effects: wallpaper, font-smooth, animation or"
            + " all, comma-separated.")
    String disableEffects;

    private VvFile vv;
    private Hotkeys parsedHotkeys = Hotkeys.DEFAULT;

    ConnectCommand(CommandContext rt) {
        super(rt, Viewer.class, "client GUI (org.spice.client.swing)");
    }

    @Override
    protected SpiceUri target(String arg) throws IOException {
        if (!VvFile.looksLikeFile(arg)) {
            return SpiceUri.parse(arg);
        }
        Path file = Path.of(arg);
        if (!Files.isReadable(file)) {
            throw new IOException(arg + ": no such readable file");
        }
        vv = VvFile.read(file);
        if (!vv.ignoredKeys().isEmpty()) {
            rt.err().println("warning: " + arg + ": ignoring [virt-viewer] keys this client does not use: "
                    + String.join(", ", vv.ignoredKeys()));
        }
        if (vv.deleteThisFile()) {
            Files.delete(file); // it holds a password: remote-viewer deletes such files once read
        }
        return vv.uri();
    }

    @Override
    protected boolean uriOptional() {
        return true;
    }

    /** No URI: the connection dialog, which checks what is typed as the command line would and says what is wrong. */
    @Override
    protected String chooseTarget(Viewer viewer) {
        String unavailable = viewer.unavailable();
        if (unavailable != null) {
            throw new NoSuchElementException("cannot open a window: " + unavailable);
        }
        return viewer.chooseConnection(ConnectCommand::check);
    }

    /** Why {@code text} is no server to connect to, or null when it is a URI or a readable .vv file. */
    static String check(String text) {
        try {
            if (VvFile.looksLikeFile(text)) {
                Path file = Path.of(text);
                if (!Files.isReadable(file)) {
                    return text + ": no such readable file";
                }
                VvFile.read(file);
            } else {
                SpiceUri.parse(text);
            }
            return null;
        } catch (IllegalArgumentException | IOException e) {
            return e.getMessage();
        }
    }

    @Override
    protected void validate() {
        if (keymap != null && !Viewer.KEYMAPS.contains(keymap.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("--keymap " + keymap + ": no such layout; known: "
                    + String.join(", ", Viewer.KEYMAPS));
        }
        parsedHotkeys = Hotkeys.parse(hotkeys);
        if (shareDir != null) {
            OptionChecks.folder(shareDir, "--share-dir " + shareDir);
        }
        if (preferredVideoCodecs != null) {
            preferredVideoCodecs = VideoCodec.canonicalList(preferredVideoCodecs);
        }
        if (disableEffects != null) {
            for (String name : disableEffects.split(",")) {
                if (!EFFECTS.contains(name.strip())) {
                    throw new IllegalArgumentException("--disable-effects: '" + name.strip() + "' is not a display"
                            + " effect (" + String.join(", ", EFFECTS) + ")");
                }
            }
        }
    }

    /** The effect names of --disable-effects, as remote-viewer's --spice-disable-effects takes them. */
    static final java.util.List<String> EFFECTS = java.util.List.of("wallpaper", "font-smooth", "animation", "all");

    /**
     * Configures the agent bundle's client role with the effects to drop, before the session starts (its agent sends
     * them once, when it has announced itself), and waits until the configuration applies.
     */
    private void configureEffects() throws IOException, InterruptedException {
        try {
            java.util.Hashtable<String, Object> d = new java.util.Hashtable<>();
            d.put(org.spice.agent.api.ClientAgents.DISABLE_EFFECTS, disableEffects);
            rt.configAdmin().getConfiguration(org.spice.agent.api.ClientAgents.CONFIGURATION_PID, "?").update(d);
            if (ConfiguredService.await(rt.context(), org.spice.agent.api.ClientAgents.class,
                    java.util.Map.of(org.spice.agent.api.ClientAgents.DISABLE_EFFECTS, disableEffects)) != null) {
                return;
            }
            rt.err().println("warning: --disable-effects: the agent bundle did not take its configuration");
        } catch (NoClassDefFoundError e) {
            rt.err().println("warning: --disable-effects not sent: channel bundle not installed: org.spice.agent");
        }
    }

    @Override
    protected ClientSession connect(Viewer viewer, SpiceUri u) throws Exception {
        String unavailable = viewer.unavailable();
        if (unavailable != null) {
            throw new NoSuchElementException("cannot open a window: " + unavailable);
        }
        if (disableEffects != null) {
            configureEffects();
        }
        ClientOptions o = auth.options(rt, u).withConnectChannels(false);
        if (preferredVideoCodecs != null) {
            o = o.withPreferredVideoCodecs(preferredVideoCodecs);
        }
        if (vv != null) {
            if (o.password() == null && vv.password() != null) {
                o = o.withPassword(vv.password());
            }
            if (o.username() == null && vv.username() != null) {
                o = o.withUsername(vv.username());
            }
            if (vv.proxy() != null && !vv.proxy().isBlank()) {
                o = o.withProxy(ClientOptions.parseProxy(vv.proxy()));
            }
            if (vv.ca() != null && auth.caFile == null) {
                o = o.withTls(caFile(vv.ca()), vv.hostSubject() != null ? vv.hostSubject() : o.hostSubject());
            } else if (vv.hostSubject() != null && auth.hostSubject == null) {
                o = o.withTls(o.caFile(), vv.hostSubject());
            }
        }
        try {
            return rt.client().connect(u, o).get();
        } catch (ExecutionException e) {
            if (o.password() != null || !authenticationFailed(e.getCause())) {
                throw e;
            }
        }
        String where = u.toString();
        String kept = viewer.keptPassword(where);
        if (kept != null) {
            try {
                return rt.client().connect(u, o.withPassword(kept)).get();
            } catch (ExecutionException e) {
                if (!authenticationFailed(e.getCause())) {
                    throw e;
                }
                rt.err().println("note: the server refused the password the keychain kept for " + where
                        + "; it is removed from the keychain");
                viewer.forgetPassword(where);
            }
        }
        Viewer.Password password = viewer.askPassword(where);
        if (password == null) {
            throw new ExecutionException(new SpiceLinkException(LinkError.PERMISSION_DENIED,
                    "authentication failed: the server wants a password and none was entered"));
        }
        ClientSession session = rt.client().connect(u, o.withPassword(password.value())).get();
        if (password.keep() && viewer.keepPassword(where, password.value())) {
            rt.out().println("the keychain keeps the password for " + where);
        }
        return session;
    }

    private static boolean authenticationFailed(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return c instanceof SpiceLinkException e && e.isAuthenticationFailure();
    }

    /** The .vv file's CA certificate as a file only this user can read, removed when the runtime exits. */
    private static Path caFile(String pem) throws IOException {
        Path f = Files.createTempFile("spice-ca-", ".pem",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        f.toFile().deleteOnExit();
        return Files.writeString(f, pem, StandardCharsets.US_ASCII);
    }

    @Override
    protected int run(Viewer viewer, ClientSession session, SpiceUri u) throws Exception {
        requireChannel(session, u, ChannelType.DISPLAY);
        String t = title != null ? title : vv != null ? vv.title() : null;
        CompletableFuture<Void> shown = viewer.show(session, new Viewer.Options(t, fullScreen || kiosk
                || vv != null && vv.fullScreen(), keymap, parsedHotkeys, kiosk));
        if (verbose) {
            rt.out().println("server " + u + " offers " + String.join(" ", session.main().channels().stream()
                    .map(c -> ChannelType.name(c.type()) + ":" + c.id()).toList()));
        }
        if (shareDir != null) {
            shareFolder(session);
        }
        rt.out().println("connected to " + u + "; closing the window disconnects");
        rt.out().flush();
        shown.get();
        if (session.closed().isDone()) {
            if (session.lost().isEmpty()) { // otherwise the command says why it was lost
                rt.err().println("error: the server ended the session");
            }
            return ExitCodes.CONNECT;
        }
        return 0;
    }

    /** Starts sharing in the background: a server without the webdav port or the tunnel bundle only logs why. */
    private void shareFolder(ClientSession session) {
        try {
            SharedFolders.shareFrom(rt, session, shareDir, shareReadOnly).whenComplete((share, e) -> {
                if (e != null) {
                    rt.err().println("warning: --share-dir not shared: " + e.getMessage());
                } else {
                    rt.out().println("sharing " + shareDir + (shareReadOnly ? " read-only" : ""));
                    session.closed().whenComplete((v, x) -> share.close());
                }
            });
        } catch (NoClassDefFoundError e) {
            rt.err().println("warning: --share-dir not shared: channel bundle not installed: org.spice.tunnel");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The tunnel bundle's folder sharing, which the client GUI works without: a class of its own so that the command
     * loads the tunnel API (imported dynamically) only when asked to share.
     */
    private static final class SharedFolders {
        /** For {@code connect --share-dir}: shares {@code dir} on a connected session. */
        static CompletableFuture<FolderSharing.FolderShare> shareFrom(CommandContext rt, ClientSession session,
                Path dir, boolean readOnly) throws InterruptedException {
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

    /** Contributes {@code spice connect} while this bundle runs. */
    @Component
    public static final class Provider implements CommandProvider {
        @Override
        public String name() {
            return "connect";
        }

        @Override
        public Object command(CommandContext context) {
            return new ConnectCommand(context);
        }
    }
}
