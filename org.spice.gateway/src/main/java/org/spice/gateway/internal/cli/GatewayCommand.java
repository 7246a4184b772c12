package org.spice.gateway.internal.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.tracker.ServiceTracker;
import org.spice.cli.CommandContext;
import org.spice.cli.CommandProvider;
import org.spice.cli.ExitCodes;
import org.spice.cli.LocalServer;
import org.spice.cli.OptionChecks;
import org.spice.desktop.DisplaySource;
import org.spice.desktop.Frame;
import org.spice.display.api.DisplaySettings;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.server.ServerConfig;
import org.spice.protocol.server.SpiceServer;
import org.spice.protocol.spi.ServerChannelFactory;
import org.spice.protocol.spi.SpiceChannel;
import org.spice.tunnel.api.ServerPort;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spice gateway --target spice://HOST:PORT}: one client session to a VM, shown by this runtime's server to
 * every viewer. Writes the three configurations the gateway bundle works with: a gateway (factory PID
 * org.spice.gateway), the server (org.spice.server) and the display showing the gateway (org.spice.display,
 * {@code source=service:gateway}); waits for the VM's first picture, then announces the server.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = "Connect to a VM once and show it to many viewers: every viewer gets the VM's displays (one"
                + " window each), cursor and sound, the controlling viewer's keys, pointer, ports, smart cards and USB"
                + " devices reach the VM, and the VM hears the microphone of the viewer with the record floor.")
public final class GatewayCommand implements Callable<Integer> {
    static final String GATEWAY_PID = "org.spice.gateway";
    static final String NAME = "gateway";
    static final List<String> CONTROLS = List.of("first", "all", "none");
    static final List<String> RECORD_FLOORS = List.of("controller", "first", "none");
    /**
     * The bundle of the port channel, which the gateway relays: it keeps running for its client role, with its
     * server side offering only the ports the gateway registers.
     */
    static final String PORTS_BUNDLE = "org.spice.tunnel";
    static final String PLAYBACK_CLIENT_PID = "org.spice.playback.client";
    /** The server's agent, which viewers talk to: it shares the VM's clipboard (the gateway's) and nothing else. */
    static final String AGENT_PID = "org.spice.agent";
    /** How long the announcement waits for the VM's first picture. */
    private static final long PICTURE_WAIT_SECONDS = 20;

    private final CommandContext rt;

    @Option(names = "--target", required = true, paramLabel = "spice://HOST:PORT",
            description = "The VM's SPICE server.")
    String target;

    @Option(names = "--target-password-file", paramLabel = "F", description = "File with the VM's password.")
    Path targetPasswordFile;

    @Option(names = "--target-ca-file", paramLabel = "F", description = "CA certificate (PEM) the VM's TLS"
            + " certificate must chain to, for a --target with tls-port= or spice+tls://.")
    Path targetCaFile;

    @Option(names = "--target-host-subject", paramLabel = "S", description = "Subject the VM's certificate must"
            + " carry (e.g. CN=vm.example), as remote-viewer's host-subject; without it the host name is checked.")
    String targetHostSubject;

    @Option(names = "--listen", description = "Where viewers connect, host:port (default ${DEFAULT-VALUE}).")
    String listen = "127.0.0.1:5930";

    @Option(names = "--tls-port", paramLabel = "P", description = "A TLS port for viewers on the --listen host"
            + " (browsers get https and wss there); needs --x509-dir.")
    int tlsPort;

    @Option(names = "--x509-dir", paramLabel = "D", description = "Directory with ca-cert.pem, server-cert.pem and"
            + " server-key.pem (PKCS#8), as QEMU's x509-dir.")
    Path x509Dir;

    @Option(names = "--secure-channels", paramLabel = "LIST", description = "Channels viewers must use TLS for:"
            + " names such as main,display, or 'default' for all.")
    String secureChannels = "";

    @Option(names = "--websocket", paramLabel = "HOST:PORT", description = "An extra address for browsers: the"
            + " spice-html5 page at / and WebSocket (--listen takes both too).")
    String websocket;

    @Option(names = "--password-file", paramLabel = "F", description = "File with the viewers' password (or set"
            + " SPICE_PASSWORD).")
    Path passwordFile;

    @Option(names = "--max-viewers", description = "Viewers connected at the same time at most; more are refused"
            + " (default ${DEFAULT-VALUE}).")
    int maxViewers = 16;

    @Option(names = "--viewer-silence", paramLabel = "SECONDS", description = "A viewer's connection that sent"
            + " nothing for 15 s is pinged; it is closed when nothing comes back within SECONDS of the ping (default"
            + " ${DEFAULT-VALUE}, as spice-server). A viewer stopped or gone without closing is dropped after that.")
    int viewerSilence = 30;

    @Option(names = "--record", paramLabel = "DIR", description = "Write each session with the VM to DIR as a"
            + " recording (./spice replay and export read it).")
    Path record;

