package org.spice.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The command line without a framework, as where no bundle contributes a command: the runtime's own commands in
 * their documented order, and a channel command not installed named with its bundle.
 */
class SpiceCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Runtime rt = new Runtime(null, null, null, new CompletableFuture<>(),
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    void theRuntimesOwnCommandsInTheirOrder() {
        // replay and export read the recording format, which is on this test's class path
        assertEquals(List.of("server", "probe", "sasl-user", "shell", "screenshot", "bench", "client-settings",
                "replay", "export"), List.copyOf(SpiceCli.commandLine(rt).getSubcommands().keySet()));
    }

    @Test
    void aCommandLineForOneCommandHasOnlyThatOne() {
        assertEquals(List.of("screenshot"), List.copyOf(SpiceCli.commandLine(rt, "screenshot").getSubcommands()
                .keySet()));
        assertEquals(List.of("viewers", "video", "screenshot", "server", "soak"), List.copyOf(SpiceCli.commandLine(rt, "bench")
                .getSubcommands().get("bench").getSubcommands().keySet()));
        // an option or an unknown name: every command, for the help or the usage error
        assertEquals(9, SpiceCli.commandLine(rt, "--help").getSubcommands().size());
        assertEquals(9, SpiceCli.commandLine(rt, "frobnicate").getSubcommands().size());
    }

    @Test
    void benchScreenshotRefusesWhatItCannotMeasure() {
        assertEquals(64, SpiceCli.execute(rt, "bench", "screenshot", "--rounds", "0", "spice://127.0.0.1:5900"));
        assertTrue(err().startsWith("error: --rounds must be 1..1000, not 0"), err());
        err.reset();
        assertEquals(64, SpiceCli.execute(rt, "bench", "screenshot", "spice+tls://127.0.0.1:5901"));
        assertTrue(err().contains("the bench needs a plain port and no password"), err());
    }

    @Test
    void aChannelCommandNotInstalledNamesItsBundle() {
        assertEquals(1, SpiceCli.execute(rt, "port", "spice://127.0.0.1:5900", "org.qemu.monitor.hmp.0"));
        assertEquals("error: channel bundle not installed: org.spice.tunnel (the port channel); drop the bundle jar"
                + " into the runtime's deploy directory or use the full runtime (spice.jar)", err().strip());
        err.reset();
        assertEquals(1, SpiceCli.execute(rt, "send-keys", "--help"));
        assertTrue(err().startsWith("error: channel bundle not installed: org.spice.inputs (the inputs channel)"),
                err());
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownCommandIsAUsageErrorNamingIt() {
        assertEquals(64, SpiceCli.execute(rt, "frobnicate"));
        assertTrue(err().startsWith("error: Unmatched argument at index 0: 'frobnicate'"), err());
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
