package org.spice.runtime.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes 8-bit truecolour PNG files (RGB, or RGBA with {@code alpha}) of 0xAARRGGBB pixels: the PNG container around
 * the JDK's {@link Deflater} and {@link CRC32}, every row filtered with PNG's "Up" filter.
 *
 * <p>Why not ImageIO's PNG writer: in a cold one-shot {@code spice screenshot} (C1 only) it took 95-110 ms of the
 * run's 1.1 s for a 1024x768 picture (its registry, its per-row choice among all five filters, a CRC computed in Java,
 * pixels fetched through the sample model, and the AWT classes and native library it needs), and its filter choice
 * left the demo's gradients nearly unfiltered (1.78 MB). Here: about 20 ms cold and 19 KB for that picture, and
 * smaller files than ImageIO's on the other screens tried (the GRUB splash 423 KB against 638 KB, a remote-viewer
 * window 96 KB against 238 KB): "Up" suits screen content, where a row mostly repeats the one above. Reading PNG
 * files stays with ImageIO.
 */
final class PngFile {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int FILTER_UP = 2;
    /** zlib's level 4: within a percent or two of level 6's size on screens, and faster. */
    private static final int LEVEL = 4;
    /** The most compressed bytes one IDAT chunk carries (a file holds as many IDAT chunks as it needs). */
    private static final int CHUNK = 1 << 16;

    private PngFile() {
    }

    /** Writes {@code width x height} pixels (row after row, {@code width} apart) to {@code file}. */
    static void write(Path file, int width, int height, int[] pixels, boolean alpha) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), CHUNK + 12)) {
            write(out, width, height, pixels, alpha);
        }
    }

    /** Writes {@code width x height} pixels as a PNG stream; the top byte of each is the alpha when {@code alpha}. */
    static void write(OutputStream out, int width, int height, int[] pixels, boolean alpha) throws IOException {
        if (width < 1 || height < 1 || (long) width * height > pixels.length) {
            throw new IllegalArgumentException(width + "x" + height + " pixels from " + pixels.length);
        }
        int bpp = alpha ? 4 : 3;
        if ((long) width * bpp + 1 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("rows of " + width + " pixels");
        }
        Chunks chunks = new Chunks(out);
        out.write(SIGNATURE);
        byte[] header = chunks.data;
        putInt(header, 0, width);
        putInt(header, 4, height);
        header[8] = 8; // bits per sample
        header[9] = (byte) (alpha ? 6 : 2); // colour type: truecolour with alpha, or truecolour
        header[10] = 0; // deflate
        header[11] = 0; // adaptive filtering (each row names its filter)
        header[12] = 0; // not interlaced
        chunks.write("IHDR", 13);

        int stride = width * bpp;
        byte[] row = new byte[stride];
        byte[] above = new byte[stride]; // the row before, zeros above the first (as PNG's filters assume)
        byte[] filtered = new byte[stride + 1];
        filtered[0] = FILTER_UP;
        Deflater deflater = new Deflater(LEVEL);
        try {
            for (int y = 0; y < height; y++) {
                int p = y * width;
                if (alpha) {
                    for (int x = 0, q = 0; x < width; x++, q += 4) {
                        int v = pixels[p + x];
                        row[q] = (byte) (v >>> 16);
                        row[q + 1] = (byte) (v >>> 8);
                        row[q + 2] = (byte) v;
                        row[q + 3] = (byte) (v >>> 24);
                    }
                } else {
                    for (int x = 0, q = 0; x < width; x++, q += 3) {
                        int v = pixels[p + x];
                        row[q] = (byte) (v >>> 16);
                        row[q + 1] = (byte) (v >>> 8);
                        row[q + 2] = (byte) v;
                    }
                }
                for (int i = 0; i < stride; i++) {
                    filtered[i + 1] = (byte) (row[i] - above[i]);
                }
                byte[] t = above;
                above = row;
                row = t;
                deflater.setInput(filtered);
                while (!deflater.needsInput()) {
                    chunks.deflate(deflater);
                }
            }
            deflater.finish();
            while (!deflater.finished()) {
                chunks.deflate(deflater);
            }
            chunks.flushData();
        } finally {
            deflater.end();
        }
        chunks.write("IEND", 0);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    /** Chunks out: length, type, data, CRC of type and data. Compressed data fills IDAT chunks of {@link #CHUNK}. */
    private static final class Chunks {
        private final OutputStream out;
        private final byte[] head = new byte[8];
        private final byte[] sum = new byte[4];
        private final CRC32 crc = new CRC32();
        final byte[] data = new byte[CHUNK];
        private int filled;

        Chunks(OutputStream out) {
            this.out = out;
        }

        void deflate(Deflater deflater) throws IOException {
            filled += deflater.deflate(data, filled, CHUNK - filled);
            if (filled == CHUNK) {
                flushData();
            }
        }

        void flushData() throws IOException {
            if (filled > 0) {
                write("IDAT", filled);
                filled = 0;
            }
        }

        void write(String type, int length) throws IOException {
            putInt(head, 0, length);
            for (int i = 0; i < 4; i++) {
                head[4 + i] = (byte) type.charAt(i);
            }
            crc.reset();
            crc.update(head, 4, 4);
            crc.update(data, 0, length);
            out.write(head);
            out.write(data, 0, length);
            putInt(sum, 0, (int) crc.getValue());
            out.write(sum);
        }
    }
}
