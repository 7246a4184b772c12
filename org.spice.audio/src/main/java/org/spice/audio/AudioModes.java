package org.spice.audio;

/** spice.proto {@code audio_data_mode} and {@code audio_fmt}, and the audio format every SPICE peer uses. */
public final class AudioModes {
    public static final int MODE_INVALID = 0;
    public static final int MODE_RAW = 1;
    /** Deprecated by spice-server and spice-gtk; never chosen here. */
    public static final int MODE_CELT_0_5_1 = 2;
    public static final int MODE_OPUS = 3;

    public static final int FMT_S16 = 1;

    /** spice-server's rate for both channels (SND_CODEC_OPUS_PLAYBACK_FREQ), stereo S16LE interleaved. */
    public static final int RATE = 48000;
    public static final int CHANNELS = 2;
    /** Samples per channel in one frame: spice-server's SND_CODEC_OPUS_FRAME_SIZE (10 ms at 48 kHz). */
    public static final int FRAME_SAMPLES = 480;

    private AudioModes() {
    }

    public static String name(int mode) {
        return switch (mode) {
            case MODE_INVALID -> "invalid";
            case MODE_RAW -> "raw";
            case MODE_CELT_0_5_1 -> "celt";
            case MODE_OPUS -> "opus";
            default -> "unknown(" + mode + ")";
        };
    }
}
