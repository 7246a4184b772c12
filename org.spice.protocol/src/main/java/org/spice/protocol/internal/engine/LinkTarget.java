package org.spice.protocol.internal.engine;

import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.wire.MainMessages.DstInfo;

/**
 * Where a session's channels link: a URI and the options to link there with. A live migration makes a new one
 * from the destination the server names, checked before anything is connected: the server's word decides only the
 * address, never how safe the connection is. A session that went to its server over TLS only goes to the
 * destination over TLS only; the password (the destination shares the source's ticket, as QEMU's migration requires)
 * and the CA stay; a certificate subject the server names replaces the one the user gave, as spice-gtk does.
 *
 * @param uri the server, without a password (the options carry it)
 * @param options the session's options, with the destination's certificate subject after a migration
 */
record LinkTarget(SpiceUri uri, ClientOptions options) {
    /** A DNS name has at most 253 characters; a bracketless IPv6 literal with a zone fits too. */
    static final int MAX_HOST = 253;
    /** Far beyond any real certificate subject, far below what a lying server could make us parse. */
    static final int MAX_SUBJECT = 512;
    /** QEMU's -1, "no such port", as it arrives in a u16. */
    static final int NO_PORT = 0xffff;
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%-]+");

    static LinkTarget of(DstInfo d, SpiceUri current, ClientOptions options) {
        check(d);
        boolean tlsOnly = current.port() < 0;
        int port = tlsOnly ? -1 : port(d.port());
        int tlsPort = port(d.securePort());
        if (port < 0 && tlsPort < 0) {
            throw new SpiceProtocolException("the migration destination offers no TLS port, and this session was"
                    + " opened on TLS only");
        }
        String subject = d.certSubject().isEmpty() ? options.hostSubject() : d.certSubject();
        return new LinkTarget(new SpiceUri(d.host(), port, tlsPort, null), options.withTls(options.caFile(),
                subject));
    }

    /**
     * A destination port, or -1 for none: 0 means none, and so does 65535, which is what spice-server sends for
     * QEMU's -1 ({@code client_migrate_info} without a TLS port) in the u16 field.
     */
    private static int port(int wire) {
        return wire == 0 || wire == NO_PORT ? -1 : wire;
    }

    /** What both roles require of a destination: a plausible host name, a port, a parseable certificate subject. */
    static void check(DstInfo d) {
        String host = d.host();
        if (host.isEmpty()) {
            throw new SpiceProtocolException("the migration destination names no host");
        }
        if (host.length() > MAX_HOST) {
            throw new SpiceProtocolException("the migration destination's host name has " + host.length()
                    + " characters, more than " + MAX_HOST);
        }
        if (!HOST.matcher(host).matches()) {
            throw new SpiceProtocolException("the migration destination's host name is not a host name or address");
        }
        if (port(d.port()) < 0 && port(d.securePort()) < 0) {
            throw new SpiceProtocolException("the migration destination offers neither a port nor a TLS port");
        }
        if (d.port() < 0 || d.port() > 65535 || d.securePort() < 0 || d.securePort() > 65535) {
            throw new SpiceProtocolException("the migration destination's port is out of range (port " + d.port()
                    + ", TLS port " + d.securePort() + ")");
        }
        if (!d.certSubject().isEmpty()) {
            if (d.certSubject().length() > MAX_SUBJECT) {
                throw new SpiceProtocolException("the migration destination's certificate subject has "
                        + d.certSubject().length() + " characters, more than " + MAX_SUBJECT);
            }
            try {
                ClientSessionImpl.rdns(d.certSubject());
            } catch (InvalidNameException | IllegalArgumentException e) {
                throw new SpiceProtocolException("the migration destination's certificate subject is not a"
                        + " distinguished name");
            }
        }
    }
}
