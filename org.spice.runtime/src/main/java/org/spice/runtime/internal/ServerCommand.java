package org.spice.runtime.internal;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.spice.cli.LocalServer;
import org.spice.protocol.server.SpiceServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code spice server} (and {@code spice} alone): configures the server and the display, then serves until stopped. */
@Command(name = "server", mixinStandardHelpOptions = true, description = "Run the SPICE server.")
final class ServerCommand implements Callable<Integer> {
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
            LocalServer.announce(rt, s);
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
