package org.spice.display.video;

import org.osgi.annotation.versioning.ConsumerType;

import java.util.Set;

/**
 * A service that decodes and encodes video streams in some {@link VideoCodec}s: the display bundle announces the
 * codecs providers decode (besides its built-in MJPEG) to servers, and its server streams in the codecs they
 * encode. A provider whose native library did not load registers no service, or returns empty sets: a codec is
 * never announced that does not work here.
 */
@ConsumerType
public interface VideoCodecProvider {
    /** The codecs {@link #decoder} opens, on this machine. */
    Set<VideoCodec> decodes();

    /** The codecs {@link #encoder} opens, on this machine. */
    Set<VideoCodec> encodes();

    /**
     * A decoder for one stream.
     *
     * @throws VideoCodecException when it cannot be opened
     */
    VideoDecoder decoder(VideoCodec codec);

    /**
     * An encoder for one stream of {@code width} x {@code height} frames, {@code fps} a second, aiming at
     * {@code bitsPerSecond}.
     *
     * @throws VideoCodecException when it cannot be opened
     */
    VideoEncoder encoder(VideoCodec codec, int width, int height, int fps, long bitsPerSecond);
}
