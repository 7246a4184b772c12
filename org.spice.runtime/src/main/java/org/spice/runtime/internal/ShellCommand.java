package org.spice.runtime.internal;

import java.util.concurrent.Callable;
import org.spice.cli.LocalServer;
import org.spice.protocol.server.SpiceServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code spice shell}: the server, as {@code spice server} starts it, with the Gogo console of both roles. */
@Command(name = "shell", mixinStandardHelpOptions = true,
        description = "Run the server with the Gogo console; spice:sessions, spice:channels, spice:connect,"
                + " spice:disconnect use both roles.")
final class ShellCommand implements Callable<Integer> {
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
            LocalServer.announce(rt, s);
        }
        rt.out().println("Gogo shell: try spice:sessions, spice:channels, spice:connect spice://HOST:PORT;"
                + " 'exit 0' or Ctrl-D quits.");
        rt.awaitStop();
        return 0;
    }
}
