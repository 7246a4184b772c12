package org.spice.display.internal.server;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the display channel's server side (PID org.spice.display). */
@ObjectClassDefinition(name = "SPICE display", description = "What the server's display shows and how it is sent.")
public @interface DisplayConfig {
    @AttributeDefinition(description = "The picture: 'demo' (an animated desktop), 'image:PATH' (a still PNG or"
            + " JPEG) or 'screen' / 'screen:fps=N' (this host's screen, captured N times a second, default 10; needs"
            + " a display).")
    String source() default "demo";

    @AttributeDefinition(description = "Image compression as spice-server names it; 'off' (uncompressed"
            + " bitmaps) is what this server sends now.")
    String image_compression() default "off";

    @AttributeDefinition(description = "Video streaming as spice-server's streaming-video: 'off', 'all' (any"
            + " region redrawn repeatedly) or 'filter' (only large regions redrawn often).")
    String streaming_video() default "filter";
}
