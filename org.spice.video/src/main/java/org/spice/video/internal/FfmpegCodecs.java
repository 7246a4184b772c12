package org.spice.video.internal;

import java.lang.System.Logger.Level;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.spice.display.video.VideoCodec;
import org.spice.display.video.VideoCodecException;
import org.spice.display.video.VideoCodecProvider;
import org.spice.display.video.VideoDecoder;
import org.spice.display.video.VideoEncoder;

/**
 * H.264, VP8 and VP9 for the display channel through FFmpeg. Where FFmpeg's natives do not load, one warning says
 * why and the provider offers no codec, so the display announces MJPEG only.
 */
@Component
public final class FfmpegCodecs implements VideoCodecProvider {
    private static final System.Logger LOG = System.getLogger("org.spice.video");
    private Set<VideoCodec> decodes = Set.of();
    private Set<VideoCodec> encodes = Set.of();

    @Activate
    public FfmpegCodecs() {
        String failure = Ffmpeg.load();
        if (failure != null) {
            LOG.log(Level.WARNING, "FFmpeg's natives did not load, so no H.264, VP8 or VP9 video here: " + failure);
            return;
        }
        decodes = Set.copyOf(Ffmpeg.decoders());
        encodes = Set.copyOf(Ffmpeg.encoders());
        LOG.log(Level.INFO, "FFmpeg " + org.bytedeco.ffmpeg.global.avutil.av_version_info().getString()
                + " decodes " + decodes + ", encodes " + encodes);
    }

    @Override
    public Set<VideoCodec> decodes() {
        return decodes;
    }

    @Override
    public Set<VideoCodec> encodes() {
        return encodes;
    }

    @Override
    public VideoDecoder decoder(VideoCodec codec) {
        if (!decodes.contains(codec)) {
            throw new VideoCodecException("no " + codec + " decoder here");
        }
        return new FfmpegDecoder(codec);
    }

    @Override
    public VideoEncoder encoder(VideoCodec codec, int width, int height, int fps, long bitsPerSecond) {
        if (!encodes.contains(codec)) {
            throw new VideoCodecException("no " + codec + " encoder here");
        }
        return new FfmpegEncoder(codec, width, height, fps, bitsPerSecond);
    }
}
