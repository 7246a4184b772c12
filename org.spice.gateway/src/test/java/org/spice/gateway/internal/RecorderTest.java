package org.spice.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spice.desktop.Frame;
import org.spice.desktop.Pointer;
import org.spice.desktop.Rect;
import org.spice.recording.RecordingEvent;
import org.spice.recording.RecordingReader;
import org.spice.recording.RecordingState;

class RecorderTest {
    private static final Pointer.Shape DOT = new Pointer.Shape(1, 1, 0, 0, new int[] {0xFFFF0000});

    private static Frame noise(int w, int h, long seed, long serial) {
        Random r = new Random(seed);
        int[] rgb = new int[w * h];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = r.nextInt() & 0xFFFFFF;
        }
        return new Frame(w, h, rgb, serial);
    }

    /** Reads a recording to its end: the picture and pointer it shows last, and the time of its last record. */
    private static RecordingState replay(Path file, long[] lastMillis, boolean[] ended) throws IOException {
        RecordingState state = new RecordingState();
        try (InputStream in = Files.newInputStream(file);
                RecordingReader r = new RecordingReader(in, Files.size(file))) {
            RecordingEvent e;
            while ((e = r.next()) != null) {
                state.apply(e);
                lastMillis[0] = e.millis();
            }
            ended[0] = r.ended();
        }
        return state;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void eachSessionIsOneRecordingOfWhatTheViewersSaw() throws Exception {
        Path dir = Files.createTempDirectory("rec");
        Recorder recorder = new Recorder(dir, "vm", 64L * 1024 * 1024);
        Frame first = noise(64, 32, 1, 1);
        recorder.changed(first, new Rect(0, 0, 64, 32)); // before any session: not recorded
        recorder.sessionStarted("spice://127.0.0.1:5900");
        recorder.changed(first, new Rect(0, 0, 64, 32));
        recorder.pointerChanged(new Pointer(5, 6, true, DOT));
        int[] next = first.rgb().clone();
        next[10 * 64 + 20] = 0x00FF00;
        Thread.sleep(120);
        Frame second = new Frame(64, 32, next, 2);
        recorder.changed(second, new Rect(20, 10, 1, 1));
        recorder.sessionEnded();
        Frame third = noise(32, 16, 2, 3);
        recorder.sessionStarted("spice://127.0.0.1:5900");
        recorder.changed(third, new Rect(0, 0, 32, 16));
        recorder.close();

        List<Path> files = files(dir);
        assertEquals(2, files.size(), "one recording per session: " + files);
        long[] last = new long[1];
        boolean[] ended = new boolean[1];
        RecordingState one = replay(files.get(0), last, ended);
        assertArrayEquals(second.rgb(), one.frame().rgb());
        assertEquals(new Pointer(5, 6, true, one.pointer().shape()), one.pointer());
        assertArrayEquals(DOT.argb(), one.pointer().shape().argb());
        assertTrue(last[0] >= 100, "the second change came 120 ms after the first: " + last[0] + " ms");
        assertTrue(ended[0]);
        RecordingState two = replay(files.get(1), last, ended);
        assertArrayEquals(third.rgb(), two.frame().rgb());
        assertTrue(ended[0], "closing the recorder ends the open recording");
    }

    @Test
    void aFullFileGoesOnInANextPartThatReplaysOnItsOwn(@TempDir Path dir) throws Exception {
        Recorder recorder = new Recorder(dir, "vm", 20_000);
        recorder.sessionStarted("spice://127.0.0.1:5900");
        recorder.pointerChanged(new Pointer(1, 2, true, DOT));
        Frame f = null;
        for (int i = 0; i < 12; i++) {
            f = noise(80, 40, i, i + 1); // 9600 bytes of noise per change: two changes fill a part
            recorder.changed(f, new Rect(0, 0, 80, 40));
        }
        recorder.close();
        List<Path> files = files(dir);
        assertTrue(files.size() >= 4, "parts: " + files);
        for (Path p : files) {
            assertTrue(Files.size(p) < 20_000 + 2 * 80 * 40 * 4, p + " is " + Files.size(p) + " bytes");
        }
        long[] last = new long[1];
        boolean[] ended = new boolean[1];
        RecordingState tail = replay(files.get(files.size() - 1), last, ended);
        assertNotNull(tail.frame(), "the last part alone has a picture");
        assertArrayEquals(f.rgb(), tail.frame().rgb());
        assertEquals(1, tail.pointer().x(), "the last part alone has the pointer");
        assertTrue(ended[0]);
    }

    @Test
    void whenTheDiskFallsBehindChangesAreDroppedAndTheRecordingStillEndsOnTheLastPicture(@TempDir Path dir)
            throws Exception {
        // Room for two 400x300 frames in the queue; noise takes the writer far longer to compress than to queue.
        Recorder recorder = new Recorder(dir, "vm", 1L << 30, 2 * 400 * 300);
        recorder.sessionStarted("spice://127.0.0.1:5900");
        Frame last = null;
        for (int i = 0; i < 60; i++) {
            last = noise(400, 300, i, i + 1);
            recorder.changed(last, new Rect(0, 0, 400, 300));
        }
        recorder.close();
        List<Path> files = files(dir);
        assertEquals(1, files.size());
        int regions = 0;
        try (InputStream in = Files.newInputStream(files.get(0));
                RecordingReader r = new RecordingReader(in, Files.size(files.get(0)))) {
            RecordingEvent e;
            while ((e = r.next()) != null) {
                regions += e instanceof RecordingEvent.Region ? 1 : 0;
            }
        }
        assertTrue(regions < 60, "the queue held every change: " + regions + " regions");
        long[] lastMillis = new long[1];
        boolean[] ended = new boolean[1];
        assertArrayEquals(last.rgb(), replay(files.get(0), lastMillis, ended).frame().rgb(),
                "the recording does not end on the last picture");
        assertTrue(ended[0]);
    }

    @Test
    void droppedSmallChangesAreMadeUpByAWholePicture(@TempDir Path dir) throws Exception {
        Recorder recorder = new Recorder(dir, "vm", 1L << 30, 2 * 400 * 300);
        recorder.sessionStarted("spice://127.0.0.1:5900");
        Frame f = noise(400, 300, 99, 1);
        recorder.changed(f, new Rect(0, 0, 400, 300));
        for (int i = 0; i < 200; i++) {
            int[] next = f.rgb().clone();
            Rect block = new Rect((i * 7) % 390, (i * 3) % 290, 10, 10);
            for (int y = block.y(); y < block.bottom(); y++) {
                java.util.Arrays.fill(next, y * 400 + block.x(), y * 400 + block.right(), i * 0x010203);
            }
            f = new Frame(400, 300, next, i + 2);
            recorder.changed(f, block);
        }
        recorder.close();
        List<Path> files = files(dir);
        long[] lastMillis = new long[1];
        boolean[] ended = new boolean[1];
        assertArrayEquals(f.rgb(), replay(files.get(0), lastMillis, ended).frame().rgb(),
                "the recording lost changes it dropped");
    }

    @Test
    void aDisplayJoiningThePictureIsRecordedAsANewSurface(@TempDir Path dir) throws Exception {
        Recorder recorder = new Recorder(dir, "vm", 64L * 1024 * 1024);
        java.util.ArrayList<Runnable> queued = new java.util.ArrayList<>();
        GatewaySource source = new GatewaySource(queued::add);
        source.addListener(recorder);
        recorder.sessionStarted("spice://127.0.0.1:5900");
        GatewaySourceTest.FakeDisplay d0 = new GatewaySourceTest.FakeDisplay();
        source.attach(0, d0);
        d0.draw(noise(64, 32, 3, 1), new Rect(0, 0, 64, 32));
        queued.forEach(Runnable::run);
        queued.clear();
        GatewaySourceTest.FakeDisplay d1 = new GatewaySourceTest.FakeDisplay();
        source.attach(1, d1);
        d1.draw(noise(16, 40, 4, 1), new Rect(0, 0, 16, 40));
        queued.forEach(Runnable::run);
        queued.clear();
        Frame both = source.frame();
        assertEquals(80, both.width());
        recorder.close();
        RecordingState state = replay(files(dir).get(0), new long[1], new boolean[1]);
        assertEquals(80, state.frame().width());
        assertEquals(40, state.frame().height());
        assertArrayEquals(both.rgb(), state.frame().rgb(), "the recording does not show both displays");
    }
}
