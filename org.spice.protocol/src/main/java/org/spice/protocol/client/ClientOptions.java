package org.spice.protocol.client;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to connect.
 *
 * @param password the ticket password, or null for none; never logged
 * @param caFile PEM file with the CA that signed the server's certificate, or null for the JDK's trust store
 * @param hostSubject the server certificate's expected subject ("C=..,O=..,CN=..") instead of a host name check,
 *     or null
 * @param connectChannels whether to link the listed channels that a registered factory handles
 * @param timeout for connecting and linking each channel
 * @param preferredCompression the image compression display channels ask the server to prefer, spice-gtk's
 *     preferred-compression session property (off, auto-glz, auto-lz, quic, glz, lz, lz4), or null to leave the
 *     choice to the server
 */
public record ClientOptions(String password, Path caFile, String hostSubject, boolean connectChannels,
        Duration timeout, String preferredCompression) {

    public static ClientOptions defaults() {
        return new ClientOptions(null, null, null, true, Duration.ofSeconds(10), null);
    }

    public ClientOptions withPassword(String p) {
        return new ClientOptions(p, caFile, hostSubject, connectChannels, timeout, preferredCompression);
    }

    public ClientOptions withTls(Path ca, String subject) {
        return new ClientOptions(password, ca, subject, connectChannels, timeout, preferredCompression);
    }

    public ClientOptions withConnectChannels(boolean c) {
        return new ClientOptions(password, caFile, hostSubject, c, timeout, preferredCompression);
    }

    public ClientOptions withTimeout(Duration t) {
        return new ClientOptions(password, caFile, hostSubject, connectChannels, t, preferredCompression);
    }

    public ClientOptions withPreferredCompression(String name) {
        return new ClientOptions(password, caFile, hostSubject, connectChannels, timeout, name);
    }

    @Override
    public String toString() {
        return "ClientOptions[password=" + (password == null ? "none" : "***") + ", caFile=" + caFile
                + ", hostSubject=" + hostSubject + ", connectChannels=" + connectChannels + ", timeout=" + timeout
                + ", preferredCompression=" + preferredCompression + "]";
    }
}
