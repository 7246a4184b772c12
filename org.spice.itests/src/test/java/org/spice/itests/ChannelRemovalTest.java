package org.spice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

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
import org.spice.protocol.ChannelType;
import org.spice.protocol.client.SpiceClient;
import org.spice.protocol.server.SpiceServer;
import org.spice.protocol.spi.ServerChannelFactory;

/**
 * Every channel bundle of the full runtime, stopped in turn while the server runs: the server stops offering
 * exactly that bundle's channels and exactly that bundle's spice:* Gogo commands go (the agent's clipboard, the
 * smartcard's smartcards and apdu); everything else stays. Started again, it all comes back.
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
        Set<String> all = new TreeSet<>();
        channels.values().forEach(all::addAll);
        await(() -> "the server offers every channel type " + all + ": " + offered(server), WAIT_MS,
                () -> offered(server).containsAll(all));
        Set<String> everyChannel = offered(server);
        Set<String> everyCommand = commandFunctions();

        Set<String> owners = new TreeSet<>(channels.keySet());
        owners.addAll(commands.keySet());
        for (String bsn : owners) {
            Bundle b = installed(bsn);
            Set<String> withoutChannels = new TreeSet<>(everyChannel);
            withoutChannels.removeAll(channels.getOrDefault(bsn, Set.of()));
            Set<String> withoutCommands = new TreeSet<>(everyCommand);
            withoutCommands.removeIf(c -> c.startsWith(bsn + ":"));

            b.stop();
            await(() -> bsn + " stopped: the server offers " + offered(server) + ", expected " + withoutChannels,
                    WAIT_MS, () -> offered(server).equals(withoutChannels));
            await(() -> bsn + " stopped: commands " + commandFunctions() + ", expected " + withoutCommands,
                    WAIT_MS, () -> commandFunctions().equals(withoutCommands));

            b.start();
            await(() -> bsn + " started again: the server offers " + offered(server), WAIT_MS,
                    () -> offered(server).equals(everyChannel));
            await(() -> bsn + " started again: commands " + commandFunctions(), WAIT_MS,
                    () -> commandFunctions().equals(everyCommand));
        }
        assertTrue("the agent's and the smartcard's commands were among them: " + everyCommand,
                everyCommand.containsAll(Set.of("org.spice.agent:clipboard", "org.spice.smartcard:smartcards")));
        assertFalse("the server ran through it all", server.offeredChannels().isEmpty());
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
