package org.spice.display.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.spice.desktop.Frame;
import org.spice.desktop.sources.internal.DemoSource;
import org.spice.desktop.sources.internal.ImageSource;
import org.spice.display.api.ClientDisplay;
import org.spice.display.internal.client.DisplayClientFactory;
import org.spice.display.internal.server.DisplayConfig;
import org.spice.display.internal.server.DisplayServerFactory;
import org.spice.display.internal.server.TestConfig;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.internal.engine.ClientEngine;
import org.spice.protocol.internal.engine.ServerEngine;

/** Our display server to our display client, in one JVM: the decoded picture equals the source's pixels. */
@org.junit.jupiter.api.extension.ExtendWith(org.spice.protocol.LeakCheck.class)
class DisplayRoundTripTest {
    private ServerEngine server;
    private ClientEngine client;
    private DemoSource demo;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (demo != null) {
            demo.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static DisplayConfig config(String source) {
        return config(source, "off");
    }

    static DisplayConfig config(String source, String compression) {
        return new TestConfig(source, compression, "filter");
    }

    static Stream<Arguments> compressions() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (String c : COMPRESSIONS) {
            b.add(Arguments.of(c, "synthetic"));
            b.add(Arguments.of(c, "photo"));
        }
        return b.build();
    }

    static final List<String> COMPRESSIONS = List.of("off", "quic", "lz", "glz", "auto_lz", "auto_glz");

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("compressions")
    void anImageArrivesPixelForPixel(String compression, String kind, @TempDir Path dir) throws Exception {
        int w = 1000;
        int h = 700;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(42);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (kind.equals("photo")) {
                    int red = Math.min(255, Math.max(0, (int) (120 + 90 * Math.sin(x / 90.0 + y / 200.0))
                            + r.nextInt(11) - 5));
                    int green = Math.min(255, Math.max(0, (int) (110 + 80 * Math.cos(y / 70.0)) + r.nextInt(11) - 5));
                    img.setRGB(x, y, red << 16 | green << 8 | ((x + y) / 7 & 0xff));
                } else {
                    img.setRGB(x, y, (x * 7 + y) % 97 == 0 ? r.nextInt() & 0xffffff : (x << 12) ^ (y << 3) ^ 0x204060);
                }
            }
        }
        Path file = dir.resolve("in.png");
        ImageIO.write(img, "png", file.toFile());
        int[] expected = img.getRGB(0, 0, w, h, null, 0, w);

        server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0), null, null,
                Set.of(), null, "display test", UUID.randomUUID(), 4, Duration.ofSeconds(5))).start();
        server.addFactory(new DisplayServerFactory(config("image:" + file, compression), ImageSource.of(file)));
        DisplayClientFactory displays = new DisplayClientFactory();
        client = new ClientEngine(t -> t == ChannelType.DISPLAY ? displays : null);
        ClientSession s = client.connect(new SpiceUri("127.0.0.1", server.plainAddress().orElseThrow().getPort(),
                -1, null), ClientOptions.defaults()).get(10, TimeUnit.SECONDS);
        ClientDisplay d = awaitMark(displays, s);
        Frame f = d.primary();
        assertNotNull(f);
        assertEquals(w, f.width());
        assertEquals(h, f.height());
        int[] got = f.rgb();
        for (int i = 0; i < got.length; i++) {
            got[i] |= 0xff000000;
        }
        assertArrayEquals(expected, got);
        assertEquals(List.of(), d.unsupported());
    }

    @Test
    void aClientThatLeavesMidImageLeavesTheServerWhole(@TempDir Path dir) throws Exception {
        int w = 1600;
        int h = 1200; // 7.3 MB as a bitmap: more than the sockets buffer, so most of it waits on the server
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(7);
        for (int i = 0; i < w * h; i++) {
            img.setRGB(i % w, i / w, r.nextInt() & 0xffffff);
        }
        Path file = dir.resolve("big.png");
        ImageIO.write(img, "png", file.toFile());
        server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0), null, null,
                Set.of(), null, "display test", UUID.randomUUID(), 4, Duration.ofSeconds(5))).start();
        server.addFactory(new DisplayServerFactory(config("image:" + file, "off"), ImageSource.of(file)));
        DisplayClientFactory displays = new DisplayClientFactory();
        // the leaving client stops reading its display channel as soon as it is linked, then goes
        java.util.concurrent.CompletableFuture<Void> stalled = new java.util.concurrent.CompletableFuture<>();
        org.spice.protocol.spi.ClientChannelFactory stalling = new org.spice.protocol.spi.ClientChannelFactory() {
            @Override
            public int channelType() {
                return displays.channelType();
            }

            @Override
            public org.spice.protocol.Capabilities channelCapabilities() {
                return displays.channelCapabilities();
            }

            @Override
            public org.spice.protocol.spi.ChannelHandler open(org.spice.protocol.spi.ClientChannelContext ctx) {
                ctx.pauseReading(true);
                stalled.complete(null);
                return (type, body) -> { };
            }
        };
        SpiceUri uri = new SpiceUri("127.0.0.1", server.plainAddress().orElseThrow().getPort(), -1, null);
        ClientEngine leaving = new ClientEngine(t -> t == ChannelType.DISPLAY ? stalling : null);
        try (org.spice.protocol.LogCapture log = new org.spice.protocol.LogCapture("org.spice.protocol")) {
            leaving.connect(uri, ClientOptions.defaults()).get(10, TimeUnit.SECONDS);
            stalled.get(10, TimeUnit.SECONDS);
            Thread.sleep(200); // the server writes the image into the stalled socket meanwhile
            leaving.close();
            for (int i = 0; i < 500 && !server.clients().isEmpty(); i++) {
                Thread.sleep(10);
            }
            assertEquals(List.of(), server.clients(), "the leaving client is gone from the server");
            for (int i = 0; i < 500 && log.lines().stream().noneMatch(l -> l.contains("display:0 from")
                    && l.contains("closed")); i++) {
                Thread.sleep(10);
            }
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("display:0 from") && l.contains("closed")),
                    "the server closed the display channel: " + log.lines());
        }

        client = new ClientEngine(t -> t == ChannelType.DISPLAY ? displays : null);
        ClientSession s = client.connect(uri, ClientOptions.defaults()).get(10, TimeUnit.SECONDS);
        int[] got = awaitMark(displays, s).primary().rgb();
        for (int i = 0; i < got.length; i++) {
            got[i] |= 0xff000000;
        }
        assertArrayEquals(img.getRGB(0, 0, w, h, null, 0, w), got, "the next client gets the whole image");
    }

    @ParameterizedTest
    @FieldSource("COMPRESSIONS")
    void theDemoSceneArrivesAndKeepsMoving(String compression) throws Exception {
        server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0), null, null,
                Set.of(), null, "display test", UUID.randomUUID(), 4, Duration.ofSeconds(5))).start();
        demo = new DemoSource();
        server.addFactory(new DisplayServerFactory(config("demo", compression), demo));
        DisplayClientFactory displays = new DisplayClientFactory();
        client = new ClientEngine(t -> t == ChannelType.DISPLAY ? displays : null);
        ClientSession s = client.connect(new SpiceUri("127.0.0.1", server.plainAddress().orElseThrow().getPort(),
                -1, null), ClientOptions.defaults()).get(10, TimeUnit.SECONDS);
        ClientDisplay d = awaitMark(displays, s);
        Frame first = d.primary();
        assertEquals(1024, first.width());
        // Liveness, not speed: the picture must change within a generous bound, however loaded the machine.
        boolean moved = false;
        for (int i = 0; i < 500 && !moved; i++) {
            Thread.sleep(20);
            moved = !java.util.Arrays.equals(first.rgb(), d.primary().rgb());
        }
        org.junit.jupiter.api.Assertions.assertTrue(moved, "the video did not play");
    }

    static ClientDisplay awaitMark(DisplayClientFactory displays, ClientSession s) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            ClientDisplay d = displays.display(s, 0);
            if (d != null && d.marks() > 0) {
                return d;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no display mark within 10 s");
    }
}
