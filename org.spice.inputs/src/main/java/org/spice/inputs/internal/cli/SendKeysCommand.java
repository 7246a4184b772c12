package org.spice.inputs.internal.cli;

import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Component;
import org.spice.cli.ClientCommand;
import org.spice.cli.CommandContext;
import org.spice.cli.CommandProvider;
import org.spice.cli.ExitCodes;
import org.spice.desktop.UsKeyboard;
import org.spice.inputs.api.ClientInput;
import org.spice.inputs.api.ClientInputs;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spice send-keys URI KEY...}: links the inputs channel and presses and releases each key in turn, as a
 * user would type them.
 */
@Command(name = "send-keys", mixinStandardHelpOptions = true,
        description = "Connect, link the inputs channel, and press and release each KEY in turn.",
        footer = {"", "KEY is a key name (Esc, Enter, Tab, Backspace, Space, F1..F12, Up, Down, Left, Right, Home, End,"
                + " PageUp, PageDown, Insert, Delete, ...; any case), a character such as a or 1, keys held together"
                + " such as ctrl+alt+delete, or text:WORDS to type WORDS on a US keyboard.",
            "Example: spice send-keys spice://127.0.0.1:5900 ESC text:hello ENTER"})
public final class SendKeysCommand extends ClientCommand<ClientInputs> {

    @Option(names = "--interval", description = "Milliseconds between keys (default ${DEFAULT-VALUE}).")
    int intervalMs = 100;

    @Option(names = "--hold", description = "Milliseconds each key is held down (default ${DEFAULT-VALUE}).")
    int holdMs = 20;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY")
    List<String> keys;

    private List<Step> steps;

    SendKeysCommand(CommandContext rt) {
        super(rt, ClientInputs.class, "inputs");
    }

    /** The keys of one step, pressed in order and released in reverse, and how to print it. */
    record Step(int[] codes, String label) {
    }

    /** Parses every KEY before anything is sent. */
    static List<Step> steps(List<String> keys) {
        List<Step> out = new ArrayList<>();
        for (String k : keys) {
            if (k.startsWith("text:")) {
                for (char c : k.substring(5).toCharArray()) {
                    UsKeyboard.Stroke s = UsKeyboard.stroke(c);
                    out.add(new Step(s.shift() ? new int[] {UsKeyboard.LEFT_SHIFT, s.code()} : new int[] {s.code()},
                            c == '\n' ? "Enter" : String.valueOf(c)));
                }
            } else if (k.isEmpty()) {
                throw new IllegalArgumentException("an empty KEY");
            } else {
                out.add(new Step(combo(k), k));
            }
        }
        return out;
    }

    private static int[] combo(String k) {
        try {
            return new int[] {UsKeyboard.code(k)}; // names with a '+' in them, such as KP+
        } catch (IllegalArgumentException notOneKey) {
            if (k.indexOf('+') <= 0 || k.endsWith("+")) {
                throw notOneKey;
            }
        }
        String[] parts = k.split("\\+");
        int[] codes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            codes[i] = UsKeyboard.code(parts[i]);
        }
        return codes;
    }

    @Override
    protected void validate() {
        steps = steps(keys);
        if (intervalMs < 0 || holdMs < 0) {
            throw new IllegalArgumentException("--interval and --hold must not be negative");
        }
    }

    @Override
    protected int run(ClientInputs inputs, ClientSession session, SpiceUri u) throws Exception {
        requireChannel(session, u, ChannelType.INPUTS);
        ClientInput in = await(inputs.linked(session), "the inputs channel did not link");
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            for (int c : s.codes()) {
                in.keyDown(c);
            }
            await(in.flush(), "the server did not take the keys");
            Thread.sleep(holdMs);
            for (int j = s.codes().length - 1; j >= 0; j--) {
                in.keyUp(s.codes()[j]);
            }
            await(in.flush(), "the server did not take the keys");
            if (!in.isOpen()) {
                rt.err().println("error: the server closed the inputs channel after " + i + " of "
                        + steps.size() + " keys");
                return ExitCodes.CONNECT;
            }
            if (i + 1 < steps.size()) {
                Thread.sleep(intervalMs);
            }
        }
        rt.out().println("sent " + steps.size() + " key" + (steps.size() == 1 ? "" : "s") + " to " + u + ": "
                + String.join(" ", steps.stream().map(Step::label).toList()));
        return 0;
    }

    /** Contributes {@code spice send-keys} while this bundle runs. */
    @Component
    public static final class Provider implements CommandProvider {
        @Override
        public String name() {
            return "send-keys";
        }

        @Override
        public Object command(CommandContext context) {
            return new SendKeysCommand(context);
        }
    }
}
