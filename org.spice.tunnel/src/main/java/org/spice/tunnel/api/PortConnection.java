package org.spice.tunnel.api;

import java.io.InputStream;
import java.io.OutputStream;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An opened port, client side. {@link #input()} yields the bytes the server sends and ends when the channel
 * closes (the server's side closing and opening again shows in {@link #serverOpened()}); a reader that falls behind
 * makes this side stop reading from the server until it catches up. {@link #output()} sends bytes, blocking while
 * the server is slower than the writer; never write it from a channel callback. Closing sends the CLOSED event.
 */
@ProviderType
public interface PortConnection extends AutoCloseable {
    String name();

    /** Whether the server side (the guest, for QEMU) has the port open, as last reported. */
    boolean serverOpened();

    InputStream input();

    OutputStream output();

    @Override
    void close();
}
