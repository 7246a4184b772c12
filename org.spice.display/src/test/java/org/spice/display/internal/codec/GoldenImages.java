package org.spice.display.internal.codec;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

/** The captures under /golden (see golden/README.txt): draw lists, image streams and reference screens. */
final class GoldenImages {
    static final int IMAGE_LZ_RGB = 101;
    static final int IMAGE_GLZ_RGB = 102;
    static final int IMAGE_ZLIB_GLZ_RGB = 107;

    private GoldenImages() {
    }

    /** One draw_copy: image type, destination box and the image's data. */
    record Draw(int index, int imageType, int top, int left, int bottom, int right, byte[] data, int glzSize) {
        int width() {
            return right - left;
        }

        int height() {
            return bottom - top;
        }
    }

    static byte[] resource(String path) {
        try (InputStream in = GoldenImages.class.getResourceAsStream("/golden/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no golden resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Draw> draws(String dir) {
        List<Draw> out = new ArrayList<>();
        for (String line : new String(resource(dir + "/draws.txt"), StandardCharsets.US_ASCII).split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(" ");
            out.add(new Draw(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                    Integer.parseInt(f[3]), Integer.parseInt(f[4]), Integer.parseInt(f[5]),
                    resource(dir + "/" + f[6]), f.length > 7 ? Integer.parseInt(f[7]) : -1));
        }
        return out;
    }

    /** The spicy-screenshot reference of a capture, as opaque 0xffRRGGBB pixels. */
    static Pixels reference(String dir) {
        try (InputStream in = GoldenImages.class.getResourceAsStream("/golden/" + dir + "/ref.png")) {
            BufferedImage img = ImageIO.read(in);
            int w = img.getWidth();
            int h = img.getHeight();
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < argb.length; i++) {
                argb[i] |= 0xff000000;
            }
            return new Pixels(w, h, argb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies {@code image} onto {@code screen} at the draw's box. */
    static void blit(Pixels screen, Draw d, Pixels image) {
        for (int y = 0; y < image.height(); y++) {
            System.arraycopy(image.argb(), y * image.width(), screen.argb(), (d.top() + y) * screen.width() + d.left(),
                    image.width());
        }
    }

    /** Pixels whose RGB differ, or -1 if the sizes differ. */
    static int rgbDifferences(Pixels a, Pixels b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            return -1;
        }
        int n = 0;
        for (int i = 0; i < a.argb().length; i++) {
            if (((a.argb()[i] ^ b.argb()[i]) & 0xffffff) != 0) {
                n++;
            }
        }
        return n;
    }

    /** A description of the first RGB difference, for assertion messages. */
    static String firstDifference(Pixels actual, Pixels expected) {
        for (int i = 0; i < actual.argb().length; i++) {
            if (((actual.argb()[i] ^ expected.argb()[i]) & 0xffffff) != 0) {
                return String.format("first at (%d,%d): 0x%06x, expected 0x%06x", i % actual.width(),
                        i / actual.width(), actual.argb()[i] & 0xffffff, expected.argb()[i] & 0xffffff);
            }
        }
        return "none";
    }
}
