package org.spice.runtime.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.osgi.service.cm.Configuration;
import org.osgi.util.tracker.ServiceTracker;
import org.spice.cli.LocalServer;
import org.spice.cli.OptionChecks;
import org.spice.display.api.DisplaySettings;
import org.spice.display.video.VideoCodec;
import org.spice.protocol.server.ServerConfig;
import org.spice.protocol.server.SpiceServer;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options of the server role, shared by {@code server} and {@code shell}. */
final class ServerOptions {
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

    @Option(names = "--max-clients", paramLabel = "N", description = "Clients attached at the same time, 1.."
            + MAX_CLIENTS + " (default ${DEFAULT-VALUE}).")
    int maxClients = 16;

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
            "--secure-channels", "--password-file", "--sasl-users", "--name", "--max-clients", "--websocket",
            "--webdav");
    /** The most clients --max-clients admits (each holds a session's channels and their buffers). */
    static final int MAX_CLIENTS = 1000;
    /** The tunnel bundle's folder sharing (server role), configured only by --webdav. */
    static final String WEBDAV_PID = "org.spice.tunnel.webdav";
    static final List<String> DISPLAY_OPTIONS = List.of("--source", "--monitors", "--image-compression",
            "--jpeg-compression", "--streaming-video", "--video-codecs");
    /** The most heads --monitors gives (the display sources' limit). */
    static final int MAX_MONITORS = 16;
    /** host:port, the host an IPv6 literal in brackets, a name or empty (every interface). */

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
        if ((maxClients < 1 || maxClients > MAX_CLIENTS) && spec != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-clients must be 1.." + MAX_CLIENTS
                    + ", not " + maxClients);
        }
        if (websocket != null && !websocket.matches(OptionChecks.HOST_PORT) && spec != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--websocket must be host:port, not '"
                    + websocket + "'");
        }
        try {
            videoCodecs = VideoCodec.canonicalList(videoCodecs);
        } catch (IllegalArgumentException e) {
            if (spec != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--video-codecs: " + e.getMessage());
            }
            throw e;
        }
        Path serverFile = LocalServer.deployedConfig(rt, ServerConfig.PID);
        Path displayFile = LocalServer.deployedConfig(rt, DisplaySettings.PID);
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
            rt.configAdmin().getConfiguration(DisplaySettings.PID, "?").update(display);
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
                props.put("max.clients", maxClients);
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
}
