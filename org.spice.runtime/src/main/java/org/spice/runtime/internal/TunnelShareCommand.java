package org.spice.runtime.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.util.tracker.ServiceTracker;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientSession;
import org.spice.tunnel.api.TunnelClient;
import org.spice.tunnel.api.TunnelShare;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spice tunnel-share URI --service NAME=HOST:PORT...}: shares local TCP services until killed. */
@Command(name = "tunnel-share", mixinStandardHelpOptions = true,
        description = "Share local TCP services with a SPICE server over the tunnel channel; runs until killed."
                + " The server listens on 127.0.0.1 for each and relays its connections here.",
        footer = {"", "Example: spice tunnel-share spice://127.0.0.1:5930 --service web=127.0.0.1:8080"})
final class TunnelShareCommand implements Callable<Integer> {
    private final Runtime rt;
    @Mixin
    SpiceCli.ClientAuth auth = new SpiceCli.ClientAuth();

    @Option(names = "--service", required = true, paramLabel = "NAME=HOST:PORT", description = "A service to share.")
    List<String> services;

    @Parameters(index = "0", paramLabel = "URI", description = "spice://HOST:PORT[?tls-port=P] or spice+tls://HOST:PORT")
    String uri;

    TunnelShareCommand(Runtime rt) {
        this.rt = rt;
    }

    record Service(String name, InetSocketAddress target) {
        static Service parse(String s) {
            int eq = s.indexOf('=');
            int colon = s.lastIndexOf(':');
            if (eq <= 0 || colon <= eq + 1 || colon == s.length() - 1) {
                throw new IllegalArgumentException("--service wants NAME=HOST:PORT, not " + s);
            }
            int port;
            try {
                port = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--service " + s + ": bad port");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("--service " + s + ": port out of range");
            }
            return new Service(s.substring(0, eq), InetSocketAddress.createUnresolved(s.substring(eq + 1, colon), port));
        }
    }

    @Override
    public Integer call() throws Exception {
        SpiceUri u;
        List<Service> list = new ArrayList<>();
        try {
            u = SpiceUri.parse(uri);
            for (String s : services) {
                list.add(Service.parse(s));
            }
        } catch (IllegalArgumentException e) {
            rt.err().println("error: " + e.getMessage());
            return SpiceCli.EXIT_USAGE;
        }
        ServiceTracker<TunnelClient, TunnelClient> t = new ServiceTracker<>(rt.context(), TunnelClient.class, null);
        t.open();
        ClientSession session = null;
        try {
            TunnelClient tunnel = t.waitForService(10_000);
            if (tunnel == null) {
                rt.err().println("error: the tunnel bundle (org.spice.tunnel) is not running");
                return 1;
            }
            try {
                session = rt.client().connect(u, auth.options(rt, u).withConnectChannels(false)).get();
                for (Service s : list) {
                    InetSocketAddress target = new InetSocketAddress(s.target().getHostString(), s.target().getPort());
                    TunnelShare share = tunnel.share(session, s.name(), target).get(auth.timeoutSeconds(), TimeUnit.SECONDS);
                    rt.out().println("sharing " + share.name() + " (" + s.target().getHostString() + ":"
                            + s.target().getPort() + ") as service " + share.serviceId());
                }
            } catch (ExecutionException e) {
                return SpiceCli.ProbeCommand.failure(rt, e.getCause());
            } catch (TimeoutException e) {
                return SpiceCli.ProbeCommand.failure(rt, new TimeoutException("the tunnel channel did not come up"
                        + " within " + auth.timeoutSeconds() + " s"));
            }
            rt.out().flush();
            ClientSession s = session;
            java.util.concurrent.CompletableFuture.anyOf(s.closed(),
                    java.util.concurrent.CompletableFuture.runAsync(() -> {
                        try {
                            rt.stopped().await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    })).get();
            if (s.closed().isDone()) {
                rt.err().println("error: the server closed the session");
                return SpiceCli.EXIT_CONNECT;
            }
            return 0;
        } finally {
            if (session != null) {
                SpiceCli.closeAndWait(session);
            }
            t.close();
        }
    }
}
