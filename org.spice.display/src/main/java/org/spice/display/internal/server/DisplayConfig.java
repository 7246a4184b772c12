package org.spice.display.internal.server;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.spice.display.api.DisplaySettings;

/**
 * Configuration of the display channel's server side (PID org.spice.display). The values and defaults are
 * {@link DisplaySettings}'; the options listed here are held to it by DisplaySettingsTest.
 */
@ObjectClassDefinition(name = "SPICE display", description = "What the server's display shows and how it is sent.")
public @interface DisplayConfig {
    String PID = DisplaySettings.PID;

    @AttributeDefinition(description = "The picture: 'demo' (an animated desktop), 'image:PATH' (a still PNG or"
            + " JPEG) or 'screen' / 'screen:fps=N' (this host's screen, captured N times a second, default 10; needs"
            + " a display) or 'service:NAME' (the DisplaySource service another bundle registers with"
            + " spice.display.source=NAME, such as the gateway's picture of a VM; black while there is none). Read by"
            + " the desktop sources bundle (org.spice.desktop.sources), which makes that source; the display shows"
            + " the highest-ranked source there is.")
    String source() default DisplaySettings.SOURCE_DEFAULT;

    @AttributeDefinition(description = "Heads (monitors) of the demo and screen sources, 1..16: the picture holds"
            + " them side by side and the display channel's MONITORS_CONFIG lists them, so remote-viewer shows one"
            + " window per head. Read by the desktop sources bundle.", min = "1", max = "16")
    int monitors() default 1;

    @AttributeDefinition(description = "Image compression as spice-server's image-compression: 'off'"
            + " (uncompressed bitmaps), 'quic', 'lz', 'glz' (LZ with a dictionary across a client's images),"
            + " 'auto_lz' or 'auto_glz' (QUIC for photo-like images, LZ or GLZ for the others; spice-server's default)."
            + " All are lossless.",
            options = {
                @Option(value = "off"), @Option(value = "quic"), @Option(value = "lz"), @Option(value = "glz"),
                @Option(value = "auto_lz"), @Option(value = "auto_glz")
            })
    String image_compression() default DisplaySettings.IMAGE_COMPRESSION_DEFAULT;

    @AttributeDefinition(description = "JPEG (lossy) for photo-like images, as spice-server's jpeg-wan-compression:"
            + " 'never' (every image lossless), 'auto' (for clients outside this host and the private networks) or"
            + " 'always'. JPEG takes the place of QUIC: with image_compression quic, auto_lz or auto_glz.",
            options = { @Option(value = "never"), @Option(value = "auto"), @Option(value = "always") })
    String jpeg_compression() default DisplaySettings.JPEG_COMPRESSION_DEFAULT;

    @AttributeDefinition(description = "Video streaming as spice-server's streaming-video: 'off', 'all' (any"
            + " region redrawn repeatedly) or 'filter' (only large regions redrawn often).",
            options = { @Option(value = "off"), @Option(value = "all"), @Option(value = "filter") })
    String streaming_video() default DisplaySettings.STREAMING_VIDEO_DEFAULT;

    @AttributeDefinition(description = "The video codecs streams may use, most wanted first, as spice-server's"
            + " video-codecs (comma-separated: mjpeg, vp8, h264, vp9). A stream uses the first one the client"
            + " announces and this server encodes; a client's PREFERRED_VIDEO_CODEC_TYPE reorders the list. H.264,"
            + " VP8 and VP9 need the org.spice.video bundle.")
    String video_codecs() default DisplaySettings.VIDEO_CODECS_DEFAULT;
}
