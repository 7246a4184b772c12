package org.spice.display.internal.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.Deflater;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the seed corpora of the display decoders' fuzz tests (org.spice.fuzz, docs/fuzzing.md) from the golden
 * captures and from small images made with the test encoders. Not a test: it runs only when asked,
 * {@code -Dfuzz.seeds=PATH/org.spice.fuzz/src/test/resources -Dtest=FuzzSeedWriter}, and the seeds it wrote are
 * checked in. The framings are those the fuzz tests document.
 */
@EnabledIfSystemProperty(named = "fuzz.seeds", matches = ".+")
class FuzzSeedWriter {
    static final int[] PALETTE = {0x000000, 0x0000aa, 0x00aa00, 0x00aaaa, 0xaa0000, 0xaa00aa, 0xaa5500, 0xaaaaaa,
        0x555555, 0x5555ff, 0x55ff55, 0x55ffff, 0xff5555, 0xff55ff, 0xffff55, 0xffffff};

    private final Path root = Path.of(System.getProperty("fuzz.seeds", "."));

    private Path dir(String cls, String method) throws IOException {
        Path d = root.resolve("org/spice/display/internal/codec/" + cls + "Inputs/" + method);
        Files.createDirectories(d);
        return d;
    }

    private Path clientDir() throws IOException {
        Path d = root.resolve("org/spice/display/internal/client/DisplayFuzzTestInputs/messages");
        Files.createDirectories(d);
        return d;
    }

