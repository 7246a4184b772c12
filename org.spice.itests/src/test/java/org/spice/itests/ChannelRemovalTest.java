package org.spice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.spice.cli.CommandProvider;
import org.spice.protocol.client.SpiceClient;
import org.spice.protocol.server.SpiceServer;

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
}
