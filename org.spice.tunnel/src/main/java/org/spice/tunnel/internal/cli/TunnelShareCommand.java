package org.spice.tunnel.internal.cli;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.osgi.service.component.annotations.Component;
import org.spice.cli.ClientCommand;
import org.spice.cli.CommandContext;
import org.spice.cli.CommandProvider;
import org.spice.cli.ExitCodes;
import org.spice.cli.OptionChecks;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientSession;
import org.spice.tunnel.api.TunnelClient;
import org.spice.tunnel.api.TunnelShare;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spice tunnel-share URI --service NAME=HOST:PORT...}: shares local TCP services until killed. */
@Command(name = "tunnel-share", mixinStandardHelpOptions = true,
        description = "Share local TCP services with a SPICE server over the tunnel channel; runs until killed."
                + " The server listens on 127.0.0.1 for each and relays its connections here.",
        footer = {"", "Example: spice tunnel-share spice://127.0.0.1:5930 --service web=127.0.0.1:8080"})
public final class TunnelShareCommand extends ClientCommand<TunnelClient> {
    @Option(names = "--service", required = true, paramLabel = "NAME=HOST:PORT", description = "A service to share.")
    List<String> services;

    private final List<Service> list = new ArrayList<>();

    TunnelShareCommand(CommandContext rt) {
        super(rt, TunnelClient.class, "tunnel (org.spice.tunnel)");
    }

    record Service(String name, InetSocketAddress target) {
        static Service parse(String s) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--service wants NAME=HOST:PORT, not " + s);
            }
            String name = s.substring(0, eq);
            return new Service(name, OptionChecks.hostPort("--service " + name, s.substring(eq + 1)));
        }
    }

    @Override
    protected void validate() {
        for (String s : services) {
            list.add(Service.parse(s));
        }
    }

    @Override
    protected int run(TunnelClient tunnel, ClientSession session, SpiceUri u) throws Exception {
        for (Service s : list) {
            InetSocketAddress target = new InetSocketAddress(s.target().getHostString(), s.target().getPort());
            TunnelShare share = await(tunnel.share(session, s.name(), target), "the tunnel channel did not come up");
            rt.out().println("sharing " + share.name() + " (" + s.target().getHostString() + ":"
                    + s.target().getPort() + ") as service " + share.serviceId());
        }
        rt.out().flush();
        CompletableFuture.anyOf(session.closed(), rt.stopped()).get();
        if (session.closed().isDone()) {
            rt.err().println("error: the server closed the session");
            return ExitCodes.CONNECT;
        }
        return 0;
    }

    /** Contributes {@code spice tunnel-share} while this bundle runs. */
    @Component
    public static final class Provider implements CommandProvider {
        @Override
        public String name() {
            return "tunnel-share";
        }

        @Override
        public Object command(CommandContext context) {
            return new TunnelShareCommand(context);
        }
    }
}
