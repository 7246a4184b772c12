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
 */
public record ClientOptions(String password, Path caFile, String hostSubject, boolean connectChannels,
        Duration timeout) {

    public static ClientOptions defaults() {
        return new ClientOptions(null, null, null, true, Duration.ofSeconds(10));
    }

    public ClientOptions withPassword(String p) {
        return new ClientOptions(p, caFile, hostSubject, connectChannels, timeout);
    }

    public ClientOptions withTls(Path ca, String subject) {
        return new ClientOptions(password, ca, subject, connectChannels, timeout);
    }

    public ClientOptions withConnectChannels(boolean c) {
        return new ClientOptions(password, caFile, hostSubject, c, timeout);
    }

    public ClientOptions withTimeout(Duration t) {
        return new ClientOptions(password, caFile, hostSubject, connectChannels, t);
    }

    @Override
    public String toString() {
        return "ClientOptions[password=" + (password == null ? "none" : "***") + ", caFile=" + caFile
                + ", hostSubject=" + hostSubject + ", connectChannels=" + connectChannels + ", timeout=" + timeout
                + "]";
    }
}
