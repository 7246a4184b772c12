package org.spice.recording;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.spice.desktop.Frame;
import org.spice.desktop.Pointer;
import org.spice.desktop.Rect;

class RecordingTest {
    private static final Pointer.Shape ARROW = new Pointer.Shape(2, 3, 1, 1,
            new int[] {0xFF000000, 0x80FFFFFF, 0xFF112233, 0, 0x01020304, 0xFFFFFFFF});

    /** A small recording: a 16x8 surface, a full region of noise, a pointer, a 3x2 region, the pointer moved. */
    static byte[] sample(Frame[] frames) throws IOException {
        Random r = new Random(7);
        int[] a = new int[16 * 8];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextInt() & 0xFFFFFF;
        }
        Frame f1 = new Frame(16, 8, a, 1);
        int[] b = a.clone();
        b[2 * 16 + 5] = 0x123456;
        b[3 * 16 + 7] = 0xABCDEF;
        Frame f2 = new Frame(16, 8, b, 2);
        frames[0] = f1;
        frames[1] = f2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (RecordingWriter w = new RecordingWriter(out, new Header(1_700_000_000_000L, "spice://127.0.0.1:5900"))) {
            w.surface(0, 16, 8);
            w.region(0, f1, new Rect(0, 0, 16, 8));
            w.pointer(10, new Pointer(3, 4, true, ARROW));
            w.region(250, f2, new Rect(5, 2, 3, 2));
            w.pointer(300, new Pointer(6, 1, false, ARROW));
            w.end(1000);
            assertEquals(out.size(), w.size());
        }
        return out.toByteArray();
    }

    @Test
    void readsBackWhatWasWritten() throws IOException {
        Frame[] frames = new Frame[2];
        byte[] file = sample(frames);
        RecordingState state = new RecordingState();
        try (RecordingReader r = new RecordingReader(new ByteArrayInputStream(file), file.length)) {
            assertEquals(new Header(1_700_000_000_000L, "spice://127.0.0.1:5900"), r.header());
            assertEquals(new Rect(0, 0, 16, 8), state.apply(r.next()));
            assertEquals(new Rect(0, 0, 16, 8), state.apply(r.next()));
            assertArrayEquals(frames[0].rgb(), state.frame().rgb());
            RecordingEvent p = r.next();
            assertEquals(10, p.millis());
            assertNull(state.apply(p));
            assertEquals(3, state.pointer().x());
            assertTrue(state.pointer().visible());
            assertArrayEquals(ARROW.argb(), state.pointer().shape().argb());
            RecordingEvent region = r.next();
            assertEquals(250, region.millis());
            assertEquals(new Rect(5, 2, 3, 2), state.apply(region));
            assertArrayEquals(frames[1].rgb(), state.frame().rgb());
            state.apply(r.next());
            assertFalse(state.pointer().visible());
            assertEquals(6, state.pointer().x());
            assertInstanceOf(RecordingEvent.End.class, r.next());
            assertTrue(r.ended());
            assertNull(r.next());
        }
    }

    @Test
    void everyTruncationIsAClearError() throws IOException {
        byte[] file = sample(new Frame[2]);
        // Cut anywhere but at a record boundary: an error naming the offset, never an exception of another kind.
        int clean = 0;
        for (int n = 0; n < file.length; n++) {
            byte[] cut = Arrays.copyOf(file, n);
            try (RecordingReader r = new RecordingReader(new ByteArrayInputStream(cut), cut.length)) {
                while (r.next() != null) {
                    // read on
                }
                assertFalse(r.ended());
                clean++;
            } catch (RecordingFormatException e) {
                assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("compressed"),
                        e.getMessage());
            }
        }
        assertEquals(6, clean, "cuts after the header and each record before the end read as recordings without an end");
    }

    @Test
    void corruptBytesAreClearErrors() throws IOException {
        byte[] file = sample(new Frame[2]);
        Random random = new Random(1);
        for (int i = 0; i < 2000; i++) {
            byte[] bad = file.clone();
            bad[random.nextInt(bad.length)] ^= (byte) (1 << random.nextInt(8));
            try (RecordingReader r = new RecordingReader(new ByteArrayInputStream(bad), bad.length)) {
                RecordingState s = new RecordingState();
                RecordingEvent e;
                while ((e = r.next()) != null) {
                    s.apply(e);
                }
            } catch (RecordingFormatException expected) {
                assertTrue(expected.offset() >= 0);
            }
        }
    }

    @Test
    void hugeClaimsAreRefusedBeforeAllocating() throws IOException {
        byte[] file = sample(new Frame[2]);
        int firstRecord = 8 + 2 + 2 + 8 + 2 + "spice://127.0.0.1:5900".length();
        // A record claiming 200 MB in a small file.
        byte[] bad = file.clone();
        ByteBuffer.wrap(bad).putInt(firstRecord + 5, 200_000_000);
        RecordingFormatException e = assertThrows(RecordingFormatException.class, () -> readAll(bad));
        assertTrue(e.getMessage().contains("truncated: the record needs 200000000 bytes"), e.getMessage());
        // A surface beyond the limits.
        byte[] wide = file.clone();
        ByteBuffer.wrap(wide).putInt(firstRecord + 9, 100_000);
        e = assertThrows(RecordingFormatException.class, () -> readAll(wide));
        assertTrue(e.getMessage().contains("surface 100000x8 is beyond"), e.getMessage());
        // A region claiming far more pixels than its compressed bytes can hold.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (RecordingWriter w = new RecordingWriter(out, new Header(0, ""))) {
            w.surface(0, 16384, 4096);
        }
        ByteBuffer region = ByteBuffer.allocate(9 + 16 + 8);
        region.put((byte) RecordingFormat.REGION).putInt(0).putInt(24).putInt(0).putInt(0).putInt(16384).putInt(4096);
        out.write(region.array());
        byte[] liar = out.toByteArray();
        e = assertThrows(RecordingFormatException.class, () -> readAll(liar));
        assertTrue(e.getMessage().contains("cannot hold"), e.getMessage());
        byte[] notOne = "GIF89a and more bytes".getBytes();
        e = assertThrows(RecordingFormatException.class, () -> readAll(notOne));
        assertTrue(e.getMessage().contains("not a SPICE recording"), e.getMessage());
    }

    private static void readAll(byte[] file) throws IOException {
        try (RecordingReader r = new RecordingReader(new ByteArrayInputStream(file), file.length)) {
            while (r.next() != null) {
                // read on
            }
        }
    }
}
