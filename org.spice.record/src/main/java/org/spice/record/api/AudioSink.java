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

    /** One client's recording; closed when its record channel closes. */
    @ConsumerType
    interface Recording extends AutoCloseable {
        /** Interleaved samples, as they arrive. */
        void write(short[] samples) throws IOException;

        @Override
        void close() throws IOException;
    }
}
