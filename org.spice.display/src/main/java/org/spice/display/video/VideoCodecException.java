package org.spice.display.video;

/** A frame a codec cannot decode or encode, or a codec that cannot be opened; the message says why. */
public class VideoCodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public VideoCodecException(String message) {
        super(message);
    }

    public VideoCodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
