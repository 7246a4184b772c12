package org.spice.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The containers of {@code spice export}; GatewayRecordIT has GStreamer read whole files of both. */
class VideoContainersTest {
    @Test
    void annexBSplitsAtBothStartCodes() {
        byte[] stream = {0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 1, 0x65, 4, 5, 0};
        List<byte[]> nals = Mp4Writer.nals(stream);
        assertEquals(3, nals.size());
        assertArrayEquals(new byte[] {0x67, 1, 2}, nals.get(0));
        assertArrayEquals(new byte[] {0x68, 3}, nals.get(1));
        assertArrayEquals(new byte[] {0x65, 4, 5, 0}, nals.get(2));
    }

    @Test
    void mp4HoldsTheSamplesLengthPrefixedAndItsIndex(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("v.mp4");
        byte[] key = {0, 0, 0, 1, 0x67, 0x42, 0, 0x1E, 0, 0, 0, 1, 0x68, 0x11, 0, 0, 0, 1, 0x65, 9, 9, 9};
        byte[] delta = {0, 0, 0, 1, 0x41, 7, 7};
        try (Mp4Writer w = new Mp4Writer(file, 64, 32)) {
            w.frame(0, key);
            w.frame(400, delta);
            w.finish(1000);
            assertThrows(IllegalArgumentException.class, () -> w.frame(300, delta));
        }
        byte[] b = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(b);
        assertEquals("ftyp", type(b, 4));
        int mdat = buf.getInt(0);
        assertEquals("mdat", type(b, mdat + 4));
        long mdatSize = buf.getLong(mdat + 8);
        // The samples: the IDR slice and the delta slice, 4-byte lengths, without SPS and PPS.
        assertEquals(16 + 4 + 4 + 4 + 3, mdatSize);
        assertEquals(4, buf.getInt(mdat + 16));
        assertEquals(0x65, b[mdat + 20]);
        assertEquals("moov", type(b, (int) (mdat + mdatSize) + 4));
        String moov = new String(b, (int) (mdat + mdatSize), b.length - (int) (mdat + mdatSize),
                StandardCharsets.ISO_8859_1);
        for (String box : List.of("mvhd", "tkhd", "mdhd", "hdlr", "avc1", "avcC", "stts", "stss", "stsz", "co64")) {
            assertTrue(moov.contains(box), box);
        }
        // stts: two samples of 400 and 600 ms.
        int stts = moov.indexOf("stts") + (int) (mdat + mdatSize);
        assertEquals(2, buf.getInt(stts + 8));
        assertEquals(400, buf.getInt(stts + 16));
        assertEquals(600, buf.getInt(stts + 24));
    }

    @Test
    void webmStartsAClusterAtEachKeyFrame() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (WebmWriter w = new WebmWriter(out, "V_VP8", 64, 32)) {
            w.frame(0, new byte[] {0x10, 1}, true);
            w.frame(40, new byte[] {0x11, 2}, false);
            w.frame(80, new byte[] {0x10, 3}, true);
        }
        byte[] b = out.toByteArray();
        assertEquals(0x1A45DFA3, ByteBuffer.wrap(b).getInt(0));
        String s = new String(b, StandardCharsets.ISO_8859_1);
        assertTrue(s.contains("webm") && s.contains("V_VP8"));
        assertEquals(2, count(b, new byte[] {0x1F, 0x43, (byte) 0xB6, 0x75}), "clusters");
        // SimpleBlock, its 8-byte size (6: track 1, 16-bit time, flags, 2 bytes of frame), track 1.
        assertEquals(3, count(b, new byte[] {(byte) 0xA3, 0x01, 0, 0, 0, 0, 0, 0, 6, (byte) 0x81}),
                "simple blocks");
    }

    private static String type(byte[] b, int at) {
        return new String(b, at, 4, StandardCharsets.US_ASCII);
    }

    private static int count(byte[] b, byte[] pattern) {
        int n = 0;
        outer:
        for (int i = 0; i + pattern.length <= b.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (b[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            n++;
        }
        return n;
    }
}