    @Option(names = "--record-max-mb", paramLabel = "N", description = "A recording file's size at most; the"
            + " session goes on in a next file (default ${DEFAULT-VALUE}).")
    int recordMaxMb = 256;

    @Option(names = "--control", description = "Whose input reaches the VM: first (the viewer connected longest),"
            + " all or none (default ${DEFAULT-VALUE}).")
    String control = "first";

    @Option(names = "--record-floor", paramLabel = "RULE", description = "Whose microphone the VM hears, one viewer"
            + " at a time: controller (the controlling viewer; needs --control first), first (the first viewer that"
            + " starts recording, until it stops or leaves; then the next one recording) or none. Default: controller"
            + " with --control first, first with --control all, none with --control none.")
    String recordFloor;

    GatewayCommand(CommandContext rt) {
        this.rt = rt;
    }

    @Override
    public Integer call() throws Exception {
        SpiceUri uri;
        try {
            uri = SpiceUri.parse(target);
            if (!CONTROLS.contains(control)) {
                throw new IllegalArgumentException("--control must be one of " + String.join(", ", CONTROLS)
                        + ", not '" + control + "'");
            }
            if (recordFloor != null && !RECORD_FLOORS.contains(recordFloor)) {
                throw new IllegalArgumentException("--record-floor must be one of " + String.join(", ", RECORD_FLOORS)
                        + ", not '" + recordFloor + "'");
            }
            if ("controller".equals(recordFloor) && !"first".equals(control)) {
                throw new IllegalArgumentException("--record-floor controller needs --control first (with --control "
                        + control + " no one viewer controls)");
            }
            OptionChecks.readableFile(targetPasswordFile);
            OptionChecks.readableFile(targetCaFile);
            OptionChecks.range("--tls-port", tlsPort, 0, 65535);
            if (tlsPort > 0 && (x509Dir == null || !java.nio.file.Files.isDirectory(x509Dir))) {
                throw new IllegalArgumentException("--tls-port needs --x509-dir, a directory with ca-cert.pem,"
                        + " server-cert.pem and server-key.pem");
            }
            if (targetHostSubject != null && targetCaFile == null) {
                throw new IllegalArgumentException("--target-host-subject needs --target-ca-file");
            }
            OptionChecks.readableFile(passwordFile);
            OptionChecks.range("--max-viewers", maxViewers, 1, 1000);
            OptionChecks.range("--viewer-silence", viewerSilence, 1, 86_400);
            OptionChecks.range("--record-max-mb", recordMaxMb, 1, 1024 * 1024);
            if (record != null) {
                OptionChecks.directoryOrAbsent(record, "--record " + record);
            }
            if (websocket != null && !websocket.matches(OptionChecks.HOST_PORT)) {
                throw new IllegalArgumentException("--websocket must be host:port, not '" + websocket + "'");
            }
            if (uri.password() != null) {
                throw new IllegalArgumentException("no password in --target: use --target-password-file");
            }
        } catch (IllegalArgumentException e) {
            rt.err().println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        Path deployed = LocalServer.deployedConfig(rt, ServerConfig.PID, DisplaySettings.PID);
        if (deployed != null) {
            rt.err().println("error: " + deployed + " configures the server this command sets up; move it away,"
                    + " or run the gateway from configuration files alone"
                    + " (org.spice.gateway-NAME.cfg with the server's and the display's, see README)");
            return ExitCodes.USAGE;
        }
        // Viewers would otherwise be offered this runtime's own ports and tunnels beside the VM's as if they were the
        // VM's.
        disableOwnPorts();
        Hashtable<String, Object> gateway = new Hashtable<>();
        gateway.put("target", uri.toString());
        gateway.put("target.password.file", targetPasswordFile == null ? ""
                : targetPasswordFile.toAbsolutePath().toString());
        gateway.put("target.ca.file", targetCaFile == null ? "" : targetCaFile.toAbsolutePath().toString());
        gateway.put("target.host.subject", targetHostSubject == null ? "" : targetHostSubject);
        gateway.put("control", control);
        gateway.put("record.floor", recordFloor == null ? "" : recordFloor);
        gateway.put("name", NAME);
        if (record != null) {
            gateway.put("record.dir", record.toAbsolutePath().toString());
            gateway.put("record.max.mb", recordMaxMb);
        }
        rt.configAdmin().getFactoryConfiguration(GATEWAY_PID, "cli", "?").update(gateway);
        Hashtable<String, Object> display = new Hashtable<>();
        display.put("source", "service:" + NAME);
        rt.configAdmin().getConfiguration(DisplaySettings.PID, "?").update(display);
        // The VM's sound goes on to the viewers, not to this machine's speakers.
        Hashtable<String, Object> sound = new Hashtable<>();
        sound.put("device", false);
        rt.configAdmin().getConfiguration(PLAYBACK_CLIENT_PID, "?").update(sound);
        // Viewers' agent: the clipboard is the VM's (the gateway ranks it above this runtime's); files a viewer sends
        // would land on this machine, not in the VM, and a viewer's monitors config would resize nothing, so both are
        // refused as such (spice-gtk shows file transfer as disabled).
        Hashtable<String, Object> agent = new Hashtable<>();
        agent.put("file.xfer.enabled", false);
        agent.put("monitors.config", false);
        agent.put("clipboard.backend", "memory");
        rt.configAdmin().getConfiguration(AGENT_PID, "?").update(agent);

        ServiceTracker<SpiceServer, SpiceServer> servers = new ServiceTracker<>(rt.context(), SpiceServer.class, null);
        servers.open();
        try {
            Hashtable<String, Object> server = new Hashtable<>();
            server.put("listen", listen);
            server.put("tls.port", tlsPort);
            server.put("x509.dir", x509Dir == null ? "" : x509Dir.toAbsolutePath().toString());
            server.put("secure.channels", secureChannels);
            server.put("password.file", passwordFile == null ? "" : passwordFile.toAbsolutePath().toString());
            server.put("name", "SPICE gateway to " + uri);
            server.put("max.clients", maxViewers);
            server.put("peer.silence.seconds", viewerSilence);
            if (websocket != null) {
                server.put("websocket.listen", websocket);
            }
            Configuration c = rt.configAdmin().getConfiguration(ServerConfig.PID, "?");
            c.update(server);
            SpiceServer s = servers.waitForService(TimeUnit.SECONDS.toMillis(20));
            if (s == null) {
                rt.err().println("error: the SPICE server did not start; the log above says why");
                return 1;
            }
            awaitPicture(uri);
            LocalServer.announce(rt, s);
            rt.awaitStop();
            return 0;
        } finally {
            servers.close();
        }
    }

    /**
     * Disables, for this run, the components of the port bundle that would offer viewers this runtime's own
     * channels: server channels other than the port channel (the tunnel channel, WebDAV) and ports of its own (the
     * echo port). Its client role, which the gateway uses to reach the VM's ports, keeps running.
     */
    private void disableOwnPorts() {
        BundleContext ctx = rt.context();
        ServiceReference<ServiceComponentRuntime> ref = ctx.getServiceReference(ServiceComponentRuntime.class);
        ServiceComponentRuntime scr = ref == null ? null : ctx.getService(ref);
        if (scr == null) {
            return;
        }
        try {
            List<String> disabled = new ArrayList<>();
            for (Bundle b : ctx.getBundles()) {
                if (!PORTS_BUNDLE.equals(b.getSymbolicName())) {
                    continue;
                }
                for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
                    List<String> services = List.of(d.serviceInterfaces);
                    boolean otherServerChannel = services.contains(ServerChannelFactory.class.getName())
                            && !Integer.valueOf(ChannelType.PORT)
                                    .equals(d.properties.get(SpiceChannel.CHANNEL_TYPE));
                    if ((otherServerChannel || services.contains(ServerPort.class.getName()))
                            && scr.isComponentEnabled(d)) {
                        scr.disableComponent(d);
                        disabled.add(d.name.substring(d.name.lastIndexOf('.') + 1));
                    }
                }
            }
            if (!disabled.isEmpty()) {
                rt.out().println("gateway: this runtime's own ports and tunnels are not offered to viewers ("
                        + String.join(" ", disabled) + " disabled)");
            }
        } finally {
            ctx.ungetService(ref);
        }
    }

