package org.spice.tunnel.api;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * An opened port, client side. {@link #input()} yields the bytes the server sends and ends when the channel
 * closes or the server reports the port closed; {@link #output()} sends bytes. Closing sends the CLOSED event.
 */
public interface PortConnection extends AutoCloseable {
    String name();

    /** Whether the server side (the guest, for QEMU) has the port open, as last reported. */
    boolean serverOpened();

    InputStream input();

    OutputStream output();

    @Override
    void close();
}
