package org.spice.display.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spice.display.internal.wire.DisplayMessages;

/**
 * Video: the client decodes MJPEG only (there is no maintained pure-JVM VP8 or H.264 decoder), so it announces
 * MULTI_CODEC with CODEC_MJPEG and none of the other codecs, and a stream in another codec is listed as not rendered.
 */
class VideoCodecsTest {
    @Test
    void onlyMjpegIsAnnounced() {
        var caps = DisplayClientChannel.CAPABILITIES;
        assertTrue(caps.has(DisplayMessages.CAP_MULTI_CODEC));
        assertTrue(caps.has(DisplayMessages.CAP_CODEC_MJPEG));
        assertFalse(caps.has(DisplayMessages.CAP_CODEC_VP8), "VP8 announced");
        assertFalse(caps.has(DisplayMessages.CAP_CODEC_H264), "H.264 announced");
        assertFalse(caps.has(DisplayMessages.CAP_CODEC_VP9), "VP9 announced");
        assertFalse(caps.has(DisplayMessages.CAP_CODEC_H265), "H.265 announced");
        assertTrue(caps.has(DisplayMessages.CAP_LZ4_COMPRESSION));
        // Composite draws are rendered (CompositeVsPixmanTest); alpha-only surfaces are not yet.
        assertTrue(caps.has(DisplayMessages.CAP_COMPOSITE));
        assertFalse(caps.has(DisplayMessages.CAP_A8_SURFACE), "A8_SURFACE announced");
    }

    @Test
    void aStreamInAnotherCodecIsListedAndItsFramesSkipped() {
        try (TestDisplay d = new TestDisplay(4, 4)) {
            // stream_create: surface 0, id 7, flags 0, codec 2 (VP8), stamp, sizes, dest, no clip
            d.feed(DisplayMessages.STREAM_CREATE, new Msg().u32(0).u32(7).u8(0).u8(2).u32(0).u32(0).u32(4).u32(4)
                    .u32(4).u32(4).area(0, 0, 4, 4).u8(0));
            d.feed(DisplayMessages.STREAM_DATA, new Msg().u32(7).u32(0).u32(3).u8(1).u8(2).u8(3));
            assertEquals(List.of("video codec 2 (only MJPEG is decoded)"), d.display.unsupported());
            assertEquals(0, d.rgb(0, 0));
        }
    }
}
