package org.spice.smartcard.api;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Server role: a reader a client added on its smartcard channel, registered as a service (property
 * {@value #READER_NAME}) until the client removes it or the channel closes.
 */
@ProviderType
public interface RemoteSmartcard {
    String READER_NAME = "spice.smartcard.reader";

    /** The connection id of the client session the reader belongs to. */
    long connectionId();

    /** The reader id our server gave it. */
    long readerId();

    String readerName();

    /** The ATR of the card in the reader; empty when there is none. */
    Optional<byte[]> atr();

    /**
     * Sends a command APDU to the client's card. APDUs are queued and sent one at a time; the stage completes
     * with the response (data and status word), or fails when there is no card, the client reports an error,
     * or the channel closes. Stages complete on the channel's thread.
     */
    CompletionStage<byte[]> transmit(byte[] command);

    void addListener(Listener listener);

    void removeListener(Listener listener);

    /** Card and reader events, called on the channel's thread. */
    @ConsumerType
    interface Listener {
        default void cardInserted(byte[] atr) {
        }

        default void cardRemoved() {
        }

        default void readerRemoved() {
        }
    }
}
