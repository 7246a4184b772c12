package org.spice.playback.internal.server;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the playback channel's server side (PID org.spice.playback). */
@ObjectClassDefinition(name = "SPICE playback", description = "How the server's playback channel sends audio.")
public @interface PlaybackConfig {
    String PID = "org.spice.playback";

    @AttributeDefinition(description = "As spice-server's playback-compression: Opus to clients that announce it,"
            + " raw PCM otherwise. Off sends raw PCM to everyone.")
    boolean compression() default true;

    @AttributeDefinition(description = "Volume sent to clients with the volume capability, 0..65535, both channels.")
    int volume() default 65535;

    @AttributeDefinition(description = "Mute state sent to clients with the volume capability.")
    boolean mute() default false;

    @AttributeDefinition(description = "Playback latency in ms sent to clients with the latency capability.")
    int latency_ms() default 100;
}
