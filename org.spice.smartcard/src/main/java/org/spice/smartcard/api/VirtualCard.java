package org.spice.smartcard.api;

import java.io.IOException;
import org.osgi.annotation.versioning.ConsumerType;

/** A card the client offers to the server: its answer to reset and an APDU exchange. */
@ConsumerType
public interface VirtualCard {
    /** The answer to reset sent when the card is inserted. */
    byte[] atr();

    /**
     * Answers one command APDU with its response (data and status word). It may block (a real card over PC/SC);
     * it is called on a thread of its own reader, one APDU at a time.
     */
    byte[] transmit(byte[] command) throws IOException;

    /** For logs. */
    String describe();
}
