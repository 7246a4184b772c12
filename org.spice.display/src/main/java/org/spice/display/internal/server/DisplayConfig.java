package org.spice.display.internal.server;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the display channel's server side (PID org.spice.display). */
@ObjectClassDefinition(name = "SPICE display", description = "What the server's display shows and how it is sent.")
public @interface DisplayConfig {
    @AttributeDefinition(description = "The picture: 'demo' (an animated desktop) or 'image:PATH' (a still PNG or"
            + " JPEG).")
    String source() default "demo";

    @AttributeDefinition(description = "Image compression as spice-server's image-compression: 'off'"
            + " (uncompressed bitmaps), 'quic', 'lz' or 'auto_lz' (QUIC for photo-like images, LZ for the others).")
    String image_compression() default "off";

    @AttributeDefinition(description = "Video streaming as spice-server's streaming-video: 'off', 'all' (any"
            + " region redrawn repeatedly) or 'filter' (only large regions redrawn often).")
    String streaming_video() default "filter";
}
