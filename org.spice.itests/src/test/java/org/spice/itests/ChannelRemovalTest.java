package org.spice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.spice.cli.CommandProvider;
import org.spice.protocol.ChannelType;
import org.spice.protocol.client.SpiceClient;
import org.spice.protocol.server.SpiceServer;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.spi.ServerChannelFactory;

/**
 * Every channel bundle of the full runtime, stopped in turn while the server runs: the server stops offering
 * exactly that bundle's channels, exactly that bundle's spice:* Gogo commands go (the agent's clipboard, the
 * smartcard's smartcards and apdu) and exactly its {@code spice} command-line commands ({@link CommandProvider}
 * services: the inputs' send-keys, the tunnel's port, share-folder and tunnel-share, ...); everything else stays.
 * Started again, it all comes back. The bundles over the channels (gateway, video, recording) go without taking
 * anything of the channels.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ChannelRemovalTest extends SpiceContainer {
    private static final long WAIT_MS = 20_000;

    @Test
    public void stoppingAChannelBundleTakesExactlyItsChannelsAndCommands() throws Exception {
        configureDisplay();
        SpiceServer server = startServer();
        service(SpiceClient.class);
        Map<String, Set<String>> channels = channelsByBundle();
        Map<String, Set<String>> commands = commandsByBundle();
        assertTrue("channel bundles: " + channels.keySet(), channels.keySet().containsAll(Set.of("org.spice.display",
                "org.spice.cursor", "org.spice.inputs", "org.spice.playback", "org.spice.record")));
        assertEquals("spice:clipboard of the agent", Set.of("clipboard"), commands.get("org.spice.agent"));
        Map<String, Set<String>> cli = cliCommandsByBundle();
        assertEquals("the command-line commands of each bundle", Map.of(
                "org.spice.inputs", Set.of("send-keys"),
                "org.spice.tunnel", Set.of("port", "share-folder", "tunnel-share"),
                "org.spice.usbredir", Set.of("usb-share"),
                "org.spice.smartcard", Set.of("smartcard-share"),
                "org.spice.agent", Set.of("send-file"),
                "org.spice.client.swing", Set.of("connect"),
                "org.spice.gateway", Set.of("gateway")), cli);
        Set<String> all = new TreeSet<>();
        channels.values().forEach(all::addAll);
        await(() -> "the server offers every channel type " + all + ": " + offered(server), WAIT_MS,
                () -> offered(server).containsAll(all));
        Set<String> everyChannel = offered(server);
        Set<String> everyCommand = commandFunctions();
        Set<String> everyCliCommand = cliCommands();

        Set<String> owners = new TreeSet<>(channels.keySet());
        owners.addAll(commands.keySet());
        owners.addAll(cli.keySet());
        for (String bsn : owners) {
            Bundle b = installed(bsn);
            Set<String> withoutChannels = new TreeSet<>(everyChannel);
            withoutChannels.removeAll(channels.getOrDefault(bsn, Set.of()));
            Set<String> withoutCommands = new TreeSet<>(everyCommand);
            withoutCommands.removeIf(c -> c.startsWith(bsn + ":"));
            Set<String> withoutCliCommands = new TreeSet<>(everyCliCommand);
            withoutCliCommands.removeIf(c -> c.startsWith(bsn + ":"));

            b.stop();
            await(() -> bsn + " stopped: the server offers " + offered(server) + ", expected " + withoutChannels,
                    WAIT_MS, () -> offered(server).equals(withoutChannels));
            await(() -> bsn + " stopped: commands " + commandFunctions() + ", expected " + withoutCommands,
                    WAIT_MS, () -> commandFunctions().equals(withoutCommands));
            await(() -> bsn + " stopped: command-line commands " + cliCommands() + ", expected "
                    + withoutCliCommands, WAIT_MS, () -> cliCommands().equals(withoutCliCommands));

            b.start();
            await(() -> bsn + " started again: the server offers " + offered(server), WAIT_MS,
                    () -> offered(server).equals(everyChannel));
            await(() -> bsn + " started again: commands " + commandFunctions(), WAIT_MS,
                    () -> commandFunctions().equals(everyCommand));
            await(() -> bsn + " started again: command-line commands " + cliCommands(), WAIT_MS,
                    () -> cliCommands().equals(everyCliCommand));
        }
        assertTrue("the agent's and the smartcard's commands were among them: " + everyCommand,
                everyCommand.containsAll(Set.of("org.spice.agent:clipboard", "org.spice.smartcard:smartcards")));
        assertFalse("the server ran through it all", server.offeredChannels().isEmpty());
    }

    /**
     * The gateway, the video codecs and the recording format stopped together in the running full runtime: every
     * channel factory of both roles, every Gogo command and every command-line command but the gateway's stays,
     * and the server goes on offering every channel.
     */
    @Test
    public void stoppingTheBundlesOverTheChannelsLeavesEveryChannel() throws Exception {
        configureDisplay();
        startServer();
        await(() -> "the server offers the display: " + offeredNow(), WAIT_MS,
                () -> offeredNow().contains("display"));
        Set<String> serverFactories = factories(ServerChannelFactory.class);
        Set<String> clientFactories = factories(ClientChannelFactory.class);
        Set<String> gogo = commandFunctions();
        Set<String> cliBefore = cliCommands();
        Set<String> channelsBefore = offeredNow();
        assertTrue("the gateway's command: " + cliBefore, cliBefore.contains("org.spice.gateway:gateway"));
        assertTrue("client factories: " + clientFactories, clientFactories.containsAll(Set.of(
                "org.spice.display:display", "org.spice.inputs:inputs", "org.spice.tunnel:port")));

        List<Bundle> over = List.of(installed("org.spice.gateway"), installed("org.spice.video"),
                installed("org.spice.recording"));
        for (Bundle b : over) {
            b.stop();
        }
        try {
            Set<String> cliExpected = new TreeSet<>(cliBefore);
            cliExpected.remove("org.spice.gateway:gateway");
            await(() -> "command-line commands " + cliCommands() + ", expected " + cliExpected, WAIT_MS,
                    () -> cliCommands().equals(cliExpected));
            for (Bundle b : over) {
                assertEquals(b.getSymbolicName() + " stopped", Bundle.RESOLVED, b.getState());
            }
            assertEquals("server channel factories", serverFactories, factories(ServerChannelFactory.class));
            assertEquals("client channel factories", clientFactories, factories(ClientChannelFactory.class));
            assertEquals("spice:* Gogo commands", gogo, commandFunctions());
            assertEquals("the channels the server offers", channelsBefore, offeredNow());
        } finally {
            for (Bundle b : over) {
                b.start();
            }
        }
        await(() -> "the gateway's command back: " + cliCommands(), WAIT_MS,
                () -> cliCommands().equals(cliBefore));
    }

    /** The channel types the server registered now offers (a test before may have configured it anew). */
    private Set<String> offeredNow() {
        try {
            return offered(service(SpiceServer.class));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The channel factories of one role registered now, as bundle:type. */
    private Set<String> factories(Class<?> role) throws Exception {
        Set<String> out = new TreeSet<>();
        for (ServiceReference<?> ref : context.getServiceReferences(role, null)) {
            Object type = ref.getProperty(ServerChannelFactory.CHANNEL_TYPE);
            out.add(ref.getBundle().getSymbolicName() + ":" + (type instanceof Integer t ? ChannelType.name(t) : type));
        }
        return out;
    }

    /** The spice command-line commands registered now (CommandProvider services), by bundle. */
    private Map<String, Set<String>> cliCommandsByBundle() throws Exception {
        Map<String, Set<String>> out = new TreeMap<>();
        for (ServiceReference<CommandProvider> ref : context.getServiceReferences(CommandProvider.class, null)) {
            CommandProvider p = context.getService(ref);
            if (p != null) {
                try {
                    out.computeIfAbsent(ref.getBundle().getSymbolicName(), k -> new TreeSet<>()).add(p.name());
                } finally {
                    context.ungetService(ref);
                }
            }
        }
        return out;
    }

    private Set<String> cliCommands() {
        try {
            Set<String> out = new TreeSet<>();
            cliCommandsByBundle().forEach((bsn, names) -> names.forEach(n -> out.add(bsn + ":" + n)));
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The channel types the server offers, by name (ids dropped). */
    private static Set<String> offered(SpiceServer server) {
        Set<String> out = new TreeSet<>();
        for (String c : server.offeredChannels()) {
            out.add(c.substring(0, c.indexOf(':')));
        }
        out.remove("main");
        return out;
    }

    private Map<String, Set<String>> channelsByBundle() throws Exception {
        Map<String, Set<String>> out = new TreeMap<>();
        for (ServiceReference<ServerChannelFactory> ref : context.getServiceReferences(ServerChannelFactory.class,
                null)) {
            out.computeIfAbsent(ref.getBundle().getSymbolicName(), k -> new TreeSet<>())
                    .add(ChannelType.name((Integer) ref.getProperty(ServerChannelFactory.CHANNEL_TYPE)));
        }
        return out;
    }

    /** The spice:* Gogo command functions registered now, by bundle. */
    private Map<String, Set<String>> commandsByBundle() throws Exception {
        Map<String, Set<String>> out = new TreeMap<>();
        ServiceReference<?>[] refs = context.getServiceReferences((String) null, "(osgi.command.scope=spice)");
        for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
            Object f = ref.getProperty("osgi.command.function");
            Set<String> functions = out.computeIfAbsent(ref.getBundle().getSymbolicName(), k -> new TreeSet<>());
            if (f instanceof String[] names) {
                functions.addAll(Set.of(names));
            } else if (f != null) {
                functions.add(f.toString());
            }
        }
        return out;
    }

    private Set<String> commandFunctions() {
        try {
            Set<String> out = new TreeSet<>();
            commandsByBundle().forEach((bsn, fs) -> fs.forEach(f -> out.add(bsn + ":" + f)));
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
