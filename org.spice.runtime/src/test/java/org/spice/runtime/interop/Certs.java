package org.spice.runtime.interop;

import java.nio.file.Path;

/** A throw-away CA and a server certificate for 127.0.0.1/localhost, made with openssl as an administrator would. */
final class Certs {
    private Certs() {
    }

    /**
     * Writes ca-key.pem, ca-cert.pem, server-key.pem (PKCS#8) and server-cert.pem into {@code dir}, the layout of a
     * QEMU x509-dir and of {@code spice server --x509-dir}.
     */
    static Path create(Path dir) {
        Peers.runOk(dir, "openssl-ca-key", "openssl", "genpkey", "-algorithm", "RSA",
                "-pkeyopt", "rsa_keygen_bits:2048", "-out", "ca-key.pem");
        Peers.runOk(dir, "openssl-ca-cert", "openssl", "req", "-x509", "-new", "-key", "ca-key.pem", "-sha256",
                "-days", "30", "-subj", "/CN=Test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", "ca-cert.pem");
        Peers.runOk(dir, "openssl-server-key", "openssl", "genpkey", "-algorithm", "RSA",
                "-pkeyopt", "rsa_keygen_bits:2048", "-out", "server-key.pem");
        Peers.runOk(dir, "openssl-server-csr", "openssl", "req", "-new", "-key", "server-key.pem",
                "-subj", "/CN=localhost", "-out", "server.csr");
        Peers.write(dir.resolve("ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                + "extendedKeyUsage=serverAuth\n");
        Peers.runOk(dir, "openssl-server-cert", "openssl", "x509", "-req", "-in", "server.csr",
                "-CA", "ca-cert.pem", "-CAkey", "ca-key.pem", "-CAcreateserial", "-days", "30",
                "-extfile", "ext.cnf", "-out", "server-cert.pem");
        return dir;
    }
}
