package org.spice.display.internal.client;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.spice.display.internal.codec.Pixels;
import org.spice.display.video.VideoCodec;
import org.spice.display.video.VideoCodecException;
import org.spice.display.video.VideoCodecProvider;
import org.spice.display.video.VideoDecoder;
import org.spice.display.video.VideoPicture;

/**
 * The video decoders a client has: MJPEG built in, and whatever the registered {@link VideoCodecProvider}s decode
 * (the first provider to offer a codec decodes it).
 */
final class VideoDecoders {
    private final List<VideoCodecProvider> providers = new CopyOnWriteArrayList<>();

    /** MJPEG only. */
    static VideoDecoders builtIn() {
        return new VideoDecoders();
    }

    void add(VideoCodecProvider p) {
        providers.add(p);
    }

    void remove(VideoCodecProvider p) {
        providers.remove(p);
    }

    /** What decodes here now: what the client announces. */
    Set<VideoCodec> codecs() {
        Set<VideoCodec> out = EnumSet.of(VideoCodec.MJPEG);
        for (VideoCodecProvider p : providers) {
            out.addAll(p.decodes());
        }
        return out;
    }

    /**
     * A decoder for one stream, or null when no decoder here takes the codec.
     *
     * @throws VideoCodecException when the provider fails to open one
     */
    VideoDecoder open(VideoCodec codec) {
        if (codec == VideoCodec.MJPEG) {
            return new MjpegDecoder();
        }
        for (VideoCodecProvider p : providers) {
            if (p.decodes().contains(codec)) {
                return p.decoder(codec);
            }
        }
        return null;
    }

    /** MJPEG: each frame a JPEG image, decoded with the display's JPEG decoder. */
    private static final class MjpegDecoder implements VideoDecoder {
        @Override
        public VideoPicture decode(byte[] frame) {
            // a JPEG the display's decoder refuses is a protocol error, as any bad image is: the channel closes
            Pixels p = ImageReader.jpeg(frame);
            return new VideoPicture(p.width(), p.height(), p.argb());
        }

        @Override
        public void close() {
        }
    }
}
