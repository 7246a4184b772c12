package org.spice.display.internal.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;
import org.spice.display.internal.codec.LzDecoder;
import org.spice.display.internal.codec.Pixels;
import org.spice.display.internal.codec.QuicDecoder;

/** Which image type each image-compression setting sends, and that the images decode to the frame's pixels. */
class ImageEncodersTest {
    static final int W = 640;
    static final int H = 480;

    /** A frame whose left half is photo-like and whose right half is a flat desktop with a window and text. */
    static Frame frame() {
        int[] rgb = new int[W * H];
        Random r = new Random(1);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int v;
                if (x < W / 2) {
                    int red = clamp((int) (120 + 90 * Math.sin(x / 40.0 + y / 90.0)) + r.nextInt(15) - 7);
                    int green = clamp((int) (110 + 80 * Math.cos(y / 50.0)) + r.nextInt(15) - 7);
                    int blue = clamp(60 + (x + y) / 8 + r.nextInt(15) - 7);
                    v = red << 16 | green << 8 | blue;
                } else if (y > 100 && y < 300 && x > 400 && x < 600) {
                    v = y < 120 ? 0x2b579a : (x * 7 + y * 3) % 11 == 0 ? 0x000000 : 0xf2f2f2;
                } else {
                    v = 0x3a6ea5;
                }
                rgb[y * W + x] = v;
            }
        }
        return new Frame(W, H, rgb, 1);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    static final Rect PHOTO = new Rect(0, 0, W / 2, H);
    static final Rect DESKTOP = new Rect(W / 2, 0, W / 2, H);

    int type(String compression, Rect box) {
        ImageEncoders e = new ImageEncoders(ImageCompression.parse(compression));
        e.clientInit(3 << 20); // spice-gtk's smallest default window, in pixels
        return e.encode(frame(), box).type();
    }

    @Test
    void eachSettingSendsItsType() {
        assertEquals(SpiceImage.TYPE_BITMAP, type("off", PHOTO));
        assertEquals(SpiceImage.TYPE_BITMAP, type("off", DESKTOP));
        assertEquals(SpiceImage.TYPE_QUIC, type("quic", PHOTO));
        assertEquals(SpiceImage.TYPE_QUIC, type("quic", DESKTOP));
        assertEquals(SpiceImage.TYPE_LZ_RGB, type("lz", PHOTO));
        assertEquals(SpiceImage.TYPE_LZ_RGB, type("lz", DESKTOP));
        assertEquals(SpiceImage.TYPE_QUIC, type("auto_lz", PHOTO));
        assertEquals(SpiceImage.TYPE_LZ_RGB, type("auto_lz", DESKTOP));
        assertEquals(SpiceImage.TYPE_GLZ_RGB, type("glz", PHOTO));
        assertEquals(SpiceImage.TYPE_GLZ_RGB, type("glz", DESKTOP));
        assertEquals(SpiceImage.TYPE_QUIC, type("auto_glz", PHOTO));
        assertEquals(SpiceImage.TYPE_GLZ_RGB, type("auto_glz", DESKTOP));
    }

    @Test
    void jpegTakesThePlaceOfQuicWhereAllowed() {
        Frame f = frame();
        for (String c : new String[] { "off", "quic", "lz", "glz", "auto_lz", "auto_glz" }) {
            ImageEncoders e = new ImageEncoders(ImageCompression.parse(c), true);
            e.clientInit(3 << 20, 20 << 20);
            int photo = e.encode(f, PHOTO).type();
            int desktop = e.encode(f, DESKTOP).type();
            int expectedPhoto = switch (c) {
                case "off" -> SpiceImage.TYPE_BITMAP;
                case "lz" -> SpiceImage.TYPE_LZ_RGB;
                case "glz" -> SpiceImage.TYPE_GLZ_RGB;
                default -> SpiceImage.TYPE_JPEG;
            };
            assertEquals(expectedPhoto, photo, c + " photo");
            assertEquals(c.equals("quic") ? SpiceImage.TYPE_JPEG : type(c, DESKTOP), desktop, c + " desktop");
        }
        ImageEncoders e = new ImageEncoders(ImageCompression.AUTO_GLZ, true);
        e.clientInit(3 << 20, 20 << 20);
        SpiceImage jpeg = e.encode(f, PHOTO);
        assertEquals(0, jpeg.flags(), "lossy images are not cached");
        assertEquals(SpiceImage.TYPE_JPEG, e.encode(f, PHOTO).type(), "nor sent from the cache");
    }

    @Test
    void jpegAutoMeansClientsOutsideThisHostAndThePrivateNetworks() {
        for (String local : new String[] { "/127.0.0.1:5000", "/10.1.2.3:5", "/192.168.1.1:5", "/172.16.0.9:5",
            "/169.254.1.1:5", "/[0:0:0:0:0:0:0:1]:5", "/0:0:0:0:0:0:0:1:5", "/[fd00:0:0:0:0:0:0:1]:5",
            "/[fe80:0:0:0:0:0:0:1%1]:5", "localhost/127.0.0.1:5", "?", "", "name-only:5" }) {
            assertEquals(false, JpegCompression.wideArea(local), local);
            assertEquals(false, JpegCompression.AUTO.allows(local), local);
            assertEquals(true, JpegCompression.ALWAYS.allows(local), local);
            assertEquals(false, JpegCompression.NEVER.allows(local), local);
        }
        for (String wan : new String[] { "/8.8.8.8:443", "host.example/93.184.216.34:5930",
            "/[2001:db8:0:0:0:0:0:1]:5", "/2a00:1450:4001:0:0:0:0:200e:5930" }) {
            assertEquals(true, JpegCompression.wideArea(wan), wan);
            assertEquals(true, JpegCompression.AUTO.allows(wan), wan);
            assertEquals(false, JpegCompression.NEVER.allows(wan), wan);
        }
        assertEquals(false, JpegCompression.AUTO.allows(null));
        assertEquals(JpegCompression.AUTO, JpegCompression.parse("auto"));
        assertThrows(IllegalArgumentException.class, () -> JpegCompression.parse("sometimes"));
    }

    /**
     * A whole first picture goes as GLZ that the window keeps no copy of (an idle session held 3 MiB for it); a
     * later change is kept, so the one after can copy from it.
     */
    @Test
    void theFirstPictureIsGlzWithoutACopyInTheWindow() {
        ImageEncoders e = new ImageEncoders(ImageCompression.GLZ);
        e.clientInit(3 << 20);
        Frame f = frame();
        SpiceImage first = e.encode(f, DESKTOP, false);
        assertEquals(SpiceImage.TYPE_GLZ_RGB, first.type());
        assertEquals(1, e.glz().nextId());
        assertEquals(0, e.glz().keptPixels());
        Rect change = new Rect(W / 2, 100, 200, 50);
        assertEquals(SpiceImage.TYPE_GLZ_RGB, e.encode(f, change).type());
        assertEquals(200 * 50, e.glz().keptPixels());
    }

    @Test
    void glzWaitsForTheClientsWindowAndFallsBackToLz() {
        ImageEncoders e = new ImageEncoders(ImageCompression.GLZ);
        Frame f = frame();
        assertEquals(SpiceImage.TYPE_LZ_RGB, e.encode(f, DESKTOP).type(), "no init yet");
        e.clientInit(W * H / 2); // the desktop half is exactly the window: it does not fit
        assertEquals(SpiceImage.TYPE_LZ_RGB, e.encode(f, DESKTOP).type());
        Rect smaller = new Rect(W / 2, 0, W / 2, H - 1);
        assertEquals(SpiceImage.TYPE_GLZ_RGB, e.encode(f, smaller).type());
        assertEquals(1, e.glz().nextId());
        // what the client announces is capped
        ImageEncoders big = new ImageEncoders(ImageCompression.GLZ);
        big.clientInit(0xffffffffL);
        assertEquals(ImageEncoders.MAX_GLZ_WINDOW_PIXELS, big.glz().windowPixels());
        ImageEncoders none = new ImageEncoders(ImageCompression.AUTO_GLZ);
        none.clientInit(0);
        assertEquals(null, none.glz());
        assertEquals(SpiceImage.TYPE_LZ_RGB, none.encode(f, DESKTOP).type());
    }

    @Test
    void tinyImagesGoUncompressedAndQuicNeedsThreeByThree() {
        // 13 pixels = 52 bytes, under spice-server's 54
        assertEquals(SpiceImage.TYPE_BITMAP, type("lz", new Rect(0, 0, 13, 1)));
        assertEquals(SpiceImage.TYPE_LZ_RGB, type("lz", new Rect(W / 2, 0, 14, 1)));
        assertEquals(SpiceImage.TYPE_BITMAP, type("quic", new Rect(0, 0, 100, 2)));
        assertEquals(SpiceImage.TYPE_QUIC, type("quic", new Rect(0, 0, 100, 3)));
        assertEquals(SpiceImage.TYPE_LZ_RGB, type("auto_lz", new Rect(0, 0, 100, 2)));
    }

    @Test
    void whatCompressionCannotShrinkGoesAsABitmap() {
        int[] rgb = new int[64 * 64];
        Random r = new Random(2);
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = r.nextInt();
        }
        Frame noise = new Frame(64, 64, rgb, 1);
        // noise costs LZ about 3.1 bytes a pixel and QUIC little more than 3: both beat the 4-byte bitmap
        assertEquals(SpiceImage.TYPE_LZ_RGB,
                new ImageEncoders(ImageCompression.LZ).encode(noise, new Rect(0, 0, 64, 64)).type());
        assertEquals(SpiceImage.TYPE_QUIC,
                new ImageEncoders(ImageCompression.QUIC).encode(noise, new Rect(0, 0, 64, 64)).type());
        // but 14 noisy pixels (56 bytes) cost LZ its 28-byte header and 43 bytes of literals
        assertEquals(SpiceImage.TYPE_BITMAP,
                new ImageEncoders(ImageCompression.LZ).encode(noise, new Rect(0, 0, 14, 1)).type());
    }

    @Test
    void imagesDecodeToTheFramesPixels() {
        Frame f = frame();
        Rect box = new Rect(100, 50, 400, 300);
        int[] expected = new int[box.width() * box.height()];
        for (int y = 0; y < box.height(); y++) {
            for (int x = 0; x < box.width(); x++) {
                expected[y * box.width() + x] = 0xff000000 | f.rgb()[(box.y() + y) * W + box.x() + x];
            }
        }
        for (String c : new String[] { "quic", "lz" }) {
            SpiceImage img = new ImageEncoders(ImageCompression.parse(c)).encode(f, box);
            ByteBuf buf = Unpooled.buffer();
            try {
                img.write(buf);
                assertEquals(img.size(), buf.readableBytes());
                assertEquals(0, buf.readLongLE());
                assertEquals(img.type(), buf.readUnsignedByte());
                assertEquals(0, buf.readUnsignedByte());
                assertEquals(box.width(), buf.readIntLE());
                assertEquals(box.height(), buf.readIntLE());
                byte[] data = new byte[buf.readIntLE()];
                buf.readBytes(data);
                assertEquals(0, buf.readableBytes());
                Pixels p = c.equals("quic") ? QuicDecoder.decode(data, 0, data.length)
                        : LzDecoder.decode(data, 0, data.length, null);
                assertArrayEquals(expected, p.argb(), c);
            } finally {
                buf.release();
            }
        }
    }

    /** A frame of {@code side x side} pixels of colour {@code n} (256: a large image, 32: a small one). */
    private static Frame flat(int n, int side) {
        int[] rgb = new int[side * side];
        java.util.Arrays.fill(rgb, n);
        return new Frame(side, side, rgb, n);
    }

    private static SpiceImage whole(ImageEncoders e, Frame f) {
        return e.encode(f, new Rect(0, 0, f.width(), f.height()));
    }

    @Test
    void afterManyLargeMissesOnlyProbesAreHashedAndAHitHashesEveryImageAgain() {
        ImageEncoders e = new ImageEncoders(ImageCompression.LZ);
        e.clientInit(0, ImageEncoders.MAX_PIXMAP_CACHE_PIXELS); // room for 64 images of 256x256
        int misses = ImageEncoders.MISSES_BEFORE_PROBING;
        for (int n = 0; n < misses; n++) {
            SpiceImage img = whole(e, flat(n, 256));
            assertEquals(SpiceImage.FLAG_CACHE_ME, img.flags(), "image " + n + " is kept by the client");
        }
        assertEquals(misses, e.cache().size());
        // probing: images 1 to 7 after the streak are not hashed (a repeat among them goes encoded, not from the
        // cache), the 8th is looked up and, missing, not kept
        for (int k = 1; k <= ImageEncoders.PROBE_EVERY; k++) {
            SpiceImage img = whole(e, k == 3 ? flat(5, 256) : flat(1000 + k, 256));
            assertEquals(SpiceImage.TYPE_LZ_RGB, img.type(), "image " + k + " after the streak");
            assertEquals(0, img.flags(), "image " + k + " after the streak is not kept");
        }
        assertEquals(misses, e.cache().size());
        // small images are hashed whatever the streak (the second of two equal ones comes from the cache), and their
        // hits leave the streak of large misses alone
        whole(e, flat(7, 32));
        assertEquals(SpiceImage.TYPE_FROM_CACHE, whole(e, flat(7, 32)).type());
        for (int k = 1; k < ImageEncoders.PROBE_EVERY; k++) {
            assertEquals(0, whole(e, flat(2000 + k, 256)).flags());
        }
        // the next probe finds an image of before the streak ...
        assertEquals(SpiceImage.TYPE_FROM_CACHE, whole(e, flat(5, 256)).type());
        // ... and every image is hashed again: the next repeat comes from the cache, a new image is kept
        assertEquals(SpiceImage.TYPE_FROM_CACHE, whole(e, flat(6, 256)).type());
        assertEquals(SpiceImage.FLAG_CACHE_ME, whole(e, flat(3000, 256)).flags());
    }

    @Test
    void settingsByName() {
        for (ImageCompression c : ImageCompression.values()) {
            assertEquals(c, ImageCompression.parse(c.configName()));
            assertEquals(c, ImageCompression.ofWire(c.wire));
        }
        assertEquals(null, ImageCompression.ofWire(7)); // LZ4
        assertThrows(IllegalArgumentException.class, () -> ImageCompression.parse("jpeg"));
        assertTrue(ImageCompression.names().contains("auto_glz"));
    }
}
