package org.spice.agent.internal.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Component;
import org.osgi.util.tracker.ServiceTracker;
import org.spice.agent.api.ClientAgent;
import org.spice.agent.api.ClientAgents;
import org.spice.agent.api.FileTransfer;
import org.spice.cli.ClientAuth;
import org.spice.cli.ClientCommand;
import org.spice.cli.CommandContext;
import org.spice.cli.CommandProvider;
import org.spice.cli.ExitCodes;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code spice send-file URI FILE...}: sends files to the session's agent (VD_AGENT_FILE_XFER), as dropping them
 * on remote-viewer's window does, one after the other, printing the progress.
 */
@Command(name = "send-file", mixinStandardHelpOptions = true,
        description = "Connect and send each FILE to the server's agent (a guest's spice-vdagent, or our server),"
                + " which saves it; prints the progress.")
public final class SendFileCommand implements Callable<Integer> {
    private final CommandContext rt;
    @Mixin
    ClientAuth auth = new ClientAuth();

    @Parameters(index = "0", paramLabel = "URI", description = "spice://HOST:PORT[?tls-port=P] or spice+tls://HOST:PORT")
    String uri;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE")
    List<Path> files;

    SendFileCommand(CommandContext rt) {
        this.rt = rt;
    }

    @Override
    public Integer call() throws Exception {
        SpiceUri u;
        try {
            u = SpiceUri.parse(uri);
            for (Path f : files) {
                if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
                    throw new IllegalArgumentException(f + " is not a readable file");
                }
            }
        } catch (IllegalArgumentException e) {
            rt.err().println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        ServiceTracker<ClientAgents, ClientAgents> t = new ServiceTracker<>(rt.context(), ClientAgents.class, null);
        t.open();
        ClientSession session = null;
        try {
            ClientAgents agents = t.waitForService(10_000);
            if (agents == null) {
                rt.err().println("error: the agent bundle is not running");
                return 1;
            }
            ClientAgent agent;
            try {
                session = rt.client().connect(u, auth.options(rt, u).withConnectChannels(false)).get();
                if (!session.main().agentConnected()) {
                    rt.err().println("error: " + u + " has no agent connected (a guest needs spice-vdagent)");
                    return 1;
                }
                agent = agents.ready(session).get(auth.timeoutSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                return ExitCodes.failure(rt, e.getCause());
            } catch (TimeoutException e) {
                rt.err().println("error: the agent did not announce itself within " + auth.timeoutSeconds() + " s");
                return ExitCodes.CONNECT;
            }
            for (Path f : files) {
                if (!send(agent, f)) {
                    return 1;
                }
            }
            return 0;
        } finally {
            if (session != null) {
                ClientCommand.closeAndWait(session);
            }
            t.close();
        }
    }

    /** One file, with a progress line every second; false when the agent refused it or it failed. */
    private boolean send(ClientAgent agent, Path f) throws IOException, InterruptedException {
        FileTransfer x = agent.sendFile(f);
        while (true) {
            try {
                x.done().get(1, TimeUnit.SECONDS);
                rt.out().println("sent " + x.name() + " (" + x.size() + " bytes)");
                return true;
            } catch (TimeoutException stillGoing) {
                rt.out().println(x.name() + ": " + x.sent() + " of " + x.size() + " bytes"
                        + (x.size() > 0 ? " (" + x.sent() * 100 / x.size() + "%)" : ""));
            } catch (ExecutionException e) {
                rt.err().println("error: " + e.getCause().getMessage());
                return false;
            }
        }
    }

    /** Contributes {@code spice send-file} while this bundle runs. */
    @Component
    public static final class Provider implements CommandProvider {
        @Override
        public String name() {
            return "send-file";
        }

        @Override
        public Object command(CommandContext context) {
            return new SendFileCommand(context);
        }
    }
}
