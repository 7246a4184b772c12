package org.spice.display.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spice.desktop.AbstractDisplaySource;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;
import org.spice.display.internal.wire.DisplayMessages;
import org.spice.display.video.VideoCodec;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.FakeChannelContext;
import org.spice.protocol.server.ServerSession;

/**
 * A client whose display init comes after the first picture went without it (a loaded machine: later than
 * {@link DisplayServerChannel#INIT_WAIT_MS}) still gets GLZ from then on: no GLZ image went before, so its dictionary
 * starts with the first one after the init, at id 0.
 */
@org.junit.jupiter.api.extension.ExtendWith(org.spice.protocol.LeakCheck.class)
class LateInitTest {
    private static final int W = 64;
    private static final int H = 48;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final VideoEncoders video = new VideoEncoders();

    @AfterEach
    void stop() {
        loop.shutdownNow();
        video.close();
    }

    private static final class Source extends AbstractDisplaySource {
        Source() {
            super(picture(0));
        }

        /** Text-like rows (not photo-like: auto_glz sends them as GLZ or LZ, not QUIC). */
        static Frame picture(int serial) {
            int[] px = new int[W * H];
            for (int i = 0; i < px.length; i++) {
                px[i] = (i / W + serial) % 4 == 0 ? 0x000000 : 0xffffff;
            }
            return new Frame(W, H, px, serial);
        }

        void change(int serial) {
            show(picture(serial), new Rect(0, 0, W, H));
        }
    }

    private static ServerSession session() {
        return (ServerSession) java.lang.reflect.Proxy.newProxyInstance(LateInitTest.class.getClassLoader(),
                new Class<?>[] {ServerSession.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "clients" -> List.of();
                    case "multiMediaTime" -> 0L;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** The image types of the draws sent so far, in order. */
    private static List<Integer> drawn(FakeChannelContext ctx) {
        return ctx.sent.stream().filter(m -> m instanceof ImageDraw).map(m -> ((ImageDraw) m).image().type())
                .toList();
    }

    @Test
    void glzStartsWithTheFirstImageAfterALateInit() throws Exception {
        FakeChannelContext.Server ctx = FakeChannelContext.server(ChannelType.DISPLAY, Capabilities.NONE, session());
        ctx.executor(loop);
        Source source = new Source();
        DisplayServerChannel channel = loop.submit(() -> new DisplayServerChannel(ctx, source,
                VideoStreams.Mode.OFF, ImageCompression.AUTO_GLZ, JpegCompression.NEVER, video,
                List.of(VideoCodec.MJPEG))).get(10, TimeUnit.SECONDS);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (loop.submit(() -> drawn(ctx).isEmpty()).get(10, TimeUnit.SECONDS)) {
            assertTrue(System.nanoTime() < end, "no first picture without an init");
            Thread.sleep(20);
        }
        assertEquals(List.of(SpiceImage.TYPE_LZ_RGB), loop.submit(() -> drawn(ctx)).get(10, TimeUnit.SECONDS),
                "the first picture without an init");
        ByteBuf init = Unpooled.buffer();
        new DisplayMessages.Init(1, 1 << 20, 1, 1 << 20).encode(init);
        try {
            loop.submit(() -> channel.onMessage(DisplayMessages.C_INIT, init)).get(10, TimeUnit.SECONDS);
        } finally {
            init.release();
        }
        source.change(1);
        source.change(2);
        List<Integer> types = loop.submit(() -> drawn(ctx)).get(10, TimeUnit.SECONDS);
        assertEquals(List.of(SpiceImage.TYPE_LZ_RGB, SpiceImage.TYPE_GLZ_RGB, SpiceImage.TYPE_GLZ_RGB), types);
        ImageDraw first = (ImageDraw) loop.submit(() -> ctx.sent.stream().filter(m -> m instanceof ImageDraw)
                .skip(1).findFirst().orElseThrow()).get(10, TimeUnit.SECONDS);
        ByteBuf out = Unpooled.buffer();
        try {
            first.image().write(out);
            // after the image descriptor (18 bytes) and the data size (4): magic, version, type, w, h, stride, id
            out.skipBytes(18 + 4 + 4 + 4 + 1 + 4 + 4 + 4);
            assertEquals(0L, (long) out.readInt() << 32 | out.readUnsignedInt(), "the first GLZ image's id");
        } finally {
            out.release();
        }
    }
}
