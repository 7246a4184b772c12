package org.spice.display.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spice.display.internal.codec.GlzWindow;
import org.spice.display.internal.codec.Pixels;
import org.spice.display.internal.codec.QuicEncoder;

/**
 * Large images decode into the arrays of images whose draw was rendered (as a C client's canvas reuses its memory),
 * never into one an image still in use holds: the draw's own images, an image the server asked to cache.
 */
class ImageReaderSpareArraysTest {
    private static final int W = 256;
    private static final int H = ImageReader.SPARE_MIN_PIXELS / W;

    private final List<ByteBuf> buffers = new ArrayList<>();
    private final ImageReader images = new ImageReader(id -> null, new GlzWindow(1 << 16),
            (data, into) -> ImageReader.jpeg(data), null);

    @AfterEach
    void release() {
        buffers.forEach(ByteBuf::release);
    }

    /** A QUIC image of one colour, read as a draw reads it. */
    private Pixels quic(int w, int h, int flags, int color) {
        int[] px = new int[w * h];
        Arrays.fill(px, color);
        byte[] q = QuicEncoder.encodeRgb32(w, h, px, 0, w);
        ByteBuf b = Unpooled.buffer();
        buffers.add(b);
        b.writeIntLE(0); // the image at offset 4 (offset 0 means none)
        b.writeLongLE(1).writeByte(ImageReader.QUIC).writeByte(flags).writeIntLE(w).writeIntLE(h);
        b.writeIntLE(q.length).writeBytes(q);
        Pixels p = images.read(b, 0, 4);
        assertEquals(w * h, Arrays.stream(p.argb()).filter(v -> v == color).count(), "the image's pixels");
        return p;
    }

    @Test
    void aLargeImageDecodesIntoTheArrayOfAnImageDrawnBefore() {
        Pixels first = quic(W, H, 0, 0xff112233);
        Pixels sameDraw = quic(W, H, 0, 0xff445566);
        assertNotSame(first.argb(), sameDraw.argb());
        images.drawn();
        Pixels next = quic(W, H, 0, 0xff778899);
        assertSame(sameDraw.argb(), next.argb(), "the most recent spare array");
        Pixels another = quic(W, H, 0, 0xffaabbcc);
        assertSame(first.argb(), another.argb());
        assertNotSame(next.argb(), quic(W, H, 0, 0xffddeeff).argb(), "no spare left before this draw ends");
    }

    @Test
    void imagesTheServerCachesAndSmallImagesKeepTheirArrays() {
        Pixels cached = quic(W, H, ImageReader.IMAGE_CACHE_ME, 0xff112233);
        Pixels small = quic(W, H - 1, 0, 0xff445566);
        images.drawn();
        assertNotSame(cached.argb(), quic(W, H, 0, 0xff778899).argb());
        assertNotSame(small.argb(), quic(W, H - 1, 0, 0xffaabbcc).argb());
        assertEquals(0xff112233, cached.argb()[0], "the cached image is as it was");
    }

    @Test
    void atMostSoManyArraysAreKept() {
        List<int[]> drawn = new ArrayList<>();
        for (int i = 0; i <= ImageReader.SPARE_ARRAYS; i++) {
            drawn.add(quic(W, H + i, 0, 0xff000000 | i).argb());
        }
        images.drawn();
        int reused = 0;
        for (int i = 0; i <= ImageReader.SPARE_ARRAYS; i++) {
            reused += drawn.get(i) == quic(W, H + i, 0, 0xff100000 | i).argb() ? 1 : 0;
        }
        assertEquals(ImageReader.SPARE_ARRAYS, reused);
    }
}
