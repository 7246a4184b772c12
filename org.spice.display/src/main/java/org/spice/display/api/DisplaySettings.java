package org.spice.display.api;

import java.util.List;

/**
 * The display's server settings (configuration PID {@value #PID}): the values each one takes and its default,
 * defined here once for the command line ({@code ./spice server --image-compression ...}), the configuration
 * files and the display's own metatype, which a test holds to these lists.
 */
public final class DisplaySettings {
    public static final String PID = "org.spice.display";

    /** What the display shows: demo, image:PATH, screen[:fps=N] or service:NAME. */
    public static final String SOURCE_DEFAULT = "demo";

    /** spice-server's image-compression names; all lossless. */
    public static final List<String> IMAGE_COMPRESSIONS = List.of("off", "quic", "lz", "glz", "auto_lz", "auto_glz");
    public static final String IMAGE_COMPRESSION_DEFAULT = "auto_glz";

    /** spice-server's jpeg-wan-compression names. */
    public static final List<String> JPEG_COMPRESSIONS = List.of("never", "auto", "always");
    public static final String JPEG_COMPRESSION_DEFAULT = "never";

    /** spice-server's streaming-video names. */
    public static final List<String> STREAMING_VIDEO = List.of("off", "all", "filter");
    public static final String STREAMING_VIDEO_DEFAULT = "filter";

    /** spice-server's video-codecs: a comma-separated list, most wanted first. */
    public static final String VIDEO_CODECS_DEFAULT = "mjpeg";

    private DisplaySettings() {
    }
}
