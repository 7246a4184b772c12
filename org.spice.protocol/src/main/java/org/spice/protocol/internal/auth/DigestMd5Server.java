package org.spice.protocol.internal.auth;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.spice.protocol.server.SaslUsers;

/**
 * The server side of DIGEST-MD5 (RFC 2831) working from stored {@code H(user:realm:password)} values instead of
 * passwords (the JDK's DIGEST-MD5 server asks for the password itself). Offers one realm, qop {@code auth-conf} with
 * the rc4 cipher on plain connections (spice-gtk insists on an encryption layer there) and {@code auth} over TLS, and
 * provides the security layer: RC4 with an HMAC-MD5 tag and sequence numbers, as cyrus-sasl and the JDK speak it.
 */
public final class DigestMd5Server implements SaslServer {
    /** The largest response accepted; real ones are under 1 KiB. */
    static final int MAX_RESPONSE = 4096;
    private static final byte[] ZERO_PAD = ":00000000000000000000000000000000".getBytes(StandardCharsets.US_ASCII);

    private final SaslUsers users;
    private final String protocol;
    private final String qop;
    private final String nonce;
    private State state = State.CHALLENGE;
    private String user;
    private String negotiatedQop;
    private Cipher sealer;
    private Cipher unsealer;
    private byte[] kis;
    private byte[] kic;
    private int sendSeq;
    private int recvSeq;
    private int peerMaxBuf = 65536;

    private enum State { CHALLENGE, RESPONSE, DONE, FAILED }

    /** @param tls whether the connection is TLS already (then no security layer is offered) */
    public DigestMd5Server(SaslUsers users, String protocol, boolean tls, SecureRandom random) {
        this.users = users;
        this.protocol = protocol;
        this.qop = tls ? "auth" : "auth-conf";
        byte[] n = new byte[24];
        random.nextBytes(n);
        this.nonce = Base64.getEncoder().encodeToString(n);
    }

    @Override
    public String getMechanismName() {
        return "DIGEST-MD5";
    }

    @Override
    public byte[] evaluateResponse(byte[] response) throws SaslException {
        switch (state) {
            case CHALLENGE -> {
                if (response.length != 0) {
                    fail("DIGEST-MD5 starts with the server's challenge; the client sent " + response.length
                            + " bytes first");
                }
                state = State.RESPONSE;
                return ("realm=\"" + users.realm() + "\",nonce=\"" + nonce + "\",qop=\"" + qop + "\","
                        + (qop.equals("auth-conf") ? "cipher=\"rc4\"," : "") + "maxbuf=65536,charset=utf-8,"
                        + "algorithm=md5-sess").getBytes(StandardCharsets.UTF_8);
            }
            case RESPONSE -> {
                byte[] rspauth = check(response);
                state = State.DONE;
                return rspauth;
            }
            default -> throw new SaslException("DIGEST-MD5: no step expected (" + state + ")");
        }
    }

