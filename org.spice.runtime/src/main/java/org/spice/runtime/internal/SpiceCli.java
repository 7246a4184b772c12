package org.spice.runtime.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.osgi.service.cm.Configuration;
import org.osgi.util.tracker.ServiceTracker;
import org.spice.display.api.DisplaySettings;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.client.LinkedChannel;
import org.spice.protocol.client.MainInfo;
import org.spice.protocol.client.SpiceLinkException;
import org.spice.protocol.server.ServerConfig;
import org.spice.protocol.server.SpiceServer;
import org.spice.protocol.wire.MainMessages;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The {@code spice} command line. Without a subcommand it runs the demo server on 127.0.0.1:5930. */
@Command(name = "spice", mixinStandardHelpOptions = true, version = "spice 0.1.0",
        description = "SPICE remote display platform on the JVM: server, client and tools.")
final class SpiceCli implements Callable<Integer> {
    static final int EXIT_AUTH = 2;
    static final int EXIT_CONNECT = 3;
    static final int EXIT_PROTOCOL = 4;
    /** sysexits' EX_USAGE, so that a usage error never reads as an authentication failure. */
    static final int EXIT_USAGE = 64;

    static final String DISPLAY_PID = DisplaySettings.PID;

    private final Runtime rt;

    private SpiceCli(Runtime rt) {
        this.rt = rt;
    }

