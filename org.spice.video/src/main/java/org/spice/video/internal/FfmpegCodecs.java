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
 * H.264, VP8 and VP9 for the display channel through FFmpeg. The natives load at activation, or, with the framework
 * property {@value #ON_DEMAND} true (the {@code spice} script sets it for one-shot clients), when first needed: for
 * encoders, or for a client's first video stream. Until then a client announces what this bundle's FFmpeg build
 * decodes where its natives are packaged for the platform, so that a screenshot that meets no stream never loads them
 * (a fifth of a second and 7 MiB); a server loads them at once, as its first stream should not wait for them. Where
 * the natives do not load, one warning says why and the provider offers no codec.
 */
@Component
public final class FfmpegCodecs implements VideoCodecProvider {
    /** The framework property that defers loading the natives to their first use. */
    static final String ON_DEMAND = "org.spice.video.ondemand";
    private static final System.Logger LOG = System.getLogger("org.spice.video");
    /** The decoders of the FFmpeg build this bundle embeds (FfmpegCodecsTest checks them against its natives). */
    static final Set<VideoCodec> BUILT_WITH = Set.of(VideoCodec.H264, VideoCodec.VP8, VideoCodec.VP9);
    /** The directory this bundle embeds FFmpeg's natives in (JavaCPP's platform name): the only platform there is. */
    private static final String PACKAGED = "linux-x86_64";
    /** Null until the natives were loaded (or failed to). */
    private volatile Set<VideoCodec> decodes;
    private volatile Set<VideoCodec> encodes;

    @Activate
    public FfmpegCodecs(org.osgi.framework.BundleContext context) {
        this(Boolean.parseBoolean(context.getProperty(ON_DEMAND)));
    }

    /** Outside a framework: the natives load now. */
    public FfmpegCodecs() {
        this(false);
    }

    /** Loads the natives now unless {@code onDemand}. */
    FfmpegCodecs(boolean onDemand) {
        if (!onDemand) {
            load();
        }
    }

    /** Loads the natives once and notes what they decode and encode. */
    private synchronized void load() {
        if (encodes != null) {
            return;
        }
        String failure = Ffmpeg.load();
        if (failure != null) {
            LOG.log(Level.WARNING, "FFmpeg's natives did not load, so no H.264, VP8 or VP9 video here: " + failure);
            decodes = Set.of();
            encodes = Set.of();
            return;
        }
        decodes = Set.copyOf(Ffmpeg.decoders());
        encodes = Set.copyOf(Ffmpeg.encoders());
        LOG.log(Level.INFO, "FFmpeg " + org.bytedeco.ffmpeg.global.avutil.av_version_info().getString()
                + " decodes " + decodes + ", encodes " + encodes);
    }

    /** Whether this bundle carries FFmpeg's natives for this machine's OS and architecture. */
    static boolean packagedHere() {
        String arch = System.getProperty("os.arch", "");
        return System.getProperty("os.name", "").startsWith("Linux") && (arch.equals("amd64")
                || arch.equals("x86_64")) && FfmpegCodecs.class.getResource("/org/bytedeco/ffmpeg/" + PACKAGED
                + "/libjniavcodec.so") != null;
    }

    @Override
    public Set<VideoCodec> decodes() {
        Set<VideoCodec> known = decodes;
        if (known != null) {
            return known;
        }
        return packagedHere() ? BUILT_WITH : Set.of();
    }

    @Override
    public Set<VideoCodec> encodes() {
        load();
        return encodes;
    }

    @Override
    public VideoDecoder decoder(VideoCodec codec) {
        load();
        if (!decodes.contains(codec)) {
            throw new VideoCodecException("no " + codec + " decoder here");
        }
        return new FfmpegDecoder(codec);
    }

    @Override
    public VideoEncoder encoder(VideoCodec codec, int width, int height, int fps, long bitsPerSecond) {
        load();
        if (!encodes.contains(codec)) {
            throw new VideoCodecException("no " + codec + " encoder here");
        }
        return new FfmpegEncoder(codec, width, height, fps, bitsPerSecond);
    }
}
