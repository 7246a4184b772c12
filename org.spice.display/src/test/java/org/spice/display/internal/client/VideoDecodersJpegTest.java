package org.spice.display.internal.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.spice.display.internal.codec.ImageLimits;
import org.spice.display.internal.codec.JpegEncoder;
import org.spice.display.video.JpegDecoderService;
import org.spice.display.video.VideoCodec;
import org.spice.display.video.VideoCodecException;
import org.spice.display.video.VideoPicture;
import org.spice.protocol.SpiceProtocolException;

/** JPEG images and MJPEG frames go to a registered JPEG decoder, and to the display's own without one. */
class VideoDecodersJpegTest {
    private static final int[] GREEN = {0xff00ff00, 0xff00ff00};

    @Test
    void aRegisteredJpegDecoderDecodesImagesAndMjpegFramesWithTheDisplaysLimits() {
        VideoDecoders decoders = new VideoDecoders();
        byte[] jpeg = JpegEncoder.encode(2, 1, new int[] {0xff102030, 0xff102030}, 0, 2, 90);
        int builtIn = decoders.jpeg(jpeg).argb()[0];
        long[] limits = new long[2];
        JpegDecoderService green = (data, offset, length, maxSide, maxPixels) -> {
            limits[0] = maxSide;
            limits[1] = maxPixels;
            return new VideoPicture(2, 1, GREEN.clone());
        };
        decoders.addJpeg(green);
        assertArrayEquals(GREEN, decoders.jpeg(jpeg).argb());
        assertEquals(ImageLimits.MAX_SIDE, limits[0]);
        assertEquals(ImageLimits.MAX_PIXELS, limits[1]);
        assertArrayEquals(GREEN, decoders.open(VideoCodec.MJPEG).decode(jpeg).argb());
        decoders.removeJpeg(green);
        assertEquals(builtIn, decoders.jpeg(jpeg).argb()[0]);
        // a decoder whose library did not load answers null: the display's own decodes
        decoders.addJpeg((data, offset, length, maxSide, maxPixels) -> null);
        assertEquals(builtIn, decoders.jpeg(jpeg).argb()[0]);
        assertTrue(Math.abs((builtIn >> 16 & 0xff) - 0x10) <= 4, Integer.toHexString(builtIn));
    }

    /** The array the stream player offers an MJPEG frame reaches the registered decoder, whose picture it holds. */
    @Test
    void anMjpegFrameReachesTheRegisteredDecoderWithTheArrayOffered() {
        VideoDecoders decoders = new VideoDecoders();
        int[][] offered = new int[1][];
        decoders.addJpeg(new JpegDecoderService() {
            @Override
            public VideoPicture decode(byte[] data, int offset, int length, int maxSide, long maxPixels) {
                throw new AssertionError("the offered array did not reach the decoder");
            }

            @Override
            public VideoPicture decode(byte[] data, int offset, int length, int maxSide, long maxPixels, int[] into) {
                offered[0] = into;
                return new VideoPicture(2, 1, into);
            }
        });
        int[] into = new int[2];
        VideoPicture p = decoders.open(VideoCodec.MJPEG).decode(new byte[] {1}, into);
        assertSame(into, offered[0]);
        assertSame(into, p.argb());
    }

    @Test
    void aJpegTheRegisteredDecoderRefusesIsAProtocolError() {
        VideoDecoders decoders = new VideoDecoders();
        decoders.addJpeg((data, offset, length, maxSide, maxPixels) -> {
            throw new VideoCodecException("not a JPEG");
        });
        SpiceProtocolException e = assertThrows(SpiceProtocolException.class, () -> decoders.jpeg(new byte[] {1}));
        assertTrue(e.getMessage().contains("not a JPEG"), e.getMessage());
    }
}
