package org.spice.protocol.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.spice.protocol.internal.auth.DigestMd5Server;

/**
 * The users our server accepts with SASL DIGEST-MD5, from a file of lines {@code USER:REALM:HEX}, HEX being
 * {@code MD5(USER:REALM:PASSWORD)} (what {@code ./spice sasl-user} writes). DIGEST-MD5 cannot work from anything
 * weaker: the digest is salted with user and realm, but whoever holds it can log in as that user (it is
 * password-equivalent for this server), so the file must stay private. Every line names the same realm.
 */
public record SaslUsers(String realm, Map<String, byte[]> digests) {
    /** A users file larger than this is not one. */
    public static final long MAX_FILE = 1 << 20;

    /** The stored digest of a user, or null when unknown. */
    public byte[] digest(String user) {
        byte[] d = digests.get(user);
        return d == null ? null : d.clone();
    }

    public static SaslUsers read(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE) {
            throw new IOException(file + " is larger than " + MAX_FILE + " bytes: not a SASL users file");
        }
        String realm = null;
        Map<String, byte[]> m = new HashMap<>();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] f = l.split(":", -1);
            if (f.length != 3 || f[0].isEmpty() || f[2].length() != 32) {
                throw new IOException(file + " line " + n + ": expected USER:REALM:32 hex digits");
            }
            if (realm != null && !realm.equals(f[1])) {
                throw new IOException(file + " line " + n + ": realm " + f[1] + " differs from " + realm);
            }
            realm = f[1];
            try {
                m.put(f[0], HexFormat.of().parseHex(f[2]));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " line " + n + ": the digest is not hex");
            }
        }
        if (realm == null) {
            throw new IOException(file + ": no users");
        }
        return new SaslUsers(realm, Map.copyOf(m));
    }

    /** The line for a user: {@code USER:REALM:HEX}; user and realm must not contain ':' or line breaks. */
    public static String line(String user, String realm, char[] password) {
        for (String s : new String[] {user, realm}) {
            if (s.isEmpty() || s.indexOf(':') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("user and realm must be non-empty, without ':' or line breaks");
            }
        }
        return user + ":" + realm + ":" + HexFormat.of().formatHex(DigestMd5Server.userDigest(user, realm, password));
    }

    @Override
    public String toString() {
        return "SaslUsers[realm=" + realm + ", users=" + digests.keySet() + "]";
    }
}