    /** A crop of the SeaBIOS boot menu screen: text, colours, flat areas. */
    static int[] crop(int x0, int y0, int w, int h) {
        Pixels ref = GoldenImages.reference("glz-session");
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = ref.argb()[(y0 + y) * ref.width() + x0 + x];
            }
        }
        return out;
    }

    static int[] gradient(int w, int h) {
        int[] out = new int[w * h];
        for (int i = 0; i < out.length; i++) {
            int x = i % w;
            int y = i / w;
            out[i] = (x * 255 / Math.max(1, w - 1)) << 24 | (x * 37 + y * 11 & 0xff) << 16 | (y * 255 / h) << 8
                    | (x ^ y) & 0xff;
        }
        return out;
    }

    @Test
    void write() throws IOException {
        quic();
        lz();
        lz4();
        glz();
        bitmap();
        display();
    }

    private void quic() throws IOException {
        Path d = dir("QuicFuzzTest", "quic");
        Files.write(d.resolve("golden-bios-720x400"), GoldenImages.resource("quic/bios-720x400.quic"));
        int[] text = crop(0, 0, 40, 24);
        int[] grad = gradient(19, 7);
        for (int type = QuicFormat.TYPE_GRAY; type <= QuicFormat.TYPE_RGBA; type++) {
            Files.write(d.resolve("bios-crop-40x24-type" + type), QuicEncoder.encode(type, 40, 24, text, 0, 40));
            Files.write(d.resolve("gradient-19x7-type" + type), QuicEncoder.encode(type, 19, 7, grad, 0, 19));
        }
        Files.write(d.resolve("one-pixel"), QuicEncoder.encode(QuicFormat.TYPE_RGB32, 1, 1, new int[] {0x123456}, 0, 1));
    }

    /** LZ seeds: [palette entries n (u8)][n x u32 LE 0x00RRGGBB][the LZ stream]. */
    static byte[] withPalette(int[] palette, byte[] stream) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = palette == null ? 0 : palette.length;
        out.write(n);
        for (int i = 0; i < n; i++) {
            for (int b = 0; b < 4; b++) {
                out.write(palette[i] >>> 8 * b);
            }
        }
        out.writeBytes(stream);
        return out.toByteArray();
    }

    /** A small image of every LZ type, literals and one back reference, 12x3 pixels. */
    static byte[] lzOfType(int type, boolean glz, long id) {
        int w = 12;
        int h = 3;
        int ppb = LzFormat.isPalette(type) ? LzFormat.pixelsPerByte(type) : 1;
        int stride = LzFormat.isPalette(type) ? (w + ppb - 1) / ppb : w * 4;
        LzStreams s = glz ? LzStreams.glz(type, true, w, h, stride, id, id) : LzStreams.lz(type, w, h, stride, true);
        int units = LzFormat.isPalette(type) ? stride * h : w * h;
        int unitBytes = type == LzFormat.RGB24 || type == LzFormat.RGB32 || type == LzFormat.RGBA ? 3
                : type == LzFormat.RGB16 ? 2 : 1;
        int first = Math.min(units - 4, 20);
        if (first < 3) {
            emitLiterals(s, units, unitBytes, 7);
        } else {
            emitLiterals(s, first, unitBytes, 7);
            if (glz) {
                s.glzBack(4, 3);
            } else {
                s.lzRef(4, 3);
            }
            emitLiterals(s, units - first - 4, unitBytes, 3);
        }
        if (type == LzFormat.RGBA) {
            s.units(LzFormat.XXXA);
            emitLiterals(s, w * h, 1, 11);
        }
        return s.toBytes();
    }

    private static void emitLiterals(LzStreams s, int units, int unitBytes, int salt) {
        while (units > 0) {
            int n = Math.min(32, units);
            int[] b = new int[n * unitBytes];
            for (int i = 0; i < b.length; i++) {
                b[i] = (i * salt + units) & (unitBytes == 1 ? 0x07 : 0xff);
            }
            s.literal(n, b);
            units -= n;
        }
    }

    private void lz() throws IOException {
        Path d = dir("LzFuzzTest", "lz");
        Files.write(d.resolve("golden-lz-screenshot"), withPalette(null, GoldenImages.resource("lz-screenshot/000.lz")));
        List<GoldenImages.Draw> draws = GoldenImages.draws("lz-session");
        for (int i = 1; i < Math.min(12, draws.size()); i++) {
            Files.write(d.resolve("golden-lz-session-" + i), withPalette(null, draws.get(i).data()));
        }
        for (int type = LzFormat.PLT1_LE; type <= LzFormat.A8; type++) {
            Files.write(d.resolve("type" + type), withPalette(LzFormat.isPalette(type) ? PALETTE : null,
                    lzOfType(type, false, 0)));
        }
    }

    /** LZ4 seeds: [width u16 LE][height u16 LE][the LZ4 image: top-down byte, format byte, sized blocks]. */
    static byte[] withSize(int w, int h, byte[] lz4) {
        return concat(le16(w), le16(h), lz4);
    }

    private void lz4() throws IOException {
        Path d = dir("Lz4FuzzTest", "lz4");
        // QEMU's SeaBIOS screen (720x400, one block per chunk of rows) and its 9x2 blinking text cursor
        Files.write(d.resolve("golden-lz4-screen"), withSize(720, 400, GoldenImages.resource("lz4-screenshot/000.lz4")));
        Files.write(d.resolve("golden-lz4-cursor"), withSize(9, 2, GoldenImages.resource("lz4-screenshot/001.lz4")));
        // every format, two rows in two blocks, bottom-up and top-down (lz4-java's compressor)
        int[] formats = {BitmapCodec.FMT_16BIT, BitmapCodec.FMT_24BIT, BitmapCodec.FMT_32BIT, BitmapCodec.FMT_RGBA};
        int[] bpp = {2, 3, 4, 4};
        for (int f = 0; f < formats.length; f++) {
            byte[] row = new byte[12 * bpp[f]];
            for (int i = 0; i < row.length; i++) {
                row[i] = (byte) (i % 5 == 0 ? 0x40 : i * 7);
            }
            Files.write(d.resolve("format" + formats[f]), withSize(12, 2,
                    Lz4DecoderTest.image(f % 2 == 0, formats[f], row, row)));
        }
        // a block that copies from the block before it, as spice-server's streaming compressor makes
        ByteArrayOutputStream linked = new ByteArrayOutputStream();
        linked.write(1);
        linked.write(BitmapCodec.FMT_RGBA);
        Lz4DecoderTest.raw(linked, Lz4DecoderTest.LINKED_FIRST);
        Lz4DecoderTest.raw(linked, Lz4DecoderTest.LINKED_SECOND);
        Files.write(d.resolve("linked-blocks"), withSize(4, 1, linked.toByteArray()));
    }

    /** GLZ seeds: [palette as for LZ] then images, each [kind u8: 0 GLZ, 1 ZLIB_GLZ][length u16 LE][payload]. */
    static void image(ByteArrayOutputStream out, boolean zlib, byte[] glz) {
        byte[] payload = glz;
        if (zlib) {
            Deflater deflater = new Deflater();
            deflater.setInput(glz);
            deflater.finish();
            byte[] buf = new byte[glz.length + 64];
            int n = deflater.deflate(buf);
            deflater.end();
            payload = new byte[4 + n];
            payload[0] = (byte) glz.length;
            payload[1] = (byte) (glz.length >> 8);
            payload[2] = (byte) (glz.length >> 16);
            payload[3] = (byte) (glz.length >> 24);
            System.arraycopy(buf, 0, payload, 4, n);
        }
        out.write(zlib ? 1 : 0);
        out.write(payload.length);
        out.write(payload.length >> 8);
        out.writeBytes(payload);
    }

    private void glz() throws IOException {
        Path plain = dir("GlzFuzzTest", "glz");
        Path zlib = dir("GlzFuzzTest", "zlibGlz");
        // The golden sessions in windows of a few images: later ones copy from earlier ones.
        List<GoldenImages.Draw> draws = GoldenImages.draws("glz-session");
        for (int last : new int[] {12, 36, draws.size() - 1}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0);
            for (int i = 1; i <= last; i++) {
                image(out, false, draws.get(i).data());
            }
            Files.write(plain.resolve("golden-glz-session-1-" + last), out.toByteArray());
        }
        List<GoldenImages.Draw> zdraws = GoldenImages.draws("zlib-glz-session");
        for (int last : new int[] {12, 36, zdraws.size() - 1}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0);
            for (int i = 1; i <= last; i++) {
                GoldenImages.Draw dr = zdraws.get(i);
                if (dr.imageType() == GoldenImages.IMAGE_ZLIB_GLZ_RGB) {
                    byte[] p = new byte[4 + dr.data().length];
                    p[0] = (byte) dr.glzSize();
                    p[1] = (byte) (dr.glzSize() >> 8);
                    p[2] = (byte) (dr.glzSize() >> 16);
                    p[3] = (byte) (dr.glzSize() >> 24);
                    System.arraycopy(dr.data(), 0, p, 4, dr.data().length);
                    out.write(1);
                    out.write(p.length);
                    out.write(p.length >> 8);
                    out.writeBytes(p);
                } else {
                    image(out, false, dr.data());
                }
            }
            Files.write(zlib.resolve("golden-zlib-glz-session-1-" + last), out.toByteArray());
        }
        for (int type = LzFormat.PLT1_LE; type <= LzFormat.RGBA; type++) {
            int[] pal = LzFormat.isPalette(type) ? PALETTE : null;
            for (Path d : List.of(plain, zlib)) {
                boolean z = d == zlib;
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] head = withPalette(pal, new byte[0]);
                out.writeBytes(head);
                image(out, z, lzOfType(type, true, 5));
                // A second image copying 12 pixels from the first (image distance 1).
                LzStreams s = LzStreams.glz(LzFormat.RGB32, false, 4, 3, 16, 6, 1);
                s.glzRef(12, 0, 1, false);
                image(out, z, s.toBytes());
                Files.write(d.resolve("type" + type + "-then-cross-image"), out.toByteArray());
            }
        }
    }

    /**
     * Bitmap seeds: [format u8][flags u8: 1 top-down][width i32 LE][height i32 LE][stride i32 LE]
     * [palette: 0 none, else 1 + entries (u8)][entries x u32 LE][rows].
     */
    private void bitmap() throws IOException {
        Path d = dir("BitmapFuzzTest", "bitmap");
        int w = 13;
        int h = 5;
        int[] px = crop(8, 8, w, h);
        for (int format = BitmapCodec.FMT_1BIT_LE; format <= BitmapCodec.FMT_8BIT_A; format++) {
            int bpp = BitmapCodec.bitsPerPixel(format);
            int stride = (w * bpp + 7) / 8 + 3;
            boolean indexed = bpp <= 8 && format != BitmapCodec.FMT_8BIT_A;
            int[] pal = indexed ? java.util.Arrays.copyOf(PALETTE, bpp == 1 ? 2 : 16) : null;
            byte[] rows = new byte[stride * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = px[y * w + x];
                    int o = y * stride;
                    switch (bpp) {
                        case 1 -> rows[o + x / 8] |= (byte) ((p & 1) << (format == BitmapCodec.FMT_1BIT_LE ? x & 7 : 7 - (x & 7)));
                        case 4 -> rows[o + x / 2] |= (byte) ((p & 0xf) << ((x & 1) == (format == BitmapCodec.FMT_4BIT_LE ? 1 : 0) ? 4 : 0));
                        case 8 -> rows[o + x] = (byte) (format == BitmapCodec.FMT_8BIT ? p & 0xf : p >>> 24);
                        case 16 -> {
                            int v = (p >> 19 & 0x1f) << 10 | (p >> 11 & 0x1f) << 5 | (p >> 3 & 0x1f);
                            rows[o + 2 * x] = (byte) v;
                            rows[o + 2 * x + 1] = (byte) (v >> 8);
                        }
                        default -> {
                            int bytes = bpp / 8;
                            for (int b = 0; b < bytes; b++) {
                                rows[o + bytes * x + b] = (byte) (p >>> 8 * b);
                            }
                        }
                    }
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(format);
            out.write(format % 2);
            le32(out, w);
            le32(out, h);
            le32(out, stride);
            out.write(pal == null ? 0 : 1 + pal.length);
            if (pal != null) {
                for (int e : pal) {
                    le32(out, e);
                }
            }
            out.writeBytes(rows);
            Files.write(d.resolve("format" + format), out.toByteArray());
        }
    }

    static void le32(ByteArrayOutputStream out, long v) {
        for (int b = 0; b < 4; b++) {
            out.write((int) (v >>> 8 * b));
        }
    }

    static void le16(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >> 8);
    }

    /** Display channel seeds: messages as on the wire after the link, [type u16 LE][size u32 LE][body]. */
    private void display() throws IOException {
        Path d = clientDir();
        // A session of golden GLZ images drawn where QEMU drew them.
        List<GoldenImages.Draw> draws = GoldenImages.draws("glz-session");
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        message(s, 314, surfaceCreate(0, 720, 400, 32, 1));
        for (int i = 1; i <= 8; i++) {
            GoldenImages.Draw dr = draws.get(i);
            message(s, 304, drawCopy(dr.left(), dr.top(), dr.width(), dr.height(), image(i, 102, dr.width(),
                    dr.height(), dataField(dr.data()))));
        }
        message(s, 102, new byte[0]);
        Files.write(d.resolve("golden-glz-session"), s.toByteArray());

        List<GoldenImages.Draw> zdraws = GoldenImages.draws("zlib-glz-session");
        s = new ByteArrayOutputStream();
        message(s, 314, surfaceCreate(0, 720, 400, 32, 1));
        for (int i = 1; i <= 8; i++) {
            GoldenImages.Draw dr = zdraws.get(i);
            byte[] body = dr.imageType() == GoldenImages.IMAGE_ZLIB_GLZ_RGB
                    ? concat(le32(dr.glzSize()), dataField(dr.data())) : dataField(dr.data());
            message(s, 304, drawCopy(dr.left(), dr.top(), dr.width(), dr.height(), image(i, dr.imageType(),
                    dr.width(), dr.height(), body)));
        }
        Files.write(d.resolve("golden-zlib-glz-session"), s.toByteArray());

        // QEMU's LZ4 screen and two of its cursor blinks, drawn where QEMU drew them.
        List<GoldenImages.Draw> l4 = GoldenImages.draws("lz4-screenshot");
        s = new ByteArrayOutputStream();
        message(s, 314, surfaceCreate(0, 720, 400, 32, 1));
        for (int i = 0; i <= 2; i++) {
            GoldenImages.Draw dr = l4.get(i);
            message(s, 304, drawCopy(dr.left(), dr.top(), dr.width(), dr.height(), image(i + 1, 109, dr.width(),
                    dr.height(), dataField(dr.data()))));
        }
        Files.write(d.resolve("golden-lz4-screen"), s.toByteArray());

        // Composites through 8-bit and float operators, a8, component-alpha and transformed; dashed strokes.
        Files.write(d.resolve("composites-dashed-strokes"),
                org.spice.display.internal.client.DrawSeeds.compositesAndDashedStrokes());

        // Small surface, then one draw of every image type, cache flags, fills and copy_bits.
        s = new ByteArrayOutputStream();
        message(s, 314, surfaceCreate(0, 64, 48, 32, 1));
        message(s, 314, surfaceCreate(1, 16, 16, 32, 0));
        int[] text = crop(0, 0, 24, 16);
        message(s, 304, drawCopy(0, 0, 24, 16, image(1, 1, 24, 16, dataField(QuicEncoder.encode(
                QuicFormat.TYPE_RGB32, 24, 16, text, 0, 24)))));
        byte[] lz = lzOfType(LzFormat.RGB32, false, 0);
        message(s, 304, drawCopy(30, 2, 12, 3, image(2, 101, 12, 3, dataField(lz)), 1));
        // cached pixmap reused
        message(s, 304, drawCopy(30, 10, 12, 3, image(2, 103, 12, 3, new byte[0])));
        // LZ_PLT with its palette given by offset (the palette follows the image) and cached
        byte[] plt = lzOfType(LzFormat.PLT8, false, 0);
        message(s, 304, drawCopyPlt(40, 20, 12, 3, plt));
        // bitmap 8-bit with an inline palette; bitmap 32-bit bottom-up
        message(s, 304, drawCopyBitmap(0, 30, 4, 2, BitmapCodec.FMT_32BIT, 0, 16,
                new byte[] {1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9, 0, 10, 11, 12, 0, 13, 14, 15, 0, 16, 17, 18, 0, 19, 20,
                    21, 0, 22, 23, 24, 0}));
        // GLZ then a GLZ copying from it
        message(s, 304, drawCopy(0, 40, 12, 3, image(3, 102, 12, 3, dataField(lzOfType(LzFormat.RGB32, true, 0)))));
        LzStreams g = LzStreams.glz(LzFormat.RGB32, true, 4, 3, 16, 1, 1);
        g.glzRef(12, 0, 1, false);
        message(s, 304, drawCopy(20, 40, 4, 3, image(4, 102, 4, 3, dataField(g.toBytes()))));
        // surface image from surface 1
        message(s, 304, drawCopy(48, 30, 16, 16, image(5, 104, 16, 16, le32(1))));
        // fill solid, blackness, whiteness, invers, copy_bits
        message(s, 302, concat(base(0, 2, 2, 10, 10), new byte[] {1}, le32(0xff8800), le16(8), mask()));
        message(s, 306, concat(base(0, 0, 0, 4, 4), mask()));
        message(s, 307, concat(base(0, 4, 0, 4, 4), mask()));
        message(s, 308, concat(base(0, 8, 0, 4, 4), mask()));
        message(s, 104, concat(base(0, 10, 10, 8, 8), le32(0), le32(0)));
        // clip rects
        message(s, 302, concat(baseClip(0, 0, 0, 64, 48, 2), new byte[] {1}, le32(0x0000ff), le16(8), mask()));
        message(s, 105, concat(le16(1), new byte[] {0}, le64(2)));
        message(s, 106, new byte[0]);
        message(s, 317, concat(le16(1), le16(1), le32(0), le32(0), le32(64), le32(48), le32(0), le32(0), le32(0)));
        message(s, 315, le32(1));
        message(s, 102, new byte[0]);
        Files.write(d.resolve("every-image-type"), s.toByteArray());

        // A video stream: create, a clip, destroy.
        s = new ByteArrayOutputStream();
        message(s, 314, surfaceCreate(0, 32, 32, 32, 1));
        message(s, 122, concat(le32(0), le32(7), new byte[] {1, 1}, new byte[24], rect(0, 0, 16, 16), new byte[] {0}));
        byte[] jpeg = jpeg(crop(100, 40, 16, 16), 16, 16);
        message(s, 123, concat(le32(7), le32(1000), dataField(jpeg)));
        message(s, 124, concat(le32(7), new byte[] {1}, le32(1), rect(0, 0, 8, 8)));
        message(s, 123, concat(le32(7), le32(1040), dataField(jpeg)));
        // a JPEG image in a draw
        message(s, 304, drawCopy(16, 16, 16, 16, image(9, 105, 16, 16, dataField(jpeg))));
        message(s, 125, le32(7));
        message(s, 103, new byte[0]);
        Files.write(d.resolve("stream"), s.toByteArray());

        // Lies found while writing the fuzz tests (DisplayClientLimitsTest): surfaces beyond the channel's budget,
        // a JPEG whose header claims 20000x20000.
        s = new ByteArrayOutputStream();
        for (int i = 0; i < 6; i++) {
            message(s, 314, surfaceCreate(i, 8192, 8192, 32, i == 0 ? 1 : 0));
        }
        Files.write(d.resolve("lying-surfaces"), s.toByteArray());
        s = new ByteArrayOutputStream();
        message(s, 314, surfaceCreate(0, 32, 32, 32, 1));
        message(s, 122, concat(le32(0), le32(7), new byte[] {1, 1}, new byte[24], rect(0, 0, 16, 16), new byte[] {0}));
        byte[] lying = jpeg.clone();
        for (int i = 0; i + 8 < lying.length; i++) {
            if ((lying[i] & 0xff) == 0xff && (lying[i + 1] & 0xff) == 0xc0) {
                lying[i + 5] = 0x4e;
                lying[i + 6] = 0x20;
                lying[i + 7] = 0x4e;
                lying[i + 8] = 0x20;
                break;
            }
        }
        message(s, 123, concat(le32(7), le32(1000), dataField(lying)));
        message(s, 304, drawCopy(0, 0, 16, 16, image(9, 105, 16, 16, dataField(lying))));
        Files.write(d.resolve("lying-jpeg"), s.toByteArray());
    }

    static byte[] jpeg(int[] rgb, int w, int h) throws IOException {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, w, h, rgb, 0, w);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "jpeg", out);
        return out.toByteArray();
    }

    static void message(ByteArrayOutputStream out, int type, byte[] body) {
        le16(out, type);
        le32(out, body.length);
        out.writeBytes(body);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] le16(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8)};
    }

    static byte[] le32(long v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        le32(out, v);
        return out.toByteArray();
    }

    static byte[] le64(long v) {
        return concat(le32(v), le32(v >>> 32));
    }

    static byte[] rect(int x, int y, int w, int h) {
        return concat(le32(y), le32(x), le32(y + h), le32(x + w));
    }

    static byte[] surfaceCreate(int id, int w, int h, int format, int flags) {
        return concat(le32(id), le32(w), le32(h), le32(format), le32(flags));
    }

    static byte[] base(int surface, int x, int y, int w, int h) {
        return concat(le32(surface), rect(x, y, w, h), new byte[] {0});
    }

    static byte[] baseClip(int surface, int x, int y, int w, int h, int rects) {
        byte[] r = new byte[0];
        for (int i = 0; i < rects; i++) {
            r = concat(r, rect(i * 8, i * 4, 20, 10));
        }
        return concat(le32(surface), rect(x, y, w, h), new byte[] {1}, le32(rects), r);
    }

    static byte[] mask() {
        return new byte[13];
    }

    static byte[] dataField(byte[] data) {
        return concat(le32(data.length), data);
    }

    /** The image descriptor: id, type, flags (1: cache me), width, height; then the type's fields. */
    static byte[] image(long id, int type, int w, int h, byte[] rest) {
        return image(id, type, w, h, rest, 0);
    }

    static byte[] image(long id, int type, int w, int h, byte[] rest, int flags) {
        return concat(le64(id), new byte[] {(byte) type, (byte) flags}, le32(w), le32(h), rest);
    }

    /** draw_copy at (x, y), w x h, no clip, the image right after the 57 bytes of the fixed part. */
    static byte[] drawCopy(int x, int y, int w, int h, byte[] image) {
        return concat(base(0, x, y, w, h), le32(57), rect(0, 0, w, h), le16(8), new byte[] {0}, mask(), image);
    }

    static byte[] drawCopy(int x, int y, int w, int h, byte[] image, int cacheFlags) {
        byte[] copy = image.clone();
        copy[9] = (byte) cacheFlags;
        return drawCopy(x, y, w, h, copy);
    }

    /** LZ_PLT: image at 57, its palette after the LZ data, cached (PAL_CACHE_ME). */
    static byte[] drawCopyPlt(int x, int y, int w, int h, byte[] lz) {
        int imageLen = 18 + 1 + 4 + 4 + lz.length;
        byte[] pal = concat(le64(77), le16(PALETTE.length));
        for (int e : PALETTE) {
            pal = concat(pal, le32(e));
        }
        byte[] img = concat(image(6, 100, w, h, concat(new byte[] {1}, le32(lz.length), le32(57 + imageLen), lz)),
                pal);
        return drawCopy(x, y, w, h, img);
    }

    static byte[] drawCopyBitmap(int x, int y, int w, int h, int format, int bflags, int stride, byte[] rows) {
        byte[] img = image(7, 0, w, h, concat(new byte[] {(byte) format, (byte) bflags}, le32(w), le32(h),
                le32(stride), le32(0), rows));
        return drawCopy(x, y, w, h, img);
    }
}
