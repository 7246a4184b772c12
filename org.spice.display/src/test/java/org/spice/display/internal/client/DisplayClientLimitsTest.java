package org.spice.display.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spice.display.internal.codec.GlzWindow;
import org.spice.display.internal.wire.DisplayMessages;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.FakeChannelContext;
import org.spice.protocol.SpiceProtocolException;

/**
 * Lies that cost memory or time (docs/fuzzing.md): surfaces that together exceed what one channel may hold, a JPEG
 * whose header claims a size far beyond the limits (each refused with a SpiceProtocolException before anything is
 * allocated for it), and a clip list that repeats a rect covering the surface (painted once, not once a rect).
 */
class DisplayClientLimitsTest {
    private final List<ByteBuf> buffers = new ArrayList<>();
    private final FakeChannelContext.Client context = FakeChannelContext.client(ChannelType.DISPLAY, Capabilities.NONE);
    private final DisplayClientChannel display = new DisplayClientChannel(context, new GlzWindow(1 << 16));

    @AfterEach
    void release() {
        buffers.forEach(ByteBuf::release);
    }

    private void feed(int type, Consumer<ByteBuf> body) {
        ByteBuf b = Unpooled.buffer();
        buffers.add(b);
        body.accept(b);
        display.onMessage(type, b);
    }

    private void surface(int id, int w, int h, int flags) {
        feed(DisplayMessages.SURFACE_CREATE, b -> new DisplayMessages.SurfaceCreate(id, w, h, 32, flags).encode(b));
    }

    @Test
    void theSurfacesOfAChannelHoldAtMostOneLargestSurface() {
        surface(0, 8192, 8192, 1);
        SpiceProtocolException e = assertThrows(SpiceProtocolException.class, () -> surface(1, 8192, 8192, 0));
        assertTrue(e.getMessage().contains("over " + DisplayClientChannel.MAX_SURFACE_PIXELS), e.getMessage());
        assertThrows(SpiceProtocolException.class, () -> surface(2, 16, 16, 0));
        // the same id again replaces the surface: its pixels count once
        surface(0, 8192, 8192, 1);
        feed(DisplayMessages.SURFACE_DESTROY, b -> b.writeIntLE(0));
        surface(1, 8192, 4096, 0);
        surface(2, 8192, 4096, 0);
        assertThrows(SpiceProtocolException.class, () -> surface(3, 1, 1, 0));
    }

    /** A 16x16 JPEG whose frame header (SOF0) says {@code w x h}. */
    static byte[] lyingJpeg(int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB), "jpeg", out);
        byte[] j = out.toByteArray();
        for (int i = 0; i + 8 < j.length; i++) {
            if ((j[i] & 0xff) == 0xff && (j[i + 1] & 0xff) == 0xc0) {
                j[i + 5] = (byte) (h >> 8);
                j[i + 6] = (byte) h;
                j[i + 7] = (byte) (w >> 8);
                j[i + 8] = (byte) w;
                return j;
            }
        }
        throw new IllegalStateException("no SOF0 in the JDK's JPEG");
    }

    @Test
    void aJpegClaimingAHugeSizeIsRefusedBeforeItIsDecoded() throws IOException {
        byte[] jpeg = lyingJpeg(20000, 20000); // 1.2 GB of raster that ImageIO would allocate
        assertTrue(jpeg.length < 1000);
        surface(0, 64, 64, 1);
        feed(DisplayMessages.STREAM_CREATE, b -> b.writeIntLE(0).writeIntLE(7).writeByte(1).writeByte(1).writeZero(24)
                .writeIntLE(0).writeIntLE(0).writeIntLE(16).writeIntLE(16).writeByte(0));
        SpiceProtocolException e = assertThrows(SpiceProtocolException.class, () -> feed(
                DisplayMessages.STREAM_DATA, b -> b.writeIntLE(7).writeIntLE(0).writeIntLE(jpeg.length)
                        .writeBytes(jpeg)));
        assertTrue(e.getMessage().contains("20000x20000"), e.getMessage());
        assertThrows(SpiceProtocolException.class, () -> ImageReader.jpeg(jpeg));
        // Refused from the header, before ImageIO decodes: ImageIO itself would refuse this size differently.
        SpiceProtocolException header = assertThrows(SpiceProtocolException.class,
                () -> ImageReader.jpeg(lyingJpeg(60000, 40000)));
        assertTrue(header.getMessage().contains("outside the limits"), header.getMessage());
        // a true JPEG of that message still decodes
        byte[] small = lyingJpeg(16, 16);
        assertEquals(16, ImageReader.jpeg(small).width());
    }

    /** A fill of the whole surface with {@code rects} clip rects, each given by {@code rect.apply(i)}. */
    private void fillClipped(int rop, int w, int h, int rects, java.util.function.IntFunction<int[]> rect) {
        feed(DisplayMessages.DRAW_FILL, b -> {
            b.writeIntLE(0).writeIntLE(0).writeIntLE(0).writeIntLE(h).writeIntLE(w).writeByte(1).writeIntLE(rects);
            for (int i = 0; i < rects; i++) {
                int[] r = rect.apply(i); // left, top, right, bottom
                b.writeIntLE(r[1]).writeIntLE(r[0]).writeIntLE(r[3]).writeIntLE(r[2]);
            }
            b.writeByte(1).writeIntLE(0x123456).writeShortLE(rop).writeZero(13);
        });
    }

    @org.junit.jupiter.api.Timeout(60)
    @Test
    void aClipListRepeatingTheWholeSurfaceIsPaintedOnce() {
        surface(0, 8192, 8192, 1);
        // 20000 times the whole surface: 1.3 * 10^12 pixel writes if each rect were painted on its own
        fillClipped(DisplayMessages.ROPD_OP_PUT, 8192, 8192, 20000, i -> new int[] {0, 0, 8192, 8192});
        assertEquals(0xff123456, display.primary().rgb()[8192 * 8192 - 1]);
        // staggered rects overlapping each other: one union, painted band by band
        fillClipped(DisplayMessages.ROPD_OP_PUT, 8192, 8192, 4000, i -> new int[] {i, i, 8192 - i, 8192 - i});
    }

    @Test
    void overlappingClipRectsAreOneRegion() {
        surface(0, 8, 4, 1);
        // invert twice over the overlap [2, 5) x [0, 2) if each rect were painted on its own
        fillClipped(DisplayMessages.ROPD_OP_INVERS, 8, 4, 2, i -> i == 0 ? new int[] {0, 0, 5, 2}
                : new int[] {2, 0, 7, 3});
        int[] px = display.primary().rgb();
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 8; x++) {
                boolean in = x < 5 && y < 2 || x >= 2 && x < 7 && y < 3;
                assertEquals(in ? 0xffffffff : 0xff000000, px[y * 8 + x], "pixel " + x + "," + y);
            }
        }
    }
}
