package org.spice.desktop.sources.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.spice.desktop.Rect;
import org.spice.desktop.ScreenCapture;

/** Which way the screen source reads the screen: the service while it works, Robot (here a stand-in) otherwise. */
class ScreenReaderTest {
    static final Rect AREA = new Rect(0, 0, 4, 2);

    /** A service whose grabs fill every pixel with {@code colour}, after {@code failAfter} good reads. */
    static final class FakeCapture implements ScreenCapture {
        final int colour;
        final boolean opens;
        final int failAfter;
        int opened;
        int closed;

        FakeCapture(int colour, boolean opens, int failAfter) {
            this.colour = colour;
            this.opens = opens;
            this.failAfter = failAfter;
        }

        @Override
        public String describe() {
            return "fake " + Integer.toHexString(colour);
        }

        @Override
        public Grab open(Rect area) throws IOException {
            opened++;
            if (!opens) {
                throw new IOException("no such screen");
            }
            assertEquals(AREA, area);
            return new Grab() {
                int reads;

                @Override
                public void read(int[] into) throws IOException {
                    if (++reads > failAfter) {
                        throw new IOException("the screen went away");
                    }
                    Arrays.fill(into, colour);
                }

                @Override
                public void close() {
                    closed++;
                }
            };
        }
    }

    static int[] filled(int colour) {
        int[] px = new int[AREA.width() * AREA.height()];
        Arrays.fill(px, colour);
        return px;
    }

    final int[] robot = filled(0x123456);

    @Test
    void readsThroughTheServiceWhileThereIsOneAndRobotOtherwise() {
        FakeCapture shm = new FakeCapture(0xabcdef, true, Integer.MAX_VALUE);
        try (ScreenReader reader = new ScreenReader(AREA, robot::clone)) {
            assertArrayEquals(robot, reader.read(null));
            assertEquals(ScreenReader.FALLBACK, reader.readingWith());
            assertArrayEquals(filled(0xabcdef), reader.read(shm));
            assertArrayEquals(filled(0xabcdef), reader.read(shm));
            assertEquals("fake abcdef", reader.readingWith());
            assertEquals(1, shm.opened, "one grab for every capture");
            assertArrayEquals(robot, reader.read(null), "the service went: Robot again");
            assertEquals(1, shm.closed, "its grab closed when it went");
            FakeCapture next = new FakeCapture(0x0000ff, true, Integer.MAX_VALUE);
            assertArrayEquals(filled(0x0000ff), reader.read(next));
        }
    }

    @Test
    void aServiceThatCannotOpenIsAskedOnceAndRobotReads() {
        FakeCapture remote = new FakeCapture(0xabcdef, false, 0);
        try (ScreenReader reader = new ScreenReader(AREA, robot::clone)) {
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(robot, reader.read(remote));
            }
            assertEquals(1, remote.opened, "not asked again at every capture");
            assertEquals(ScreenReader.FALLBACK, reader.readingWith());
        }
    }

    @Test
    void aGrabThatFailsIsClosedAndRobotReadsThatCaptureAndTheNext() {
        FakeCapture flaky = new FakeCapture(0xabcdef, true, 2);
        ScreenReader reader = new ScreenReader(AREA, robot::clone);
        assertArrayEquals(filled(0xabcdef), reader.read(flaky));
        assertArrayEquals(filled(0xabcdef), reader.read(flaky));
        assertArrayEquals(robot, reader.read(flaky), "the failed read is made up by Robot");
        assertEquals(1, flaky.closed);
        assertArrayEquals(robot, reader.read(flaky));
        assertEquals(1, flaky.opened);
        reader.close();
        assertEquals(1, flaky.closed, "closed once");
    }

    @Test
    void closingClosesTheOpenGrab() {
        FakeCapture shm = new FakeCapture(0xabcdef, true, Integer.MAX_VALUE);
        ScreenReader reader = new ScreenReader(AREA, robot::clone);
        reader.read(shm);
        reader.close();
        assertEquals(1, shm.closed);
    }
}
