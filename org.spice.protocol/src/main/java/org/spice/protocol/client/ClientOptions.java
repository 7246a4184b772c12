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
 * @param preferredVideoCodecs the video codecs display channels ask the server to stream in, most wanted first,
 *     comma-separated as spice-gtk names them (h264,vp8,mjpeg), or null to leave the choice to the server
 */
public record ClientOptions(String password, Path caFile, String hostSubject, boolean connectChannels,
        Duration timeout, String preferredCompression, String preferredVideoCodecs) {

    public ClientOptions(String password, Path caFile, String hostSubject, boolean connectChannels,
            Duration timeout, String preferredCompression) {
        this(password, caFile, hostSubject, connectChannels, timeout, preferredCompression, null);
    }

    public static ClientOptions defaults() {
        return new ClientOptions(null, null, null, true, Duration.ofSeconds(10), null, null);
    }

    public ClientOptions withPassword(String p) {
        return new ClientOptions(p, caFile, hostSubject, connectChannels, timeout, preferredCompression,
                preferredVideoCodecs);
    }

    public ClientOptions withTls(Path ca, String subject) {
        return new ClientOptions(password, ca, subject, connectChannels, timeout, preferredCompression,
                preferredVideoCodecs);
    }

    public ClientOptions withConnectChannels(boolean c) {
        return new ClientOptions(password, caFile, hostSubject, c, timeout, preferredCompression,
                preferredVideoCodecs);
    }

    public ClientOptions withTimeout(Duration t) {
        return new ClientOptions(password, caFile, hostSubject, connectChannels, t, preferredCompression,
                preferredVideoCodecs);
    }

    public ClientOptions withPreferredCompression(String name) {
        return new ClientOptions(password, caFile, hostSubject, connectChannels, timeout, name,
                preferredVideoCodecs);
    }

    public ClientOptions withPreferredVideoCodecs(String names) {
        return new ClientOptions(password, caFile, hostSubject, connectChannels, timeout, preferredCompression,
                names);
    }

    @Override
    public String toString() {
        return "ClientOptions[password=" + (password == null ? "none" : "***") + ", caFile=" + caFile
                + ", hostSubject=" + hostSubject + ", connectChannels=" + connectChannels + ", timeout=" + timeout
                + ", preferredCompression=" + preferredCompression + ", preferredVideoCodecs=" + preferredVideoCodecs
                + "]";
    }
}
