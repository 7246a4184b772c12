package org.spice.smartcard.api;

import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;
import org.spice.protocol.client.ClientSession;

/** Client role: shares cards with the server over the session's smartcard channel. */
@ProviderType
public interface SmartcardSharing {
    /**
     * Adds a reader named {@code readerName} holding {@code card} on the session's smartcard channel, linking the
     * channel if needed. Completes once the server accepted the reader and the card's ATR.
     */
    CompletableFuture<SharedReader> share(ClientSession session, String readerName, VirtualCard card);

    /** A reader the server accepted. */
    @ProviderType
    interface SharedReader extends AutoCloseable {
        /** The reader id the server gave. */
        long readerId();

        String name();

        /** Command APDUs answered so far. */
        long apdus();

        /** Completes when the channel is gone. */
        CompletableFuture<Void> closed();

        /** Takes the card out (CARD_REMOVE); the reader stays. */
        void removeCard();

        /** Puts {@code card} into the reader (ATR). */
        void insertCard(VirtualCard card);

        /** Removes the reader (READER_REMOVE). */
        @Override
        void close();
    }
}
