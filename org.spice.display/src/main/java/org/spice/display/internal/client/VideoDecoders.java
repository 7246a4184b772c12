package org.spice.display.internal.client;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.spice.display.internal.codec.ImageLimits;
import org.spice.display.internal.codec.Pixels;
import org.spice.display.video.JpegDecoderService;
import org.spice.display.video.Lz4DecoderService;
import org.spice.display.video.VideoCodec;
import org.spice.display.video.VideoCodecException;
import org.spice.display.video.VideoCodecProvider;
import org.spice.display.video.VideoDecoder;
import org.spice.display.video.VideoPicture;
import org.spice.protocol.SpiceProtocolException;

/**
 * The video decoders a client has: MJPEG built in, and whatever the registered {@link VideoCodecProvider}s decode
 * (the first provider to offer a codec decodes it); and its JPEG decoder, for MJPEG frames and JPEG images: the
 * first registered {@link JpegDecoderService} that runs here, else the display's own; and likewise its decoder of
 * the blocks of 32-bit LZ4 images, a registered {@link Lz4DecoderService}.
 */
final class VideoDecoders {
    private final List<VideoCodecProvider> providers = new CopyOnWriteArrayList<>();
    private final List<JpegDecoderService> jpegDecoders = new CopyOnWriteArrayList<>();
    private final List<Lz4DecoderService> lz4Decoders = new CopyOnWriteArrayList<>();
    /** The first registered LZ4 decoder that runs here, or none (false: the display decodes). */
    private final Lz4DecoderService lz4Blocks = (data, offset, length, pixels) -> {
        for (Lz4DecoderService d : lz4Decoders) {
            if (d.decode(data, offset, length, pixels)) {
                return true;
            }
        }
        return false;
    };

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

    void addJpeg(JpegDecoderService d) {
        jpegDecoders.add(d);
    }

    void removeJpeg(JpegDecoderService d) {
        jpegDecoders.remove(d);
    }

    void addLz4(Lz4DecoderService d) {
        lz4Decoders.add(d);
    }

    void removeLz4(Lz4DecoderService d) {
        lz4Decoders.remove(d);
    }

    /** Decodes the blocks of 32-bit LZ4 images with the first registered {@link Lz4DecoderService} that runs here. */
    Lz4DecoderService lz4Blocks() {
        return lz4Blocks;
    }

    /**
     * Decodes a JPEG image or MJPEG frame.
     *
     * @throws SpiceProtocolException when it does not decode or its size is outside the image limits
     */
    Pixels jpeg(byte[] data) {
        return jpeg(data, null);
    }

    /**
     * As {@link #jpeg(byte[])}, into {@code into} where the decoder can (see {@link VideoDecoder#decode(byte[],
     * int[])}).
     */
    Pixels jpeg(byte[] data, int[] into) {
        for (JpegDecoderService d : jpegDecoders) {
            try {
                VideoPicture p = d.decode(data, 0, data.length, ImageLimits.MAX_SIDE, ImageLimits.MAX_PIXELS, into);
                if (p != null) {
                    return new Pixels(p.width(), p.height(), p.argb());
                }
            } catch (VideoCodecException e) {
                throw new SpiceProtocolException("JPEG image does not decode: " + e.getMessage(), e);
            }
        }
        return ImageReader.jpeg(data);
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
            return new MjpegDecoder(this);
        }
        for (VideoCodecProvider p : providers) {
            if (p.decodes().contains(codec)) {
                return p.decoder(codec);
            }
        }
        return null;
    }

    /** MJPEG: each frame a JPEG image, decoded with the client's JPEG decoder. */
    private static final class MjpegDecoder implements VideoDecoder {
        private final VideoDecoders decoders;

        MjpegDecoder(VideoDecoders decoders) {
            this.decoders = decoders;
        }

        @Override
        public VideoPicture decode(byte[] frame) {
            return decode(frame, null);
        }

        @Override
        public VideoPicture decode(byte[] frame, int[] into) {
            // a JPEG the decoder refuses is a protocol error, as any bad image is: the channel closes
            Pixels p = decoders.jpeg(frame, into);
            return new VideoPicture(p.width(), p.height(), p.argb());
        }

        @Override
        public void close() {
        }
    }
}
