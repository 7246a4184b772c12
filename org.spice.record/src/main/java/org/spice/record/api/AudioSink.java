package org.spice.record.api;

import java.io.IOException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where the server's record channel puts the sound clients send, decoded to S16 PCM. Register one as a
 * service; the one with the highest service ranking is used (the bundle's WAV sink ranks -100).
 */
@ConsumerType
public interface AudioSink {
    /**
     * A client started sending: {@code connectionId} names its session, {@code rate} and {@code channels} are
     * those of the server's record start. Called on the channel's thread.
     */
    Recording open(long connectionId, int rate, int channels) throws IOException;

    /**
     * Whether clients should record now: the record channel sends each client START while this holds and STOP once
     * it no longer does (a gateway wants sound only while its VM records). The default always wants it.
     *
     * @since 1.2
     */
    default boolean wantsSound() {
        return true;
    }

    /**
     * Registers for changes of {@link #wantsSound()}: the listener may be called from any thread and must not
     * block. The default, whose answer never changes, keeps no listener.
     *
     * @since 1.2
     */
    default void addDemandListener(Runnable listener) {
    }

    /** @since 1.2 */
    default void removeDemandListener(Runnable listener) {
    }

    /** One client's recording; closed when its record channel closes. */
    @ConsumerType
    interface Recording extends AutoCloseable {
        /** Interleaved samples, as they arrive. */
        void write(short[] samples) throws IOException;

        @Override
        void close() throws IOException;
    }
}
