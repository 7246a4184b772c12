package org.spice.runtime.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
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
final class PortCommand extends ClientCommand<ClientPorts> {
    @Option(names = "--connect", paramLabel = "HOST:PORT", description = "Bridge to this TCP address instead.")
    String connect;

    @Option(names = "--wait", description = "Seconds to keep printing what the port sends after stdin ends"
            + " (default ${DEFAULT-VALUE}).")
    double waitSeconds = 2;

    @Parameters(index = "1", paramLabel = "NAME", description = "The port name the server announces.")
    String name;

    private InetSocketAddress target;

    PortCommand(Runtime rt) {
        super(rt, ClientPorts.class, "port (org.spice.tunnel)");
    }

    @Override
    protected void validate() {
        if (connect != null) {
            int c = connect.lastIndexOf(':');
            if (c <= 0) {
                throw new IllegalArgumentException("--connect wants HOST:PORT, not " + connect);
            }
            target = new InetSocketAddress(connect.substring(0, c), Integer.parseInt(connect.substring(c + 1)));
        }
    }

    @Override
    protected int run(ClientPorts ports, ClientSession session, SpiceUri u) throws Exception {
        requireChannel(session, u, ChannelType.PORT);
        PortConnection port = await(ports.open(session, name), "port " + name + " did not open");
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