    /** Waits for the VM's first picture, so that the first viewers get it rather than a black screen. */
    private void awaitPicture(SpiceUri uri) throws InterruptedException {
        Filter f;
        try {
            f = FrameworkUtil.createFilter("(&(objectClass=" + DisplaySource.class.getName() + ")("
                    + DisplaySource.NAME + "=" + NAME + "))");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        ServiceTracker<DisplaySource, DisplaySource> t = new ServiceTracker<>(rt.context(), f, null);
        t.open();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PICTURE_WAIT_SECONDS);
            while (System.nanoTime() < deadline) {
                DisplaySource s = t.getService();
                Frame frame = s == null ? null : s.frame();
                if (frame != null && frame.serial() > 0) {
                    rt.out().println("gateway: showing " + uri + " (" + frame.width() + "x" + frame.height() + ")");
                    return;
                }
                Thread.sleep(50);
            }
            rt.out().println("gateway: no picture from " + uri + " within " + PICTURE_WAIT_SECONDS
                    + " s; viewers see black until it comes (the log says why)");
        } finally {
            t.close();
        }
    }

    /** Contributes {@code spice gateway} while this bundle runs. */
    @Component
    public static final class Provider implements CommandProvider {
        @Override
        public String name() {
            return "gateway";
        }

        @Override
        public Object command(CommandContext context) {
            return new GatewayCommand(context);
        }
    }
}
