package org.spice.runtime.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.spice.cli.ClientAuth;
import org.spice.cli.ClientCommand;
import org.spice.cli.ExitCodes;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.client.LinkedChannel;
import org.spice.protocol.client.MainInfo;
import org.spice.protocol.client.SpiceLinkException;
import org.spice.protocol.wire.MainMessages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code spice probe URI}: links every channel a server offers and prints their capabilities; {@link #failure} maps a
 * client failure to the documented exit codes for every client command.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Link the main channel, then every channel the server lists, and print what it offers.")
final class ProbeCommand implements Callable<Integer> {
    private final Runtime rt;
    @Mixin
    ClientAuth auth = new ClientAuth();

    @Parameters(paramLabel = "URI", description = "spice://HOST:PORT[?tls-port=P] or spice+tls://HOST:PORT")
    String uri;

    ProbeCommand(Runtime rt) {
        this.rt = rt;
    }

    @Override
    public Integer call() {
        ClientSession session = null;
        try {
            SpiceUri u = SpiceUri.parse(uri);
            ClientOptions o = auth.options(rt, u).withConnectChannels(false);
            session = rt.client().connect(u, o).get();
            MainInfo m = session.main();
            rt.out().println("connected to " + u);
            rt.out().println("session id: 0x" + Long.toHexString(m.sessionId()));
            rt.out().println("name: " + (m.name() == null ? "(none)" : m.name()));
            rt.out().println("uuid: " + (m.uuid() == null ? "(none)" : m.uuid()));
            rt.out().println("mouse mode: " + mouseModes(m.currentMouseMode()) + " (supported: "
                    + mouseModes(m.supportedMouseModes()) + ")");
            rt.out().println("agent: " + (m.agentConnected() ? "connected, tokens " + m.agentTokens()
                    : "not connected"));
            printChannel(session.channels().get(0));
            // linked all at once, as spice-gtk links them: a channel that never speaks (a smart card channel
            // without a card) holds its link for a grace period, which one after the other added up
            List<CompletableFuture<LinkedChannel>> links = new ArrayList<>();
            for (MainMessages.ChannelId c : m.channels()) {
                links.add(session.link(c.type(), c.id()));
            }
            for (CompletableFuture<LinkedChannel> l : links) {
                printChannel(l.get());
            }
            return 0;
        } catch (IllegalArgumentException e) {
            rt.err().println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (IOException e) {
            rt.err().println("error: " + e.getMessage());
            return 1;
        } catch (ExecutionException | CompletionException e) {
            return ExitCodes.failure(rt, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            if (session != null) {
                ClientCommand.closeAndWait(session);
            }
        }
    }

    private void printChannel(LinkedChannel c) {
        rt.out().println("channel " + ChannelType.name(c.type()) + ":" + c.id() + (c.secure() ? " tls" : "")
                + " common-caps " + c.commonCaps() + " channel-caps " + c.channelCaps());
    }

    static String mouseModes(int flags) {
    List<String> names = new java.util.ArrayList<>();
    if ((flags & MainMessages.MOUSE_MODE_SERVER) != 0) {
        names.add("server");
    }
    if ((flags & MainMessages.MOUSE_MODE_CLIENT) != 0) {
        names.add("client");
    }
    return names.isEmpty() ? "none" : String.join(",", names);
}
}