    private byte[] check(byte[] response) throws SaslException {
        if (response.length > MAX_RESPONSE) {
            fail("DIGEST-MD5 response of " + response.length + " bytes");
        }
        Map<String, String> d = directives(new String(response, StandardCharsets.UTF_8));
        String username = required(d, "username");
        String realm = d.getOrDefault("realm", "");
        String cnonce = required(d, "cnonce");
        String nc = required(d, "nc");
        String uri = required(d, "digest-uri");
        String got = required(d, "response");
        String q = d.getOrDefault("qop", "auth");
        if (!nonce.equals(d.get("nonce"))) {
            fail("DIGEST-MD5 response names another nonce");
        }
        if (!"00000001".equals(nc)) {
            fail("DIGEST-MD5 nonce count " + nc + " (only 00000001 is valid on a new connection)");
        }
        if (!q.equals(qop)) {
            fail("DIGEST-MD5 qop " + q + " was not offered (offered " + qop + ")");
        }
        if (q.equals("auth-conf") && !"rc4".equals(d.get("cipher"))) {
            fail("DIGEST-MD5 cipher " + d.get("cipher") + " was not offered (offered rc4)");
        }
        if (!uri.startsWith(protocol + "/")) {
            fail("DIGEST-MD5 digest-uri " + uri + " is not for " + protocol);
        }
        if (d.containsKey("maxbuf")) {
            try {
                peerMaxBuf = Math.max(1024, Math.min(65536, Integer.parseInt(d.get("maxbuf"))));
            } catch (NumberFormatException e) {
                fail("DIGEST-MD5 maxbuf " + d.get("maxbuf") + " is not a number");
            }
        }
        byte[] stored = realm.equals(users.realm()) ? users.digest(username) : null;
        // An unknown user costs the same work as a wrong password and gets the same answer.
        byte[] ha1 = stored != null ? stored : new byte[16];
        String authzid = d.get("authzid");
        byte[] a1 = md5(concat(ha1, (":" + nonce + ":" + cnonce + (authzid == null ? "" : ":" + authzid))
                .getBytes(StandardCharsets.UTF_8)));
        String expected = responseValue(a1, nc, cnonce, q, ("AUTHENTICATE:" + uri).getBytes(StandardCharsets.UTF_8));
        if (stored == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                got.getBytes(StandardCharsets.US_ASCII))) {
            fail("DIGEST-MD5 authentication failed for user " + username);
        }
        if (authzid != null && !authzid.equals(username)) {
            fail("DIGEST-MD5: user " + username + " may not act as " + authzid);
        }
        user = username;
        negotiatedQop = q;
        if (q.equals("auth-conf")) {
            kic = md5(concat(a1, "Digest session key to client-to-server signing key magic constant"
                    .getBytes(StandardCharsets.US_ASCII)));
            kis = md5(concat(a1, "Digest session key to server-to-client signing key magic constant"
                    .getBytes(StandardCharsets.US_ASCII)));
            byte[] kcc = md5(concat(a1, "Digest H(A1) to client-to-server sealing key magic constant"
                    .getBytes(StandardCharsets.US_ASCII)));
            byte[] kcs = md5(concat(a1, "Digest H(A1) to server-to-client sealing key magic constant"
                    .getBytes(StandardCharsets.US_ASCII)));
            try {
                sealer = Cipher.getInstance("ARCFOUR");
                sealer.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kcs, "ARCFOUR"));
                unsealer = Cipher.getInstance("ARCFOUR");
                unsealer.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kcc, "ARCFOUR"));
            } catch (GeneralSecurityException e) {
                throw new SaslException("DIGEST-MD5: rc4 is not available in this JDK", e);
            }
        }
        return ("rspauth=" + responseValue(a1, nc, cnonce, q, (":" + uri).getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.US_ASCII);
    }

    private String responseValue(byte[] a1, String nc, String cnonce, String q, byte[] a2start) {
        byte[] a2 = q.equals("auth") ? a2start : concat(a2start, ZERO_PAD);
        String kd = hex(a1) + ":" + nonce + ":" + nc + ":" + cnonce + ":" + q + ":" + hex(md5(a2));
        return hex(md5(kd.getBytes(StandardCharsets.US_ASCII)));
    }

    private void fail(String why) throws SaslException {
        state = State.FAILED;
        throw new SaslException(why);
    }

    private static String required(Map<String, String> d, String key) throws SaslException {
        String v = d.get(key);
        if (v == null) {
            throw new SaslException("DIGEST-MD5 response lacks " + key);
        }
        return v;
    }

    /** key=value and key="quoted value" pairs separated by commas; a repeated key is refused. */
    static Map<String, String> directives(String s) throws SaslException {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && (s.charAt(i) == ',' || Character.isWhitespace(s.charAt(i)))) {
                i++;
            }
            if (i == n) {
                break;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                throw new SaslException("DIGEST-MD5: directive without '=' at " + i);
            }
            String key = s.substring(i, eq).strip().toLowerCase(java.util.Locale.ROOT);
            i = eq + 1;
            StringBuilder v = new StringBuilder();
            if (i < n && s.charAt(i) == '"') {
                i++;
                while (i < n && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    v.append(s.charAt(i++));
                }
                if (i == n) {
                    throw new SaslException("DIGEST-MD5: unterminated quoted value of " + key);
                }
                i++;
            } else {
                while (i < n && s.charAt(i) != ',') {
                    v.append(s.charAt(i++));
                }
            }
            if (out.put(key, v.toString().strip()) != null) {
                throw new SaslException("DIGEST-MD5: directive " + key + " given twice");
            }
        }
        return out;
    }

    @Override
    public boolean isComplete() {
        return state == State.DONE;
    }

    @Override
    public String getAuthorizationID() {
        return user;
    }

    @Override
    public byte[] wrap(byte[] outgoing, int offset, int len) throws SaslException {
        requireLayer();
        byte[] seq = intBytes(sendSeq++);
        byte[] msg = Arrays.copyOfRange(outgoing, offset, offset + len);
        byte[] mac = Arrays.copyOf(hmac(kis, concat(seq, msg)), 10);
        byte[] sealed = sealer.update(concat(msg, mac));
        return concat(sealed, new byte[] {0, 1}, seq);
    }

    @Override
    public byte[] unwrap(byte[] incoming, int offset, int len) throws SaslException {
        requireLayer();
        if (len < 16) {
            throw new SaslException("DIGEST-MD5 frame of " + len + " bytes is too short");
        }
        int end = offset + len;
        int type = (incoming[end - 6] & 0xff) << 8 | incoming[end - 5] & 0xff;
        int seq = (incoming[end - 4] & 0xff) << 24 | (incoming[end - 3] & 0xff) << 16 | (incoming[end - 2] & 0xff) << 8
                | incoming[end - 1] & 0xff;
        if (type != 1) {
            throw new SaslException("DIGEST-MD5 frame of message type " + type);
        }
        if (seq != recvSeq) {
            throw new SaslException("DIGEST-MD5 frame with sequence number " + seq + ", expected " + recvSeq);
        }
        byte[] plain = unsealer.update(incoming, offset, len - 6);
        byte[] msg = Arrays.copyOf(plain, plain.length - 10);
        byte[] mac = Arrays.copyOfRange(plain, plain.length - 10, plain.length);
        byte[] expected = Arrays.copyOf(hmac(kic, concat(intBytes(seq), msg)), 10);
        if (!MessageDigest.isEqual(mac, expected)) {
            throw new SaslException("DIGEST-MD5 frame " + seq + " failed its integrity check");
        }
        recvSeq++;
        return msg;
    }

    private void requireLayer() {
        if (sealer == null) {
            throw new IllegalStateException("DIGEST-MD5 negotiated no security layer");
        }
    }

    @Override
    public Object getNegotiatedProperty(String propName) {
        if (state != State.DONE) {
            throw new IllegalStateException("DIGEST-MD5 exchange not complete");
        }
        return switch (propName) {
            case Sasl.QOP -> negotiatedQop;
            // the tag (10), type (2) and sequence number (4) come on top of the clear bytes
            case Sasl.RAW_SEND_SIZE -> Integer.toString(peerMaxBuf - 16);
            case Sasl.MAX_BUFFER -> "65536";
            default -> null;
        };
    }

    @Override
    public void dispose() {
        sealer = null;
        unsealer = null;
        kic = null;
        kis = null;
    }

    /** H(user:realm:password), what {@link SaslUsers} stores; ISO-8859-1 when every character fits, as RFC 2831 says. */
    public static byte[] userDigest(String user, String realm, char[] password) {
        String joined = user + ":" + realm + ":" + new String(password);
        Charset cs = joined.chars().allMatch(c -> c <= 0xff) ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8;
        return md5(joined.getBytes(cs));
    }

    private static byte[] md5(byte[] b) {
        try {
            return MessageDigest.getInstance("MD5").digest(b);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac m = Mac.getInstance("HmacMD5");
            m.init(new SecretKeySpec(key, "HmacMD5"));
            return m.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int i = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, i, p.length);
            i += p.length;
        }
        return out;
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
