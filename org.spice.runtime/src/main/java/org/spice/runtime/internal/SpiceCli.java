package org.spice.runtime.internal;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.spice.display.api.DisplaySettings;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.server.SpiceServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

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
        cl.addSubcommand("bench", new CommandLine(new BenchCommand(rt)).addSubcommand("viewers",
                new BenchViewersCommand(rt)));
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
}
