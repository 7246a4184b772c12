package org.spice.cli;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.spice.protocol.server.SpiceServer;

/** For the commands that run this runtime's server (server, gateway, replay): its configuration files and output. */
public final class LocalServer {
    private LocalServer() {
    }

    /** Prints where the server listens (SPICE, TLS, browsers) and the channels it offers. */
    public static void announce(CommandContext rt, SpiceServer s) {
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

    /**
     * Stops the active bundles of {@code symbolicNames} for this run (transiently), printing {@code says} with the
     * short names of those stopped: the gateway and replay keep viewers from being offered this runtime's own sound
     * and devices as if they were the VM's.
     */
    public static void stopBundles(CommandContext rt, List<String> symbolicNames, String says) {
        List<String> stopped = new ArrayList<>();
        for (Bundle b : rt.context().getBundles()) {
            if (symbolicNames.contains(b.getSymbolicName()) && b.getState() == Bundle.ACTIVE) {
                try {
                    b.stop(Bundle.STOP_TRANSIENT);
                    stopped.add(b.getSymbolicName().substring("org.spice.".length()));
                } catch (BundleException e) {
                    rt.err().println("warning: cannot stop " + b.getSymbolicName() + ": " + e.getMessage());
                }
            }
        }
        if (!stopped.isEmpty()) {
            rt.out().println(says + String.join(" ", stopped));
        }
    }

    /** DEPLOY_DIR/PID.cfg when FileInstall applies it in this runtime, else null. */
    public static Path deployedConfig(CommandContext rt, String pid) {
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

    /**
     * For the commands that set up this runtime's server themselves (gateway, replay): the first configuration file
     * of {@code pids} (the server's, the display's) in the deploy directory, which would fight theirs, or null.
     */
    public static Path deployedConfig(CommandContext rt, String... pids) {
        for (String pid : pids) {
            Path f = deployedConfig(rt, pid);
            if (f != null) {
                return f;
            }
        }
        return null;
    }
}
