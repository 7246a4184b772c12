package org.spice.runtime.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes one video track of VP8 or VP9 frames as a WebM file (Matroska's EBML elements: the header, a segment of
 * unknown size with its info and track, then clusters of SimpleBlocks). Each frame carries its own time in
 * milliseconds, so a recording's changes keep their timing without repeating still pictures. A cluster is kept in
 * memory until the next key frame or until its block times would overflow their 16 bits, then written.
 */
final class WebmWriter implements AutoCloseable {
    private static final int EBML = 0x1A45DFA3;
    private static final int SEGMENT = 0x18538067;
    private static final int INFO = 0x1549A966;
    private static final int TRACKS = 0x1654AE6B;
    private static final int CLUSTER = 0x1F43B675;
    private static final int TRACK_ENTRY = 0xAE;
    private static final int SIMPLE_BLOCK = 0xA3;
    private static final int TIMECODE = 0xE7;

    private final OutputStream out;
    private final ByteArrayOutputStream cluster = new ByteArrayOutputStream();
    private long clusterMillis = -1;
    private long lastMillis = -1;

    /** @param codecId "V_VP8" or "V_VP9" */
    WebmWriter(OutputStream out, String codecId, int width, int height) throws IOException {
        this.out = out;
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        element(head, EBML, concat(
                uint(0x4286, 1), uint(0x42F7, 1), uint(0x42F2, 4), uint(0x42F3, 8),
                string(0x4282, "webm"), uint(0x4287, 2), uint(0x4285, 2)));
        id(head, SEGMENT);
        head.write(new byte[] {0x01, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
            (byte) 0xFF}); // unknown size: the segment runs to the end of the file
        element(head, INFO, concat(uint(0x2AD7B1, 1_000_000), string(0x4D80, "spice export"),
                string(0x5741, "spice export")));
        element(head, TRACKS, elementBytes(TRACK_ENTRY, concat(uint(0xD7, 1), uint(0x73C5, 1), uint(0x83, 1),
                string(0x86, codecId), elementBytes(0xE0, concat(uint(0xB0, width), uint(0xBA, height))))));
        head.writeTo(out);
    }

    /** One frame shown from {@code millis} on; times must not go backwards. */
    void frame(long millis, byte[] data, boolean key) throws IOException {
        if (millis < lastMillis) {
            throw new IllegalArgumentException("frame at " + millis + " ms after one at " + lastMillis + " ms");
        }
        lastMillis = millis;
        if (clusterMillis < 0 || key || millis - clusterMillis > Short.MAX_VALUE) {
            flushCluster();
            clusterMillis = millis;
            cluster.write(uint(TIMECODE, millis));
        }
        ByteArrayOutputStream block = new ByteArrayOutputStream(data.length + 4);
        block.write(0x81); // track 1
        int relative = (int) (millis - clusterMillis);
        block.write(relative >> 8);
        block.write(relative);
        block.write(key ? 0x80 : 0);
        block.write(data);
        element(cluster, SIMPLE_BLOCK, block.toByteArray());
    }

    private void flushCluster() throws IOException {
        if (cluster.size() > 0) {
            element(out, CLUSTER, cluster.toByteArray());
            cluster.reset();
        }
    }

    @Override
    public void close() throws IOException {
        flushCluster();
        out.close();
    }

    private static void id(OutputStream o, int id) throws IOException {
        if (id > 0xFFFFFF) {
            o.write(id >>> 24);
        }
        if (id > 0xFFFF) {
            o.write(id >>> 16);
        }
        if (id > 0xFF) {
            o.write(id >>> 8);
        }
        o.write(id);
    }

    /** An EBML size as an 8-byte variable-length integer (any size a frame or cluster has fits). */
    private static void size(OutputStream o, long size) throws IOException {
        o.write(0x01);
        for (int shift = 48; shift >= 0; shift -= 8) {
            o.write((int) (size >>> shift));
        }
    }

    private static void element(OutputStream o, int id, byte[] body) throws IOException {
        id(o, id);
        size(o, body.length);
        o.write(body);
    }

    private static byte[] elementBytes(int id, byte[] body) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(body.length + 12);
        element(b, id, body);
        return b.toByteArray();
    }

    private static byte[] uint(int id, long value) throws IOException {
        int n = 1;
        while (n < 8 && value >>> (8 * n) != 0) {
            n++;
        }
        byte[] v = new byte[n];
        for (int i = 0; i < n; i++) {
            v[i] = (byte) (value >>> (8 * (n - 1 - i)));
        }
        return elementBytes(id, v);
    }

    private static byte[] string(int id, String s) throws IOException {
        return elementBytes(id, s.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }
}
