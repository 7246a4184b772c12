package org.spice.display.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.spice.desktop.Rect;

/** When a region's repeated redraws become a video stream. */
class VideoStreamsTest {
    private static final Rect VIDEO = new Rect(610, 100, 352, 240);
    private static final Rect TEXT = new Rect(20, 500, 9, 16);
    private static final long FRAME = 40_000_000L;

    /** Frames of {@code VIDEO} 40 ms apart from {@code t}; returns the frame that started the stream, or -1. */
    private static int frames(VideoStreams s, long t, int count, Rect between) {
        for (int i = 0; i < count; i++) {
            if (between != null) {
                assertFalse(s.observe(between, t + i * FRAME + FRAME / 2));
            }
            if (s.observe(VIDEO, t + i * FRAME)) {
                return i + 1;
            }
        }
        return -1;
    }

    @Test
    void theTenthRedrawOfALargeRegionStartsAStreamInFilterMode() {
        VideoStreams s = new VideoStreams(VideoStreams.Mode.FILTER);
        assertEquals(10, frames(s, 0, 20, null));
        assertEquals(VIDEO, s.active());
        assertEquals(0, s.id());
    }

    @Test
    void typingBesideTheVideoDoesNotKeepItFromStreaming() {
        // a viewer that joins while someone types: every video frame has a change of the text box between
        VideoStreams s = new VideoStreams(VideoStreams.Mode.FILTER);
        assertEquals(10, frames(s, 0, 20, TEXT));
        assertEquals(VIDEO, s.active());
    }

    @Test
    void fourOtherRegionsChangingBetweenFramesStillLeaveTheVideoACandidate() {
        VideoStreams s = new VideoStreams(VideoStreams.Mode.FILTER);
        long t = 0;
        for (int i = 0; i < 9; i++, t += FRAME) {
            assertFalse(s.observe(VIDEO, t));
            for (int k = 0; k < VideoStreams.CANDIDATES - 1; k++) {
                assertFalse(s.observe(new Rect(10 + 30 * k, 10, 20, 20), t + k + 1));
            }
        }
        assertTrue(s.observe(VIDEO, t));
    }

    @Test
    void aChangeOverlappingTheRegionWithOtherBoundsStartsTheCountAgain() {
        VideoStreams s = new VideoStreams(VideoStreams.Mode.FILTER);
        assertEquals(-1, frames(s, 0, 9, null));
        assertFalse(s.observe(new Rect(700, 200, 50, 50), 9 * FRAME));
        assertEquals(10, frames(s, 10 * FRAME, 20, null));
    }

    @Test
    void aRegionStillForASecondStartsItsCountAgain() {
        VideoStreams s = new VideoStreams(VideoStreams.Mode.FILTER);
        assertEquals(-1, frames(s, 0, 9, null));
        assertEquals(10, frames(s, 8 * FRAME + VideoStreams.IDLE_NANOS + 1, 20, null));
    }

    @Test
    void smallRegionsStreamOnlyInAllMode() {
        Rect small = new Rect(0, 0, 95, 96);
        VideoStreams filter = new VideoStreams(VideoStreams.Mode.FILTER);
        VideoStreams all = new VideoStreams(VideoStreams.Mode.ALL);
        for (int i = 0; i < 30; i++) {
            assertFalse(filter.observe(small, i * FRAME));
        }
        assertFalse(all.observe(small, 0));
        assertFalse(all.observe(small, FRAME));
        assertTrue(all.observe(small, 2 * FRAME));
        VideoStreams off = new VideoStreams(VideoStreams.Mode.OFF);
        assertEquals(-1, frames(off, 0, 30, null));
    }

    @Test
    void anIdleStreamEndsAndTheNextOneCountsFromTheStart() {
        VideoStreams s = new VideoStreams(VideoStreams.Mode.FILTER);
        assertEquals(10, frames(s, 0, 20, null));
        long last = 9 * FRAME;
        assertFalse(s.idle(last + VideoStreams.IDLE_NANOS));
        assertTrue(s.idle(last + VideoStreams.IDLE_NANOS + 1));
        assertNull(s.active());
        assertEquals(10, frames(s, last + VideoStreams.IDLE_NANOS + 2, 20, null));
        assertEquals(1, s.id());
    }
}
