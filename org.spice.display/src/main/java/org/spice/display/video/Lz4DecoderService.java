package org.spice.display.video;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A decoder of the LZ4 blocks in SPICE {@code LZ4} images that a client's display uses, where one is registered and
 * runs here, for 32-bit images instead of its own (liblz4, for one, decodes about twice as fast as the display's
 * Java). Thread-safe: display channels decode on their own threads.
 */
@ConsumerType
public interface Lz4DecoderService {
    /**
     * Decodes the blocks at {@code data[offset, offset + length)}, each a big-endian u32 size and a raw LZ4 block
     * whose matches may reach back into everything decoded before it (spice-server compresses the rows with
     * LZ4_compress_fast_continue), into {@code pixels}: four bytes a pixel, {@code b, g, r, x} made {@code x << 24 |
     * r << 16 | g << 8 | b}, in the order decoded.
     *
     * @return true when decoded; false when this decoder cannot run here (its native library did not load), and
     *     the display decodes with its own
     * @throws VideoCodecException when a block is cut short or is not LZ4, or the blocks decode to more or fewer
     *     bytes than {@code pixels} holds; nothing is written outside {@code pixels}
     */
    boolean decode(byte[] data, int offset, int length, int[] pixels);
}
