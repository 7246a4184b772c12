package org.spice.playback.internal.client;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.spice.playback.api.ClientPlaybacks;

/** Configuration of the playback channel's client side (PID org.spice.playback.client). */
@ObjectClassDefinition(name = "SPICE playback client", description = "Where the client role plays the sound.")
public @interface PlaybackClientConfig {
    String PID = ClientPlaybacks.CONFIGURATION_PID;

    @AttributeDefinition(description = "A WAV file to write the sound to. Empty: the default audio device when"
            + " there is one, else nowhere. The system property spice.audio.out is the default.")
    String audio_out() default "";

    @AttributeDefinition(description = "Announce the Opus capability (off: the server sends raw PCM).")
    boolean opus() default true;

    @AttributeDefinition(description = "Play to the default javax.sound.sampled device when no file is set.")
    boolean device() default true;
}
