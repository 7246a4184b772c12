package org.spice.runtime.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.spice.cli.CommandProvider;
import org.spice.cli.ExitCodes;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code spice} command line. Without a subcommand it runs the demo server on 127.0.0.1:5930. */
@Command(name = "spice", mixinStandardHelpOptions = true, version = "spice 0.1.0",
        description = "SPICE remote display platform on the JVM: server, client and tools.")
final class SpiceCli implements Callable<Integer> {
    private static final String RECORDING = "org.spice.recording (the recording format)";

    /**
     * Every command of the full runtime in the order {@code --help} lists them (a command a bundle contributes that
     * is not here comes after them, by name), with the bundle that contributes it when that is not the runtime: a
     * command line naming one that is not installed is told which bundle to add.
     */
    private static final Map<String, String> COMMANDS = new LinkedHashMap<>();

    static {
        for (String runtime : List.of("server", "probe", "sasl-user", "shell", "screenshot", "bench",
                "client-settings")) {
            COMMANDS.put(runtime, null);
        }
        COMMANDS.put("send-keys", "org.spice.inputs (the inputs channel)");
        COMMANDS.put("listen", "org.spice.playback and org.spice.record (the sound channels)");
        COMMANDS.put("port", "org.spice.tunnel (the port channel)");
        COMMANDS.put("share-folder", "org.spice.tunnel (the port channel)");
        COMMANDS.put("tunnel-share", "org.spice.tunnel (the tunnel channel)");
        COMMANDS.put("usb-share", "org.spice.usbredir (the usbredir channel)");
        COMMANDS.put("smartcard-share", "org.spice.smartcard (the smartcard channel)");
        COMMANDS.put("connect", "org.spice.client.swing (the client GUI)");
        COMMANDS.put("send-file", "org.spice.agent (the agent)");
        COMMANDS.put("gateway", "org.spice.gateway (the gateway)");
        COMMANDS.put("replay", RECORDING);
        COMMANDS.put("export", RECORDING);
    }

    private final Runtime rt;

    private SpiceCli(Runtime rt) {
        this.rt = rt;
    }

    /**
     * The command line of the runtime's own commands and of every {@link CommandProvider} registered now: a bundle's
     * commands are there while it runs. Replay and export are the runtime's but read the recording format, which the
     * runtime imports dynamically: they are there when that bundle is.
     */
    static CommandLine commandLine(Runtime rt) {
        return commandLine(rt, null);
    }

    /**
     * As {@link #commandLine(Runtime)}, but with only the subcommand {@code only} when there is one of that name:
     * picocli reads every command's annotations by reflection as it adds it, a tenth of a second of a one-shot
     * client's start for commands it does not run. Null, or a name no command has, gives them all (the usage error
     * then lists them).
     */
    static CommandLine commandLine(Runtime rt, String only) {
        Map<String, Supplier<Object>> commands = new HashMap<>();
        commands.put("server", () -> new ServerCommand(rt));
        commands.put("probe", () -> new ProbeCommand(rt));
        commands.put("sasl-user", () -> new SaslUserCommand(rt));
        commands.put("shell", () -> new ShellCommand(rt));
        commands.put("screenshot", () -> new ScreenshotCommand(rt));
        commands.put("bench", () -> new CommandLine(new BenchCommand(rt)).addSubcommand("viewers",
                new BenchViewersCommand(rt)).addSubcommand("video", new BenchVideoCommand(rt))
                .addSubcommand("screenshot", new BenchScreenshotCommand(rt))
                .addSubcommand("server", new BenchServerCommand(rt)).addSubcommand("soak", new BenchSoakCommand(rt)));
        commands.put("client-settings", () -> new ClientSettingsCommand(rt));
        if (recordingFormatInstalled()) {
            commands.put("replay", () -> new ReplayCommand(rt));
            commands.put("export", () -> new ExportCommand(rt));
        }
        if (rt.context() != null) {
            for (Map.Entry<String, Supplier<Object>> c : contributed(rt)) {
                if (commands.putIfAbsent(c.getKey(), c.getValue()) != null) {
                    rt.err().println("warning: two commands named " + c.getKey() + "; the second is left out");
                }
            }
        }
        if (only != null && commands.containsKey(only)) {
            commands.keySet().retainAll(java.util.Set.of(only));
        }
        CommandLine cl = new CommandLine(new SpiceCli(rt));
        for (String name : COMMANDS.keySet()) {
            Supplier<Object> c = commands.remove(name);
            if (c != null) {
                cl.addSubcommand(name, c.get());
            }
        }
        new TreeMap<>(commands).forEach((name, c) -> cl.addSubcommand(name, c.get()));
        cl.setOut(new java.io.PrintWriter(rt.out(), true));
        cl.setErr(new java.io.PrintWriter(rt.err(), true));
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("error: " + e.getMessage());
            c.usage(c.getErr());
            return ExitCodes.USAGE;
        });
        return cl;
    }

    /**
     * Runs {@code args}. A command of the full runtime whose bundle is not installed (spice-minimal, or a bundle
     * removed from deploy/) is refused naming that bundle, whatever follows it ({@code --help} too); any other
     * unknown command is picocli's usage error.
     */
    static int execute(Runtime rt, String... args) {
        CommandLine cl = commandLine(rt, args.length > 0 ? args[0] : null);
        String missing = args.length > 0 && !cl.getSubcommands().containsKey(args[0]) ? COMMANDS.get(args[0]) : null;
        if (missing != null) {
            rt.err().println("error: channel bundle not installed: " + missing + "; drop the bundle jar into the"
                    + " runtime's deploy directory or use the full runtime (spice.jar)");
            return 1;
        }
        return cl.execute(args);
    }

    /**
     * The name of every {@link CommandProvider} registered now with what makes its command object, the provider that
     * ranks first (service ranking, then age) first, so that it wins a name two providers claim. The object is made
     * when asked for, holding the provider only meanwhile.
     */
    private static List<Map.Entry<String, Supplier<Object>>> contributed(Runtime rt) {
        List<Map.Entry<String, Supplier<Object>>> out = new ArrayList<>();
        BundleContext context = rt.context();
        try {
            for (ServiceReference<CommandProvider> ref : new TreeSet<>(
                    context.getServiceReferences(CommandProvider.class, null)).descendingSet()) {
                CommandProvider p = context.getService(ref);
                if (p != null) {
                    try {
                        out.add(Map.entry(p.name(), () -> command(context, ref, rt)));
                    } finally {
                        context.ungetService(ref);
                    }
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e); // no filter given
        }
        return out;
    }

    /** The command object of the provider {@code ref}, which may have gone away since its name was read. */
    private static Object command(BundleContext context, ServiceReference<CommandProvider> ref, Runtime rt) {
        CommandProvider p = context.getService(ref);
        if (p == null) {
            throw new IllegalStateException("the bundle of a command stopped while the command line was built");
        }
        try {
            return p.command(rt);
        } finally {
            context.ungetService(ref);
        }
    }

    private static boolean recordingFormatInstalled() {
        try {
            Class.forName("org.spice.recording.RecordingReader", false, SpiceCli.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    @Override
    public Integer call() {
        return new ServerCommand(rt).call();
    }
}
