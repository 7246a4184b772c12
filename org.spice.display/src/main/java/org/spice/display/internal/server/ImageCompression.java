package org.spice.display.internal.server;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The {@code image-compression} setting as spice-server names it, and its number in spice.proto's
 * {@code image_compression} enum (what a client's preferred-compression message carries).
 *
 * <ul>
 * <li>{@code off}: uncompressed bitmaps.
 * <li>{@code quic}: QUIC for every image at least 3x3 (the smallest spice-server compresses), else a bitmap.
 * <li>{@code lz}, {@code glz}: LZ, or GLZ with the dictionary shared by a client's images (LZ when an image
 * does not fit the GLZ window).
 * <li>{@code auto_lz}, {@code auto_glz}: QUIC for photo-like images ({@link org.spice.display.internal.codec
 * .Graduality}), LZ or GLZ for the others.
 * </ul>
 */
enum ImageCompression {
    OFF(1), AUTO_GLZ(2), AUTO_LZ(3), QUIC(4), GLZ(5), LZ(6);

    /** spice.proto's number; LZ4 (7) has no encoder here. */
    final int wire;

    ImageCompression(int wire) {
        this.wire = wire;
    }

    /** The setting's name: off, auto_glz, auto_lz, quic, glz, lz. */
    String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ImageCompression parse(String name) {
        for (ImageCompression c : values()) {
            if (c.configName().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("image compression must be one of " + names() + ", not '" + name + "'");
    }

    static String names() {
        return Arrays.stream(values()).map(ImageCompression::configName).collect(Collectors.joining(", "));
    }

    /** The setting a preferred-compression message asks for, or null for a value without an encoder here. */
    static ImageCompression ofWire(int wire) {
        for (ImageCompression c : values()) {
            if (c.wire == wire) {
                return c;
            }
        }
        return null;
    }

    boolean usesGlz() {
        return this == GLZ || this == AUTO_GLZ;
    }
}
