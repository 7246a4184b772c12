package org.spice.display.internal.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.spice.display.video.VideoCodec;

/** Key frames told from their first bytes, where a stream may start taking another encoder's frames. */
class KeyFramesTest {
    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void h264AccessUnitsWithAnIdrSliceAreKeyFrames() {
        // SPS, PPS, IDR slice, as x264 and openh264 start a key frame
        assertTrue(KeyFrames.isKey(VideoCodec.H264, bytes(0, 0, 0, 1, 0x67, 0x42, 0, 0, 0, 1, 0x68, 0xce, 0, 0, 1,
                0x65, 0x88, 0x84)));
        // a non-IDR slice, with 0x65 in its payload but after no start code
        assertFalse(KeyFrames.isKey(VideoCodec.H264, bytes(0, 0, 0, 1, 0x41, 0x65, 0x9a, 0, 0, 3, 1, 0x65)));
        assertFalse(KeyFrames.isKey(VideoCodec.H264, bytes(0, 0, 1)));
        assertFalse(KeyFrames.isKey(VideoCodec.H264, bytes()));
    }

    @Test
    void vp8KeyFramesHaveAZeroTagBitAndTheStartCode() {
        assertTrue(KeyFrames.isKey(VideoCodec.VP8, bytes(0x50, 0x42, 0x00, 0x9d, 0x01, 0x2a, 0x60, 0x01, 0xf0, 0)));
        assertFalse(KeyFrames.isKey(VideoCodec.VP8, bytes(0x31, 0x42, 0x00, 0x9d, 0x01, 0x2a, 0x60, 0x01, 0xf0, 0)));
        assertFalse(KeyFrames.isKey(VideoCodec.VP8, bytes(0x50, 0x42, 0x00, 0x11, 0x01, 0x2a, 0x60, 0x01, 0xf0, 0)));
        assertFalse(KeyFrames.isKey(VideoCodec.VP8, bytes(0x50, 0x42, 0x00, 0x9d)));
    }

    @Test
    void vp9KeyFramesByTheirUncompressedHeaderInEveryProfile() {
        assertTrue(KeyFrames.isKey(VideoCodec.VP9, bytes(0x82, 0x49)), "profile 0 key frame");
        assertFalse(KeyFrames.isKey(VideoCodec.VP9, bytes(0x86, 0x00)), "profile 0 inter frame");
        assertFalse(KeyFrames.isKey(VideoCodec.VP9, bytes(0x88, 0x00)), "show_existing_frame");
        assertTrue(KeyFrames.isKey(VideoCodec.VP9, bytes(0xa2, 0x49)), "profile 1 key frame");
        assertTrue(KeyFrames.isKey(VideoCodec.VP9, bytes(0xb0, 0x49)), "profile 3 key frame");
        assertFalse(KeyFrames.isKey(VideoCodec.VP9, bytes(0xb2, 0x49)), "profile 3 inter frame");
        assertFalse(KeyFrames.isKey(VideoCodec.VP9, bytes(0x02, 0x49)), "no frame marker");
    }

    @Test
    void codecsNotReadHereHaveNoKeyFrames() {
        assertFalse(KeyFrames.isKey(VideoCodec.MJPEG, bytes(0xff, 0xd8, 0xff, 0xe0)));
    }
}
