package org.spice.display.internal.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spice.desktop.Buttons;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;
import org.spice.desktop.sources.internal.DemoInputSink;
import org.spice.desktop.sources.internal.DemoSource;
import org.spice.display.api.ClientDisplay;
import org.spice.display.internal.client.DisplayClientFactory;
import org.spice.inputs.api.ClientInput;
import org.spice.inputs.internal.InputsClientFactory;
import org.spice.inputs.internal.InputsServerFactory;
import org.spice.protocol.ChannelType;
import org.spice.protocol.LeakCheck;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.internal.engine.ClientEngine;
import org.spice.protocol.internal.engine.ServerEngine;

/**
 * The demo desktop of the sources bundle shows what the inputs channel receives, and the display channel sends it:
 * typed text in its text box, a marker at clicks (the sink itself: DemoInputSinkTest there).
 */
@ExtendWith(LeakCheck.class)
class DemoInputTest {

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    /** Our client types into our server over SPICE, and our display client sees the demo change. */
    @Test
    void typingAndClickingOverSpiceShowsOnTheDisplay() throws Exception {
        try (ServerEngine server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0),
                null, null, Set.of(), null, "demo input", UUID.randomUUID(), 4, Duration.ofSeconds(5))).start()) {
            DemoSource demo = new DemoSource();
            try {
                server.addFactory(new DisplayServerFactory(new TestConfig("demo", "off", "off"), demo));
                InputsServerFactory inputs = InputsServerFactory.loggingKeys();
                inputs.addSink(new DemoInputSink(demo));

                server.addFactory(inputs);
                DisplayClientFactory displays = new DisplayClientFactory();
                InputsClientFactory clientInputs = new InputsClientFactory();
                try (ClientEngine client = new ClientEngine(t -> t == ChannelType.DISPLAY ? displays
                        : t == ChannelType.INPUTS ? clientInputs : null)) {
                    ClientSession s = client.connect(new SpiceUri("127.0.0.1", server.plainAddress().orElseThrow()
                            .getPort(), -1, null), ClientOptions.defaults()).get(10, TimeUnit.SECONDS);
                    ClientInput in = clientInputs.inputs(s);
                    in.typeText("hello");
                    in.position(200, 600, 0);
                    in.press(Buttons.LEFT);
                    in.release(Buttons.LEFT);
                    waitFor(() -> demo.typedText().equals("hello"), "the demo did not get the typed text");
                    waitFor(() -> {
                        ClientDisplay d = displays.display(s, 0);
                        return d != null && d.primary() != null
                                && (d.primary().rgb()[600 * 1024 + 200] & 0xffffff) == 0xe02020;
                    }, "the client's picture shows no marker at the click");
                    waitFor(() -> java.util.Arrays.equals(rows(displays.display(s, 0).primary()),
                            rows(demo.frame())), "the client's text box differs from the demo's");
                    DemoSource untouched = new DemoSource();
                    try {
                        assertTrue(!java.util.Arrays.equals(rows(demo.frame()), rows(untouched.frame())),
                                "the text box shows nothing typed");
                    } finally {
                        untouched.close();
                    }
                }
            } finally {
                demo.close();
            }
        }
    }

    /** The text box's pixels. */
    private static int[] rows(Frame f) {
        Rect t = DemoSource.TEXT;
        int[] out = new int[t.width() * t.height()];
        for (int y = 0; y < t.height(); y++) {
            for (int x = 0; x < t.width(); x++) {
                out[y * t.width() + x] = f.rgb()[(t.y() + y) * f.width() + t.x() + x] & 0xffffff;
            }
        }
        return out;
    }
}
