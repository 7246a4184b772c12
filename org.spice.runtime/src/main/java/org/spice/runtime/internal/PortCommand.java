package org.spice.runtime.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.util.tracker.ServiceTracker;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientSession;
import org.spice.tunnel.api.ClientPorts;
import org.spice.tunnel.api.PortConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
final class PortCommand implements Callable<Integer> {
    private final Runtime rt;
    @Mixin
    SpiceCli.ClientAuth auth = new SpiceCli.ClientAuth();

    @Option(names = "--connect", paramLabel = "HOST:PORT", description = "Bridge to this TCP address instead.")
    String connect;

    @Option(names = "--wait", description = "Seconds to keep printing what the port sends after stdin ends"
            + " (default ${DEFAULT-VALUE}).")
    double waitSeconds = 2;

    @Parameters(index = "0", paramLabel = "URI", description = "spice://HOST:PORT[?tls-port=P] or spice+tls://HOST:PORT")
    String uri;

    @Parameters(index = "1", paramLabel = "NAME", description = "The port name the server announces.")
    String name;

    PortCommand(Runtime rt) {
        this.rt = rt;
    }

    @Override
    public Integer call() throws Exception {
        SpiceUri u;
        InetSocketAddress target = null;
        try {
            u = SpiceUri.parse(uri);
            if (connect != null) {
                int c = connect.lastIndexOf(':');
                if (c <= 0) {
                    throw new IllegalArgumentException("--connect wants HOST:PORT, not " + connect);
                }
                target = new InetSocketAddress(connect.substring(0, c), Integer.parseInt(connect.substring(c + 1)));
            }
        } catch (IllegalArgumentException e) {
            rt.err().println("error: " + e.getMessage());
            return SpiceCli.EXIT_USAGE;
        }
        ServiceTracker<ClientPorts, ClientPorts> t = new ServiceTracker<>(rt.context(), ClientPorts.class, null);
        t.open();
        ClientSession session = null;
        try {
            ClientPorts ports = t.waitForService(10_000);
            if (ports == null) {
                rt.err().println("error: the port bundle (org.spice.tunnel) is not running");
                return 1;
            }
            PortConnection port;
            try {
                session = rt.client().connect(u, auth.options(rt, u).withConnectChannels(false)).get();
                if (session.main().channels().stream().noneMatch(c -> c.type() == ChannelType.PORT)) {
                    rt.err().println("error: " + u + " offers no port channel");
                    return SpiceCli.EXIT_CONNECT;
                }
                port = ports.open(session, name).get(auth.timeoutSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof java.util.NoSuchElementException n) {
                    rt.err().println("error: " + n.getMessage());
                    return SpiceCli.EXIT_CONNECT;
                }
                return SpiceCli.ProbeCommand.failure(rt, e.getCause());
            } catch (TimeoutException e) {
                return SpiceCli.ProbeCommand.failure(rt, new TimeoutException("port " + name + " did not open within "
                        + auth.timeoutSeconds() + " s"));
            }
            rt.err().println("port " + name + " open" + (port.serverOpened() ? "" : " (the server side is closed)"));
            if (target != null) {
                try (Socket s = new Socket()) {
                    s.connect(target, auth.timeoutSeconds() * 1000);
                    Thread up = copy("port-upload", s.getInputStream(), port.output(), port);
                    pump(port.input(), s.getOutputStream());
                    up.interrupt();
                }
            } else {
                OutputStream out = rt.out();
                Thread up = copy("port-stdin", System.in, port.output(), port);
                pump(port.input(), out);
                up.interrupt();
            }
            port.close();
            return 0;
        } finally {
            if (session != null) {
                SpiceCli.closeAndWait(session);
            }
            t.close();
        }
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

    /** Copies {@code in} to the port on a daemon thread; at its end, closes {@code endPort} after --wait. */
    private Thread copy(String threadName, InputStream in, OutputStream out, PortConnection endPort) {
        Thread th = new Thread(() -> {
            byte[] b = new byte[65536];
            try {
                for (int n; (n = in.read(b)) >= 0; ) {
                    out.write(b, 0, n);
                }
            } catch (IOException e) {
                // ends the copy
            }
            try {
                Thread.sleep((long) (waitSeconds * 1000));
            } catch (InterruptedException e) {
                return;
            }
            if (endPort != null) {
                endPort.close();
            }
        }, threadName);
        th.setDaemon(true);
        th.start();
        return th;
    }
}
