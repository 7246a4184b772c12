package org.spice.tunnel.internal.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Component;
import org.spice.cli.ClientCommand;
import org.spice.cli.CommandContext;
import org.spice.cli.CommandProvider;
import org.spice.cli.OptionChecks;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientSession;
import org.spice.tunnel.api.ClientPorts;
import org.spice.tunnel.api.PortConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spice port URI NAME}: opens the port channel named NAME and bridges it to stdin/stdout or, with
 * {@code --connect}, to a TCP connection.
 */
@Command(name = "port", mixinStandardHelpOptions = true,
        description = "Open the port channel NAME (e.g. org.qemu.monitor.hmp.0) and bridge it to stdin/stdout,"
                + " or to a TCP connection with --connect.",
        footer = {"", "Example: echo 'info version' | spice port spice://127.0.0.1:5900 org.qemu.monitor.hmp.0"})
public final class PortCommand extends ClientCommand<ClientPorts> {
    @Option(names = "--connect", paramLabel = "HOST:PORT", description = "Bridge to this TCP address instead.")
    String connect;

    @Option(names = "--wait", description = "Seconds to keep printing what the port sends after stdin ends"
            + " (default ${DEFAULT-VALUE}).")
    double waitSeconds = 2;

    @Parameters(index = "1", paramLabel = "NAME", description = "The port name the server announces.")
    String name;

    private InetSocketAddress target;

    PortCommand(CommandContext rt) {
        super(rt, ClientPorts.class, "port (org.spice.tunnel)");
    }

    @Override
    protected void validate() {
        if (connect != null) {
            InetSocketAddress a = OptionChecks.hostPort("--connect", connect);
            target = new InetSocketAddress(a.getHostString(), a.getPort());
        }
    }

    @Override
    protected int run(ClientPorts ports, ClientSession session, SpiceUri u) throws Exception {
        requireChannel(session, u, ChannelType.PORT);
        PortConnection port = await(ports.open(session, name), "port " + name + " did not open");
        rt.err().println("port " + name + " open" + (port.serverOpened() ? "" : " (the server side is closed)"));
        Bridge bridge = new Bridge(port);
        boolean kept;
        if (target != null) {
            try (Socket s = new Socket()) {
                s.connect(target, auth.timeoutSeconds() * 1000);
                Thread up = copy("port-upload", s.getInputStream(), bridge);
                kept = pumpAcrossMigrations(ports, session, bridge, s.getOutputStream());
                up.interrupt();
            }
        } else {
            OutputStream out = rt.out();
            Thread up = copy("port-stdin", System.in, bridge);
            kept = pumpAcrossMigrations(ports, session, bridge, out);
            up.interrupt();
        }
        bridge.port.close();
        if (!kept) {
            rt.err().println("error: the server closed port " + name);
            return 1;
        }
        return 0;
    }

    /**
     * The port this command bridges now: a live migration closes the port channel and the session links it again on
     * the destination, where the port is opened anew. {@code ending} is set once this side has finished.
     */
    private static final class Bridge {
        volatile PortConnection port;
        volatile boolean ending;

        Bridge(PortConnection port) {
            this.port = port;
        }
    }

    /**
     * Copies what the port sends until its channel closes; when the session moved to another host meanwhile, opens
     * the port there and goes on. False when the server closed the port while the session stayed where it was (a
     * gateway refusing a watcher, say): opening it again there would only be refused again.
     */
    private boolean pumpAcrossMigrations(ClientPorts ports, ClientSession session, Bridge bridge, OutputStream out) {
        for (;;) {
            SpiceUri openedAt = session.uri();
            pump(bridge.port.input(), out);
            if (bridge.ending || session.closed().isDone()) {
                return true;
            }
            if (!moved(session, openedAt, bridge)) {
                return session.closed().isDone(); // a lost session is told as such
            }
            PortConnection again = reopen(ports, session, bridge.port);
            if (again == null) {
                return true; // the channel closed for good
            }
            bridge.port = again;
            rt.err().println("port " + name + " open again on " + session.uri() + " (the session moved there)");
        }
    }

    /**
     * Whether the session moves away from {@code from}: a migration closes this side's channels first and takes its
     * new host a moment later, so this waits up to two timeouts for it (or for the session's or the bridge's end).
     */
    private boolean moved(ClientSession session, SpiceUri from, Bridge bridge) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(auth.timeoutSeconds() * 2L);
        while (session.uri().equals(from)) {
            if (bridge.ending || session.closed().isDone() || System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * The port opened again after a migration, or null when the session ended or the port did not come back within
     * two timeouts. An attempt made while the session is still between the two hosts (the source's channels closing,
     * the destination's not yet its own) fails at once or finds the {@code closed} port; it is tried again.
     */
    private PortConnection reopen(ClientPorts ports, ClientSession session, PortConnection closed) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(auth.timeoutSeconds() * 2L);
        while (!session.closed().isDone()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            try {
                PortConnection p = ports.open(session, name).get(left, TimeUnit.NANOSECONDS);
                if (p != closed) {
                    return p;
                }
                Thread.sleep(100); // still the source's port, which has closed
            } catch (ExecutionException e) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            } catch (TimeoutException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    /** Copies until the port's input ends. */
    private static void pump(InputStream in, OutputStream out) {
        byte[] b = new byte[65536];
        try {
            for (int n; (n = in.read(b)) >= 0; ) {
                out.write(b, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the other side went away
        }
    }

    /**
     * Copies {@code in} to the bridged port on a daemon thread (a write that fails because the port's channel closed
     * is retried on the port opened after a migration); at its end, closes the port after --wait.
     */
    private Thread copy(String threadName, InputStream in, Bridge bridge) {
        Thread th = new Thread(() -> {
            byte[] b = new byte[65536];
            try {
                for (int n; (n = in.read(b)) >= 0; ) {
                    if (!write(bridge, b, n)) {
                        break;
                    }
                }
            } catch (IOException e) {
                // ends the copy
            }
            try {
                Thread.sleep((long) (waitSeconds * 1000));
            } catch (InterruptedException e) {
                return;
            }
            bridge.ending = true;
            bridge.port.close();
        }, threadName);
        th.setDaemon(true);
        th.start();
        return th;
    }

    /** Writes to the bridged port; when its channel closed, waits for the port opened after a migration. */
    private boolean write(Bridge bridge, byte[] b, int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(auth.timeoutSeconds() * 2L);
        for (;;) {
            PortConnection p = bridge.port;
            try {
                p.output().write(b, 0, n);
                return true;
            } catch (IOException e) {
                while (bridge.port == p) {
                    if (System.nanoTime() > deadline) {
                        return false;
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException ie) {
                        return false;
                    }
                }
            }
        }
    }

    /** Contributes {@code spice port} while this bundle runs. */
    @Component
    public static final class Provider implements CommandProvider {
        @Override
        public String name() {
            return "port";
        }

        @Override
        public Object command(CommandContext context) {
            return new PortCommand(context);
        }
    }
}
