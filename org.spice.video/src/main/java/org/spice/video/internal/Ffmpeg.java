package org.spice.video.internal;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP8;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP9;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.spice.display.video.VideoCodec;

/**
 * FFmpeg's libraries through JavaCPP: loads them once and tells which SPICE codecs they decode and encode here.
 * Loading fails where the natives do not fit the machine (another OS or architecture, a missing system library);
 * {@link #load()} then returns the reason instead of throwing.
 */
final class Ffmpeg {
    /** FFmpeg's decoder of each codec (its own, not a wrapper of another library). */
    static final Map<VideoCodec, Integer> DECODER_IDS = Map.of(VideoCodec.H264, AV_CODEC_ID_H264,
            VideoCodec.VP8, AV_CODEC_ID_VP8, VideoCodec.VP9, AV_CODEC_ID_VP9);
    /**
     * Encoders by name, the first present wins: x264 where FFmpeg was built with it (the GPL builds), else Cisco's
     * openh264 (the build on Maven Central); libvpx for VP8 and VP9.
     */
    static final Map<VideoCodec, List<String>> ENCODER_NAMES = Map.of(VideoCodec.H264, List.of("libx264",
            "libopenh264"), VideoCodec.VP8, List.of("libvpx"), VideoCodec.VP9, List.of("libvpx-vp9"));

    private static String failure;
    private static boolean loaded;

    private Ffmpeg() {
    }

    /** Loads the natives (once); null when they work, else why not. */
    static synchronized String load() {
        if (loaded || failure != null) {
            return failure;
        }
        try {
            Loader.load(avutil.class);
            Loader.load(avcodec.class);
            Loader.load(swscale.class);
            avutil.av_log_set_level(avutil.AV_LOG_QUIET); // errors come back as return codes, not on stderr
            loaded = true;
        } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError from a static initializer...
            failure = e.getClass().getSimpleName() + ": " + e.getMessage() + " (platform "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")";
        }
        return failure;
    }

    static Set<VideoCodec> decoders() {
        Set<VideoCodec> out = EnumSet.noneOf(VideoCodec.class);
        if (load() == null) {
            DECODER_IDS.forEach((codec, id) -> {
                if (avcodec.avcodec_find_decoder(id) != null) {
                    out.add(codec);
                }
            });
        }
        return out;
    }

    static Set<VideoCodec> encoders() {
        Set<VideoCodec> out = EnumSet.noneOf(VideoCodec.class);
        if (load() == null) {
            ENCODER_NAMES.keySet().forEach(codec -> {
                if (encoderName(codec) != null) {
                    out.add(codec);
                }
            });
        }
        return out;
    }

    /** The FFmpeg encoder for a codec, or null. */
    static String encoderName(VideoCodec codec) {
        for (String name : ENCODER_NAMES.getOrDefault(codec, List.of())) {
            if (avcodec.avcodec_find_encoder_by_name(name) != null) {
                return name;
            }
        }
        return null;
    }

    /** FFmpeg's text for an error code. */
    static String error(int code) {
        try (BytePointer buf = new BytePointer(256)) {
            avutil.av_strerror(code, buf, 256);
            return buf.getString() + " (" + code + ")";
        }
    }
}
