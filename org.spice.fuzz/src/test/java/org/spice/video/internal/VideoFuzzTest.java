package org.spice.video.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Set;
import org.spice.display.video.VideoCodec;
import org.spice.display.video.VideoCodecException;
import org.spice.display.video.VideoDecoder;
import org.spice.display.video.VideoPicture;

/**
 * The FFmpeg decoder wrapper (FfmpegDecoder behind FfmpegCodecs) on the frames of one stream, as the display channel
 * hands them over: H.264, VP8 or VP9 bytes from the network go straight into native code, so a crash here would take
 * the whole runtime down. Input: [codec u8: 0 H.264, 1 VP8, 2 VP9] then frames [length u16 LE][bytes] (the last
 * one takes what is left when its length lies). Only VideoCodecException may escape; a picture is whole and within
 * the wrapper's limits. A fuzzing run that crashes the JVM (a native fault in FFmpeg) is a finding too.
 */
class VideoFuzzTest {
    private static final VideoCodec[] CODECS = {VideoCodec.H264, VideoCodec.VP8, VideoCodec.VP9};
    private static final FfmpegCodecs FFMPEG = new FfmpegCodecs();

    @FuzzTest(maxDuration = "10m")
    void stream(byte[] input) {
        if (input.length == 0) {
            return;
        }
        VideoCodec codec = CODECS[(input[0] & 0xff) % CODECS.length];
        Set<VideoCodec> decodes = FFMPEG.decodes();
        if (!decodes.contains(codec)) {
            throw new AssertionError("FFmpeg's natives do not decode " + codec + " here (decodes " + decodes + ")");
        }
        try (VideoDecoder decoder = FFMPEG.decoder(codec)) {
            int at = 1;
            while (at < input.length) {
                int length = at + 2 <= input.length ? (input[at] & 0xff) | (input[at + 1] & 0xff) << 8 : 0;
                at += 2;
                int end = Math.min(input.length, at + length);
                byte[] frame = java.util.Arrays.copyOfRange(input, Math.min(at, end), end);
                at = end;
                try {
                    VideoPicture p = decoder.decode(frame);
                    if (p != null && (p.width() > FfmpegDecoder.MAX_SIDE || p.height() > FfmpegDecoder.MAX_SIDE)) {
                        throw new AssertionError("a " + p.width() + "x" + p.height() + " picture passed the limits");
                    }
                } catch (VideoCodecException refused) {
                    // The display ends the stream here; the fuzzer goes on with the next frame to reach the
                    // decoder's state after a refused frame, which a careless display might also do.
                }
            }
        }
    }
}
