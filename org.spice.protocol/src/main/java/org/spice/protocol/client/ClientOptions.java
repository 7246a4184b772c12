package org.spice.protocol.client;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How to connect.
 *
 * @param password the ticket password (or the SASL password), or null for none; never logged
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
 * @param username the SASL user name, or null to authenticate with the ticket password only
 * @param proxy an HTTP proxy every channel's connection goes through with CONNECT ({@code http://[user:pass@]host:port}
 *     or {@code https://...}), or null for direct connections
 * @param serverSilence how long the main channel may receive nothing at all before the session counts as lost
 *     (the server stopped or the network went without a FIN): servers ping an idle main channel, spice-server
 *     every 15 s
 */
public record ClientOptions(String password, Path caFile, String hostSubject, boolean connectChannels,
        Duration timeout, String preferredCompression, String preferredVideoCodecs, String username, URI proxy,
        Duration serverSilence) {
    /** Three of spice-server's 15 s pings missed. */
    public static final Duration DEFAULT_SERVER_SILENCE = Duration.ofSeconds(45);

    public ClientOptions {
        if (serverSilence == null) {
            serverSilence = DEFAULT_SERVER_SILENCE;
        }
        if (serverSilence.isNegative() || serverSilence.isZero()) {
            throw new IllegalArgumentException("the server silence limit must be positive, not " + serverSilence);
        }
    }

    public ClientOptions(String password, Path caFile, String hostSubject, boolean connectChannels,
            Duration timeout, String preferredCompression, String preferredVideoCodecs, String username, URI proxy) {
        this(password, caFile, hostSubject, connectChannels, timeout, preferredCompression, preferredVideoCodecs,
                username, proxy, DEFAULT_SERVER_SILENCE);
    }

    public ClientOptions(String password, Path caFile, String hostSubject, boolean connectChannels,
            Duration timeout, String preferredCompression) {
        this(password, caFile, hostSubject, connectChannels, timeout, preferredCompression, null, null, null);
    }

    public ClientOptions(String password, Path caFile, String hostSubject, boolean connectChannels,
            Duration timeout, String preferredCompression, String preferredVideoCodecs) {
        this(password, caFile, hostSubject, connectChannels, timeout, preferredCompression, preferredVideoCodecs, null,
                null);
    }

    public static ClientOptions defaults() {
        return new ClientOptions(null, null, null, true, Duration.ofSeconds(10), null, null, null, null);
    }

    public ClientOptions withPassword(String p) {
        return new ClientOptions(p, caFile, hostSubject, connectChannels, timeout, preferredCompression,
                preferredVideoCodecs, username, proxy, serverSilence);
    }

    public ClientOptions withTls(Path ca, String subject) {
        return new ClientOptions(password, ca, subject, connectChannels, timeout, preferredCompression,
                preferredVideoCodecs, username, proxy, serverSilence);
    }

    public ClientOptions withConnectChannels(boolean c) {
        return new ClientOptions(password, caFile, hostSubject, c, timeout, preferredCompression,
                preferredVideoCodecs, username, proxy, serverSilence);
    }

    public ClientOptions withTimeout(Duration t) {
        return new ClientOptions(password, caFile, hostSubject, connectChannels, t, preferredCompression,
                preferredVideoCodecs, username, proxy, serverSilence);
    }

    public ClientOptions withPreferredCompression(String name) {
        return new ClientOptions(password, caFile, hostSubject, connectChannels, timeout, name,
                preferredVideoCodecs, username, proxy, serverSilence);
    }

    public ClientOptions withPreferredVideoCodecs(String names) {
        return new ClientOptions(password, caFile, hostSubject, connectChannels, timeout, preferredCompression,
                names, username, proxy, serverSilence);
    }

    public ClientOptions withUsername(String name) {
        return new ClientOptions(password, caFile, hostSubject, connectChannels, timeout, preferredCompression,
                preferredVideoCodecs, name, proxy, serverSilence);
    }

    public ClientOptions withProxy(URI p) {
        return new ClientOptions(password, caFile, hostSubject, connectChannels, timeout, preferredCompression,
                preferredVideoCodecs, username, p, serverSilence);
    }

    public ClientOptions withServerSilence(Duration silence) {
        return new ClientOptions(password, caFile, hostSubject, connectChannels, timeout, preferredCompression,
                preferredVideoCodecs, username, proxy, silence);
    }

    /**
     * Reads a proxy address as {@code SPICE_PROXY} and .vv files give it: {@code http://[USER:PASS@]HOST[:PORT]} or
     * {@code https://...}.
     *
     * @throws IllegalArgumentException for another scheme, no host, or a path or query after the address
     */
    public static URI parseProxy(String text) {
        URI u;
        try {
            u = new URI(text.strip());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not a proxy URI: " + e.getMessage());
        }
        String scheme = u.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("proxy URI must be http:// or https://, not " + scheme);
        }
        if (u.getHost() == null) {
            throw new IllegalArgumentException("proxy URI has no host");
        }
        if (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/")
                || u.getRawQuery() != null) {
            throw new IllegalArgumentException("proxy URI has a path or query; give only http://HOST:PORT");
        }
        return u;
    }

    @Override
    public String toString() {
        return "ClientOptions[password=" + (password == null ? "none" : "***") + ", caFile=" + caFile
                + ", hostSubject=" + hostSubject + ", connectChannels=" + connectChannels + ", timeout=" + timeout
                + ", preferredCompression=" + preferredCompression + ", preferredVideoCodecs=" + preferredVideoCodecs
                + ", username=" + username + ", proxy="
                + (proxy == null ? "none" : proxy.getScheme() + "://" + proxy.getHost() + ":" + proxy.getPort())
                + ", serverSilence=" + serverSilence + "]";
    }
}
