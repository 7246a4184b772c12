package org.spice.protocol.server;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the SPICE server (PID {@value #PID}); the server runs while this configuration exists. */
@ObjectClassDefinition(name = "SPICE server", description = "Listening addresses, TLS and authentication of the"
        + " SPICE server. The password is never part of the configuration: give a file, or set SPICE_PASSWORD.")
public @interface ServerConfig {
    String PID = "org.spice.server";

    @AttributeDefinition(description = "Plaintext address as host:port; empty for none. Loopback by default.")
    String listen() default "127.0.0.1:5930";

    @AttributeDefinition(description = "TLS port on the listen host; 0 for none.")
    int tls_port() default 0;

    @AttributeDefinition(description = "Directory with ca-cert.pem, server-cert.pem and server-key.pem (PKCS#8),"
            + " as QEMU's x509-dir.")
    String x509_dir() default "";

    @AttributeDefinition(description = "Channels that must use TLS: names such as main,display, or 'default' for"
            + " all. Empty: none.")
    String secure_channels() default "";

    @AttributeDefinition(description = "File holding the ticket password; empty to use the SPICE_PASSWORD"
            + " environment variable, or no password when that is unset too.")
    String password_file() default "";

    @AttributeDefinition(description = "File of SASL DIGEST-MD5 users (USER:REALM:MD5 hex of user:realm:password, as"
            + " './spice sasl-user' writes them); when set the server requires SASL instead of the ticket password.")
    String sasl_users_file() default "";

    @AttributeDefinition(description = "Session name sent to clients that support it.")
    String name() default "SPICE on the JVM";

    @AttributeDefinition(description = "Maximum clients attached at the same time.")
    int max_clients() default 16;

    @AttributeDefinition(description = "Seconds a client's connection may send nothing before the server sends it a"
            + " PING (every client answers one).")
    int peer_ping_seconds() default 15;

    @AttributeDefinition(description = "Seconds after that PING within which something must come back; a"
            + " connection silent that long is closed (its peer vanished without closing, or is frozen).")
    int peer_silence_seconds() default 30;

    @AttributeDefinition(description = "Directory of the browser client (spice-html5) served on plain HTTP GET at"
            + " every listening address; a 404 page names the missing package when it is absent.")
    String web_root() default "/usr/share/spice-html5";

    @AttributeDefinition(description = "An extra plaintext address (host:port) for browsers; empty for none. Every"
            + " address takes WebSocket connections (binary frames carrying SPICE) anyway.")
    String websocket_listen() default "";
}
