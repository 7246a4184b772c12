package org.spice.protocol;

/**
 * Bytes from the network that break the protocol: a wrong magic, a length that lies, a truncated or oversized
 * message, an unknown message type. The engine closes only the channel that received them and logs the message.
 */
public class SpiceProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SpiceProtocolException(String message) {
        super(message);
    }

    public SpiceProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