    static CommandLine commandLine(Runtime rt) {
        CommandLine cl = new CommandLine(new SpiceCli(rt));
        cl.addSubcommand("server", new ServerCommand(rt));
        cl.addSubcommand("probe", new ProbeCommand(rt));
        cl.addSubcommand("sasl-user", new SaslUserCommand(rt));
        cl.addSubcommand("shell", new ShellCommand(rt));
        cl.addSubcommand("screenshot", new ScreenshotCommand(rt));
        cl.addSubcommand("bench", new BenchCommand(rt));
        cl.addSubcommand("client-settings", new ClientSettingsCommand(rt));
        cl.addSubcommand("send-keys", channelCommand(rt, "org.spice.inputs (the inputs channel)",
                () -> new SendKeysCommand(rt), "org.spice.inputs.api.ClientInputs"));
        cl.addSubcommand("listen", channelCommand(rt, "org.spice.playback and org.spice.record (the sound channels)",
                () -> new ListenCommand(rt), "org.spice.playback.api.ClientPlaybacks",
                "org.spice.record.api.ClientRecords", "org.spice.audio.Wav"));
        cl.addSubcommand("port", channelCommand(rt, "org.spice.tunnel (the port channel)",
                () -> new PortCommand(rt), "org.spice.tunnel.api.ClientPorts"));
        cl.addSubcommand("share-folder", channelCommand(rt, "org.spice.tunnel (the port channel)",
                () -> new ShareFolderCommand(rt), "org.spice.tunnel.api.FolderSharing"));
        cl.addSubcommand("tunnel-share", channelCommand(rt, "org.spice.tunnel (the tunnel channel)",
                () -> new TunnelShareCommand(rt), "org.spice.tunnel.api.TunnelClient"));
        cl.addSubcommand("usb-share", channelCommand(rt, "org.spice.usbredir (the usbredir channel)",
                () -> new UsbShareCommand(rt), "org.spice.usbredir.api.UsbSharing"));
        cl.addSubcommand("smartcard-share", channelCommand(rt, "org.spice.smartcard (the smartcard channel)",
                () -> new SmartcardShareCommand(rt), "org.spice.smartcard.api.SmartcardSharing"));
        cl.addSubcommand("connect", channelCommand(rt, "org.spice.client.swing (the client GUI)",
                () -> new ConnectCommand(rt), "org.spice.client.swing.api.Viewer"));
        cl.addSubcommand("send-file", channelCommand(rt, "org.spice.agent (the agent)",
                () -> new SendFileCommand(rt), "org.spice.agent.api.ClientAgents"));
        // The gateway command uses no channel's API (only the desktop SPI and the protocol): it configures the
        // gateway bundle, whose own imports pull in the channels it relays, so it needs that bundle installed.
        cl.addSubcommand("gateway", bundleCommand(rt, "org.spice.gateway", "org.spice.gateway (the gateway)",
                () -> new GatewayCommand(rt)));
        cl.addSubcommand("replay", channelCommand(rt, "org.spice.recording (the recording format)",
                () -> new ReplayCommand(rt), "org.spice.recording.RecordingReader"));
        cl.addSubcommand("export", channelCommand(rt, "org.spice.recording (the recording format)",
                () -> new ExportCommand(rt), "org.spice.recording.RecordingReader"));
        cl.setOut(new java.io.PrintWriter(rt.out(), true));
        cl.setErr(new java.io.PrintWriter(rt.err(), true));
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("error: " + e.getMessage());
            c.usage(c.getErr());
            return EXIT_USAGE;
        });
        return cl;
    }

    @Override
    public Integer call() {
        return new ServerCommand(rt).call();
    }

    /** Options of the server role, shared by {@code server} and {@code shell}. */
    /**
     * A channel's command, or where the channel's bundle is not installed (spice-minimal, or a bundle removed from
     * deploy/) one that says so. The runtime imports the channels' API packages dynamically (bnd.bnd), so it
     * resolves without them and finds a bundle hot deployed later; a missing channel takes only its own commands.
     */
    static Object channelCommand(Runtime rt, String bundle, Supplier<Object> command, String... apiClasses) {
        for (String api : apiClasses) {
            try {
                Class.forName(api, false, SpiceCli.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                return new MissingBundleCommand(bundle, rt);
            }
        }
        return command.get();
    }

    /**
     * The command of a bundle whose API the runtime does not import (the gateway's configuration is all it writes),
     * or where no bundle {@code symbolicName} is installed (spice-minimal) one that says so.
     */
    static Object bundleCommand(Runtime rt, String symbolicName, String bundle, Supplier<Object> command) {
        if (rt.context() != null && java.util.Arrays.stream(rt.context().getBundles())
                .noneMatch(b -> symbolicName.equals(b.getSymbolicName()))) {
            return new MissingBundleCommand(bundle, rt);
        }
        return command.get();
    }

    /** A command whose bundle is not installed in this runtime. */
    @Command(mixinStandardHelpOptions = true, description = "Not available: its bundle is not installed.")
    static final class MissingBundleCommand implements Callable<Integer> {
        private final String bundle;
        private final Runtime rt;

        /** Whatever was given, options included: the answer is the missing bundle, not a usage error. */
        @CommandLine.Unmatched
        List<String> ignored;

        MissingBundleCommand(String bundle, Runtime rt) {
            this.bundle = bundle;
            this.rt = rt;
        }

        @Override
        public Integer call() {
            rt.err().println("error: channel bundle not installed: " + bundle + "; drop the bundle jar into the"
                    + " runtime's deploy directory or use the full runtime (spice.jar)");
            return 1;
        }
    }

    static final class ServerOptions {
        @Option(names = "--listen", description = "Plaintext address host:port (default ${DEFAULT-VALUE}).")
        String listen = "127.0.0.1:5930";

        @Option(names = "--tls-port", description = "TLS port on the same host.")
        int tlsPort;

        @Option(names = "--x509-dir", description = "Directory with ca-cert.pem, server-cert.pem, server-key.pem.")
        Path x509Dir;

        @Option(names = "--secure-channels", description = "Channels that require TLS: names or 'default' for all.")
        String secureChannels = "";

        @Option(names = "--password-file", description = "File with the ticket password (or set SPICE_PASSWORD).")
        Path passwordFile;

        @Option(names = "--sasl-users", paramLabel = "FILE", description = "Require SASL DIGEST-MD5 with the users of"
                + " FILE (written by 'spice sasl-user') instead of the ticket password.")
        Path saslUsers;

        @Option(names = "--name", description = "Session name shown by clients.")
        String name = "SPICE on the JVM";

        @Option(names = "--websocket", paramLabel = "HOST:PORT", description = "An extra plaintext address for"
                + " browsers: the spice-html5 page at / and SPICE over WebSocket (--listen serves both too).")
        String websocket;

        @Option(names = "--webdav", paramLabel = "HOST", description = "Serve the folder a client shares (spice-gtk's"
                + " Share folder, spicy --spice-shared-dir) as WebDAV on HOST, a port for each client: the log and"
                + " spice:webdav say where (e.g. 127.0.0.1; default: no folder sharing).")
        String webdav;

        @Option(names = "--source", description = "What the display shows: demo, image:PATH or screen[:fps=N] (this"
                + " host's screen; needs a display) (default ${DEFAULT-VALUE}).")
        String source = DisplaySettings.SOURCE_DEFAULT;

        @Option(names = "--monitors", paramLabel = "N", description = "Heads of the demo and screen sources, 1..16:"
                + " one display channel whose surface holds N heads side by side, which remote-viewer shows as N"
                + " displays (default ${DEFAULT-VALUE}).")
        int monitors = 1;

        @Option(names = "--image-compression", description = "As spice-server's image-compression: off"
                + " (uncompressed bitmaps), quic, lz, glz (LZ with a dictionary across a client's images), auto_lz"
                + " or auto_glz (QUIC for photo-like images, LZ or GLZ for the others); default ${DEFAULT-VALUE}.")
        String imageCompression = DisplaySettings.IMAGE_COMPRESSION_DEFAULT;

        @Option(names = "--jpeg-compression", description = "JPEG (lossy) instead of QUIC for photo-like images, as"
                + " spice-server's jpeg-wan-compression: never, auto (clients outside this host and the private"
                + " networks) or always; default ${DEFAULT-VALUE}: every image lossless.")
        String jpegCompression = DisplaySettings.JPEG_COMPRESSION_DEFAULT;

        @Option(names = "--streaming-video", description = "off, all or filter (default ${DEFAULT-VALUE}).")
        String streamingVideo = DisplaySettings.STREAMING_VIDEO_DEFAULT;

        @Option(names = "--video-codecs", paramLabel = "LIST", description = "Codecs video streams may use, most"
                + " wanted first, as spice-server's video-codecs: mjpeg, vp8, h264, vp9 (default ${DEFAULT-VALUE};"
                + " the client's preference reorders them).")
        String videoCodecs = DisplaySettings.VIDEO_CODECS_DEFAULT;

        /** Server options by their names, for telling which ones the command line gave. */
        static final List<String> SERVER_OPTIONS = List.of("--listen", "--tls-port", "--x509-dir",
                "--secure-channels", "--password-file", "--sasl-users", "--name", "--websocket", "--webdav");
        /** The tunnel bundle's folder sharing (server role), configured only by --webdav. */
        static final String WEBDAV_PID = "org.spice.tunnel.webdav";
        static final List<String> DISPLAY_OPTIONS = List.of("--source", "--monitors", "--image-compression",
                "--jpeg-compression", "--streaming-video", "--video-codecs");
        /** The most heads --monitors gives (the display sources' limit). */
        static final int MAX_MONITORS = 16;
        /** host:port, the host an IPv6 literal in brackets, a name or empty (every interface). */
        static final String HOST_PORT = "(\\[[0-9a-fA-F:.]+\\]|[^:\\s]*):\\d{1,5}";

        private void checkChoice(String option, String value, List<String> choices) {
            if (!choices.contains(value) && spec != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), option + " must be one of "
                        + String.join(", ", choices) + ", not '" + value + "'");
            }
        }

        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;

        /**
         * Writes the server and display configurations and waits for the server service; null when it did not
         * start. A configuration that the deploy directory holds as PID.cfg is FileInstall's to apply (and to
         * change while the server runs); the command then writes none for that PID, and refuses options that
         * would be ignored.
         */
        SpiceServer start(Runtime rt) throws IOException, InterruptedException {
            checkChoice("--image-compression", imageCompression, DisplaySettings.IMAGE_COMPRESSIONS);
            checkChoice("--jpeg-compression", jpegCompression, DisplaySettings.JPEG_COMPRESSIONS);
            checkChoice("--streaming-video", streamingVideo, DisplaySettings.STREAMING_VIDEO);
            if ((monitors < 1 || monitors > MAX_MONITORS) && spec != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--monitors must be 1.." + MAX_MONITORS
                        + ", not " + monitors);
            }
            if (monitors > 1 && !source.equals("demo") && !source.startsWith("screen") && spec != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--monitors applies to the demo and"
                        + " screen sources, not " + source);
            }
            if (websocket != null && !websocket.matches(HOST_PORT) && spec != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--websocket must be host:port, not '"
                        + websocket + "'");
            }
            try {
                videoCodecs = ScreenshotCommand.videoCodecList(videoCodecs);
            } catch (IllegalArgumentException e) {
                if (spec != null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--video-codecs: " + e.getMessage());
                }
                throw e;
            }
            Path serverFile = deployedConfig(rt, ServerConfig.PID);
            Path displayFile = deployedConfig(rt, DISPLAY_PID);
            refuseGiven(serverFile, SERVER_OPTIONS);
            refuseGiven(displayFile, DISPLAY_OPTIONS);
            if (displayFile == null && (source.equals("screen") || source.startsWith("screen:"))) {
                refuseScreen();
            }
            if (displayFile == null && given(DISPLAY_OPTIONS)) {
                // Written only for options given: without them the display's own defaults (the same) apply, and
                // a configuration written for nothing would restart the display under a server already up.
                Hashtable<String, Object> display = new Hashtable<>();
                display.put("source", source.startsWith("image:")
                        ? "image:" + Path.of(source.substring(6)).toAbsolutePath() : source);
                display.put("image.compression", imageCompression);
                display.put("jpeg.compression", jpegCompression);
                display.put("streaming.video", streamingVideo);
                display.put("monitors", monitors);
                display.put("video.codecs", videoCodecs);
                rt.configAdmin().getConfiguration(DISPLAY_PID, "?").update(display);
            } else if (displayFile != null) {
                rt.out().println("display configured by " + displayFile);
            }
            ServiceTracker<SpiceServer, SpiceServer> t = new ServiceTracker<>(rt.context(), SpiceServer.class, null);
            t.open();
            try {
                if (serverFile == null) {
                    Hashtable<String, Object> props = new Hashtable<>();
                    props.put("listen", listen);
                    props.put("tls.port", tlsPort);
                    props.put("x509.dir", x509Dir == null ? "" : x509Dir.toAbsolutePath().toString());
                    props.put("secure.channels", secureChannels);
                    props.put("password.file", passwordFile == null ? "" : passwordFile.toAbsolutePath().toString());
                    props.put("sasl.users.file", saslUsers == null ? "" : saslUsers.toAbsolutePath().toString());
                    props.put("name", name);
                    props.put("websocket.listen", websocket == null ? "" : websocket);
                    if (webdav != null) {
                        Hashtable<String, Object> w = new Hashtable<>();
                        w.put("host", webdav);
                        rt.configAdmin().getConfiguration(WEBDAV_PID, "?").update(w);
                    }
                    Configuration c = rt.configAdmin().getConfiguration(ServerConfig.PID, "?");
                    c.update(props);
                } else {
                    rt.out().println("server configured by " + serverFile);
                }
                return t.waitForService(TimeUnit.SECONDS.toMillis(20));
            } finally {
                t.close();
            }
        }

        /** {@code --source screen} needs a display this JVM can capture: refused as a usage error without one. */
        private void refuseScreen() {
            if (!source.equals("screen") && !source.matches("screen:fps=([1-9]|[1-5][0-9]|60)")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--source " + source
                        + ": use screen or screen:fps=N (N from 1 to 60)");
            }
            String why = noDisplay();
            if (why != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--source screen: " + why
                        + "; run it where a display is (DISPLAY set to a running X server), or use demo or"
                        + " image:PATH");
            }
        }

        /** Why this JVM has no screen to capture, or null when it has one (as the display's screen source asks). */
        static String noDisplay() {
            if (java.awt.GraphicsEnvironment.isHeadless()) {
                String display = System.getenv("DISPLAY");
                return Boolean.getBoolean("java.awt.headless") ? "this JVM runs with java.awt.headless=true"
                        : "no display" + (display == null || display.isEmpty() ? " (DISPLAY is not set)"
                                : " (DISPLAY=" + display + ")");
            }
            try {
                return java.awt.GraphicsEnvironment.getLocalGraphicsEnvironment().getScreenDevices().length == 0
                        ? "the display " + System.getenv("DISPLAY") + " has no screen" : null;
            } catch (java.awt.AWTError | java.awt.HeadlessException | UnsatisfiedLinkError e) {
                return "cannot open the display " + System.getenv("DISPLAY") + ": " + e.getMessage();
            }
        }

        private boolean given(List<String> names) {
            return spec != null && names.stream().anyMatch(n -> spec.commandLine().getParseResult()
                    .hasMatchedOption(n));
        }

        private void refuseGiven(Path file, List<String> names) {
            if (file == null || !given(names)) {
                return;
            }
            List<String> given = names.stream().filter(n -> spec.commandLine().getParseResult().hasMatchedOption(n))
                    .toList();
            throw new CommandLine.ParameterException(spec.commandLine(), String.join(", ", given) + ": " + file
                    + " configures this; change the file (it is read again when it changes) or move it away");
        }

        /** DEPLOY_DIR/PID.cfg when FileInstall applies it in this runtime, else null. */
        static Path deployedConfig(Runtime rt, String pid) {
            String dir = rt.context().getProperty("felix.fileinstall.dir");
            if (dir == null) {
                return null;
            }
            Path f = Path.of(dir).resolve(pid + ".cfg").toAbsolutePath();
            String filter = rt.context().getProperty("felix.fileinstall.filter");
            if (!Files.isRegularFile(f) || filter != null && !f.getFileName().toString().matches(filter)) {
                return null;
            }
            return f;
        }
    }

    @Command(name = "server", mixinStandardHelpOptions = true, description = "Run the SPICE server.")
    static final class ServerCommand implements Callable<Integer> {
        private final Runtime rt;
        @Mixin
        ServerOptions options = new ServerOptions();

        ServerCommand(Runtime rt) {
            this.rt = rt;
        }

        @Override
        public Integer call() {
            try {
                SpiceServer s = options.start(rt);
                if (s == null) {
                    rt.err().println("error: the SPICE server did not start; the log above says why");
                    return 1;
                }
                announce(rt, s);
                rt.awaitStop();
                return 0;
            } catch (IOException e) {
                rt.err().println("error: " + e.getMessage());
                return 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
    }

    /**
     * Stops the active bundles of {@code symbolicNames} for this run (transiently), printing {@code says} with the
     * short names of those stopped: the gateway and replay keep viewers from being offered this runtime's own sound
     * and devices as if they were the VM's.
     */
    static void stopBundles(Runtime rt, List<String> symbolicNames, String says) {
        List<String> stopped = new java.util.ArrayList<>();
        for (org.osgi.framework.Bundle b : rt.context().getBundles()) {
            if (symbolicNames.contains(b.getSymbolicName()) && b.getState() == org.osgi.framework.Bundle.ACTIVE) {
                try {
                    b.stop(org.osgi.framework.Bundle.STOP_TRANSIENT);
                    stopped.add(b.getSymbolicName().substring("org.spice.".length()));
                } catch (org.osgi.framework.BundleException e) {
                    rt.err().println("warning: cannot stop " + b.getSymbolicName() + ": " + e.getMessage());
                }
            }
        }
        if (!stopped.isEmpty()) {
            rt.out().println(says + String.join(" ", stopped));
        }
    }

    static void announce(Runtime rt, SpiceServer s) {
        s.plainAddress().ifPresent(a -> rt.out().println("SPICE server listening on spice://" + hostPort(a)));
        s.tlsAddress().ifPresent(a -> rt.out().println("SPICE server listening on spice+tls://" + hostPort(a)));
        rt.out().println("channels: " + String.join(" ", s.offeredChannels()));
        // Browsers get spice-html5 on every plaintext address (WebSocket carries SPICE there too).
        s.plainAddress().ifPresent(a -> rt.out().println("browsers: http://" + hostPort(a) + "/"));
        s.webSocketAddress().ifPresent(a -> rt.out().println("browsers: http://" + hostPort(a) + "/"));
        rt.out().flush();
    }

    private static String hostPort(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    @Command(name = "shell", mixinStandardHelpOptions = true,
            description = "Run the server with the Gogo console; spice:sessions, spice:channels, spice:connect,"
                    + " spice:disconnect use both roles.")
    static final class ShellCommand implements Callable<Integer> {
        private final Runtime rt;
        @Mixin
        ServerOptions options = new ServerOptions();

        ShellCommand(Runtime rt) {
            this.rt = rt;
        }

        @Override
        public Integer call() throws Exception {
            SpiceServer s = options.start(rt);
            if (s == null) {
                rt.err().println("warning: the SPICE server did not start; the client commands still work");
            } else {
                announce(rt, s);
            }
            rt.out().println("Gogo shell: try spice:sessions, spice:channels, spice:connect spice://HOST:PORT;"
                    + " 'exit 0' or Ctrl-D quits.");
            rt.awaitStop();
            return 0;
        }
    }

    /** Password, SASL user and TLS options of client commands. */
    static final class ClientAuth {
        @Option(names = "--password-file", description = "File with the password (or set SPICE_PASSWORD).")
        Path passwordFile;

        @Option(names = "--user", paramLabel = "NAME", description = "SASL user name (or set SPICE_USER); the"
                + " password is the SASL password then.")
        String user;

        @Option(names = "--ca-file", description = "PEM file of the CA that signed the server certificate.")
        Path caFile;

        @Option(names = "--host-subject", description = "Expected server certificate subject, e.g. 'C=XX,O=..,CN=..'.")
        String hostSubject;

        @Option(names = "--timeout", description = "Seconds to wait for each step (default 10, or the saved"
                + " client settings').")
        Integer timeoutSecondsOption;

        /** Loaded by options(); saved defaults for what the command line leaves out. */
        private ClientSettings saved = new ClientSettings(null, null, null);

        int timeoutSeconds() {
            return timeoutSecondsOption != null ? timeoutSecondsOption
                    : saved.timeoutSeconds() != null ? saved.timeoutSeconds() : 10;
        }

        /** Refuses a malformed SPICE_PROXY before anything connects. */
        void checkEnvironment() {
            String proxy = System.getenv("SPICE_PROXY");
            if (proxy != null && !proxy.isBlank()) {
                try {
                    ClientOptions.parseProxy(proxy);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("SPICE_PROXY: " + e.getMessage());
                }
            }
        }

        ClientOptions options(Runtime rt, SpiceUri uri) throws IOException {
            checkEnvironment();
            saved = ClientSettings.load();
            String pw;
            if (passwordFile != null) {
                pw = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            } else if (System.getenv("SPICE_PASSWORD") != null) {
                pw = System.getenv("SPICE_PASSWORD");
            } else {
                pw = uri.password();
                if (pw != null) {
                    rt.err().println("warning: a password in the URI is visible to other users and in shell"
                            + " history; use --password-file or SPICE_PASSWORD");
                }
            }
            String name = user != null ? user : System.getenv("SPICE_USER");
            String proxy = System.getenv("SPICE_PROXY");
            return new ClientOptions(pw, caFile != null ? caFile : saved.caFile(),
                    hostSubject != null ? hostSubject : saved.hostSubject(), true,
                    Duration.ofSeconds(timeoutSeconds()), saved.preferredCompression(), saved.preferredVideoCodecs(),
                    name, proxy == null || proxy.isBlank() ? null : ClientOptions.parseProxy(proxy));
        }
    }

    @Command(name = "probe", mixinStandardHelpOptions = true,
            description = "Link the main channel, then every channel the server lists, and print what it offers.")
    static final class ProbeCommand implements Callable<Integer> {
        private final Runtime rt;
        @Mixin
        ClientAuth auth = new ClientAuth();

        @Parameters(paramLabel = "URI", description = "spice://HOST:PORT[?tls-port=P] or spice+tls://HOST:PORT")
        String uri;

        ProbeCommand(Runtime rt) {
            this.rt = rt;
        }

        @Override
        public Integer call() {
            ClientSession session = null;
            try {
                SpiceUri u = SpiceUri.parse(uri);
                ClientOptions o = auth.options(rt, u).withConnectChannels(false);
                session = rt.client().connect(u, o).get();
                MainInfo m = session.main();
                rt.out().println("connected to " + u);
                rt.out().println("session id: 0x" + Long.toHexString(m.sessionId()));
                rt.out().println("name: " + (m.name() == null ? "(none)" : m.name()));
                rt.out().println("uuid: " + (m.uuid() == null ? "(none)" : m.uuid()));
                rt.out().println("mouse mode: " + mouseModes(m.currentMouseMode()) + " (supported: "
                        + mouseModes(m.supportedMouseModes()) + ")");
                rt.out().println("agent: " + (m.agentConnected() ? "connected, tokens " + m.agentTokens()
                        : "not connected"));
                printChannel(session.channels().get(0));
                for (MainMessages.ChannelId c : m.channels()) {
                    printChannel(session.link(c.type(), c.id()).get());
                }
                return 0;
            } catch (IllegalArgumentException e) {
                rt.err().println("error: " + e.getMessage());
                return EXIT_USAGE;
            } catch (IOException e) {
                rt.err().println("error: " + e.getMessage());
                return 1;
            } catch (ExecutionException | CompletionException e) {
                return failure(rt, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            } finally {
                if (session != null) {
                    SpiceCli.closeAndWait(session);
                }
            }
        }

        private void printChannel(LinkedChannel c) {
            rt.out().println("channel " + ChannelType.name(c.type()) + ":" + c.id() + (c.secure() ? " tls" : "")
                    + " common-caps " + c.commonCaps() + " channel-caps " + c.channelCaps());
        }

        static int failure(Runtime rt, Throwable t) {
            Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
            if (c instanceof SpiceLinkException e) {
                rt.err().println("error: " + e.getMessage());
                return e.isAuthenticationFailure() ? EXIT_AUTH : EXIT_CONNECT;
            }
            if (c instanceof ConnectException || c instanceof TimeoutException || c instanceof SSLException) {
                rt.err().println("error: " + c.getMessage());
                return EXIT_CONNECT;
            }
            if (c instanceof SpiceProtocolException) {
                rt.err().println("error: not a SPICE server, or it broke the protocol: " + c.getMessage());
                return EXIT_PROTOCOL;
            }
            rt.err().println("error: " + c);
            return 1;
        }
    }

    /** Closes a session in order (channels, then main) and waits a little for it, so the server sees a clean end. */
    static void closeAndWait(ClientSession session) {
        session.close();
        try {
            session.closed().get(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the process ends anyway; the server copes with a dropped connection
        }
    }

    @Command(name = "client-settings", mixinStandardHelpOptions = true,
            description = "Show or save the client settings kept between runs (CA file, host subject, timeout, preferred"
                    + " image compression).")
    static final class ClientSettingsCommand implements Callable<Integer> {
        private final Runtime rt;

        @Option(names = "--ca-file", description = "Default PEM file of the CA that signs servers' certificates.")
        Path caFile;

        @Option(names = "--host-subject", description = "Default expected server certificate subject.")
        String hostSubject;

        @Option(names = "--timeout", description = "Default seconds to wait for each step.")
        Integer timeout;

        @Option(names = "--preferred-compression", paramLabel = "NAME", description = "Image compression our client"
                + " asks servers to prefer (off, auto-glz, auto-lz, quic, glz, lz, lz4; 'none' forgets it).")
        String preferredCompression;

        @Option(names = "--preferred-video-codec", paramLabel = "LIST", description = "Video codecs our client asks"
                + " servers to stream in, most wanted first (e.g. h264,vp8,mjpeg; 'none' forgets them).")
        String preferredVideoCodecs;

        ClientSettingsCommand(Runtime rt) {
            this.rt = rt;
        }

        @Override
        public Integer call() throws IOException {
            ClientSettings s = ClientSettings.load();
            String compression = s.preferredCompression();
            if (preferredCompression != null) {
                compression = ScreenshotCommand.compressionName(preferredCompression);
                if (compression == null && !"none".equals(preferredCompression)) {
                    rt.err().println("error: unknown image compression '" + preferredCompression + "' (one of "
                            + String.join(", ", ScreenshotCommand.COMPRESSIONS) + ", or none)");
                    return EXIT_USAGE;
                }
            }
            String videoCodecs = s.preferredVideoCodecs();
            if (preferredVideoCodecs != null) {
                try {
                    videoCodecs = "none".equals(preferredVideoCodecs) ? null
                            : ScreenshotCommand.videoCodecList(preferredVideoCodecs);
                } catch (IllegalArgumentException e) {
                    rt.err().println("error: " + e.getMessage());
                    return EXIT_USAGE;
                }
            }
            if (caFile != null || hostSubject != null || timeout != null || preferredCompression != null
                    || preferredVideoCodecs != null) {
                s = new ClientSettings(caFile != null ? caFile : s.caFile(),
                        hostSubject != null ? hostSubject : s.hostSubject(), timeout != null ? timeout : s.timeoutSeconds(),
                        compression, videoCodecs);
                s.save();
                rt.out().println("saved " + ClientSettings.file());
            }
            rt.out().println("ca-file: " + (s.caFile() == null ? "(none: the JDK's trust store)" : s.caFile()));
            rt.out().println("host-subject: " + (s.hostSubject() == null ? "(none: the host name is checked)"
                    : s.hostSubject()));
            rt.out().println("timeout: " + (s.timeoutSeconds() == null ? "10 (default)" : s.timeoutSeconds()) + " s");
            rt.out().println("preferred-compression: " + (s.preferredCompression() == null
                    ? "(none: the server chooses)" : s.preferredCompression()));
            rt.out().println("preferred-video-codec: " + (s.preferredVideoCodecs() == null
                    ? "(none: the server chooses)" : s.preferredVideoCodecs()));
            return 0;
        }
    }

    static String mouseModes(int flags) {
        List<String> names = new java.util.ArrayList<>();
        if ((flags & MainMessages.MOUSE_MODE_SERVER) != 0) {
            names.add("server");
        }
        if ((flags & MainMessages.MOUSE_MODE_CLIENT) != 0) {
            names.add("client");
        }
        return names.isEmpty() ? "none" : String.join(",", names);
    }
}
