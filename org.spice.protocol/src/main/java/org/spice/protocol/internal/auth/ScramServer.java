package org.spice.protocol.internal.auth;

import com.ongres.scram.common.ScramFunctions;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.spice.protocol.server.SaslUsers;

/**
 * The server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) from a users file's salted keys: the server keeps the salt,
 * the iteration count, StoredKey and ServerKey, never the password or anything a client could log in with. Offered
 * only over TLS (SCRAM has no security layer) and without channel binding ("n" or "y" GS2 flag; "p" is refused). An
 * unknown user goes through the exchange with a salt made for it, and fails at the proof as a wrong password does.
 */
public final class ScramServer implements SaslServer {
    public static final String MECHANISM = "SCRAM-SHA-256";
    /** A client message longer than this is not SCRAM. */
    private static final int MAX_MESSAGE = 4096;
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final SaslUsers users;
    private final SecureRandom random;
    private int step;
    private boolean complete;
    private String user;
    private SaslUsers.Scram keys;
    private String gs2Header;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;

    public ScramServer(SaslUsers users, SecureRandom random) {
        this.users = users;
        this.random = random;
    }

    @Override
    public String getMechanismName() {
        return MECHANISM;
    }

    @Override
    public byte[] evaluateResponse(byte[] response) throws SaslException {
        if (response.length > MAX_MESSAGE) {
            throw new SaslException("SCRAM: a message of " + response.length + " bytes (at most " + MAX_MESSAGE + ")");
        }
        String m = new String(response, StandardCharsets.UTF_8);
        switch (step++) {
            case 0:
                return clientFirst(m).getBytes(StandardCharsets.UTF_8);
            case 1:
                return clientFinal(m).getBytes(StandardCharsets.UTF_8);
            default:
                throw new SaslException("SCRAM: a message after the exchange ended");
        }
    }

    private String clientFirst(String m) throws SaslException {
        // gs2-header = gs2-cbind-flag "," [ authzid ] "," ; then n=user,r=nonce[,extensions]
        int first = m.indexOf(',');
        int second = first < 0 ? -1 : m.indexOf(',', first + 1);
        if (second < 0) {
            throw new SaslException("SCRAM: the client's first message has no GS2 header");
        }
        String flag = m.substring(0, first);
        if (flag.startsWith("p=")) {
            throw new SaslException("SCRAM: the client asks for channel binding, which this server does not offer");
        }
        if (!flag.equals("n") && !flag.equals("y")) {
            throw new SaslException("SCRAM: GS2 flag '" + flag + "'");
        }
        if (second != first + 1) {
            throw new SaslException("SCRAM: an authorization identity other than the user is not accepted");
        }
        gs2Header = m.substring(0, second + 1);
        clientFirstBare = m.substring(second + 1);
        String[] attrs = clientFirstBare.split(",", -1);
        if (attrs.length < 2 || !attrs[0].startsWith("n=") || !attrs[1].startsWith("r=") || attrs[1].length() < 3) {
            throw new SaslException("SCRAM: the client's first message is not n=USER,r=NONCE");
        }
        user = unescape(attrs[0].substring(2));
        keys = users.scram(user);
        if (keys == null) {
            // an unknown user: the same exchange, with a salt of its own, failing at the proof
            byte[] fake = new byte[32];
            random.nextBytes(fake);
            keys = new SaslUsers.Scram(SaslUsers.SCRAM_ITERATIONS, ScramFunctions.salt(16, random), fake, fake);
        }
        nonce = attrs[1].substring(2) + ScramFunctions.nonce(24, random);
        serverFirst = "r=" + nonce + ",s=" + B64.encodeToString(keys.salt()) + ",i=" + keys.iterations();
        return serverFirst;
    }

    private String clientFinal(String m) throws SaslException {
        int p = m.lastIndexOf(",p=");
        if (p < 0) {
            throw new SaslException("SCRAM: the client's final message has no proof");
        }
        String withoutProof = m.substring(0, p);
        String[] attrs = withoutProof.split(",", -1);
        String binding = B64.encodeToString(gs2Header.getBytes(StandardCharsets.UTF_8));
        if (attrs.length < 2 || !attrs[0].equals("c=" + binding)) {
            throw new SaslException("SCRAM: the channel binding attribute does not repeat the GS2 header");
        }
        if (!attrs[1].equals("r=" + nonce)) {
            throw new SaslException("SCRAM: the nonce is not the one this server made");
        }
        byte[] proof;
        try {
            proof = B64D.decode(m.substring(p + 3));
        } catch (IllegalArgumentException e) {
            throw new SaslException("SCRAM: the proof is not base64");
        }
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
                .getBytes(StandardCharsets.UTF_8);
        // ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage); the client knew the password when H(ClientKey)
        // is StoredKey
        byte[] clientKey = hmac(keys.storedKey(), authMessage);
        if (proof.length != clientKey.length) {
            throw new SaslException("SCRAM-SHA-256 authentication failed for user " + user);
        }
        for (int i = 0; i < clientKey.length; i++) {
            clientKey[i] ^= proof[i];
        }
        if (!MessageDigest.isEqual(sha256(clientKey), keys.storedKey())) {
            throw new SaslException("SCRAM-SHA-256 authentication failed for user " + user);
        }
        complete = true;
        return "v=" + B64.encodeToString(hmac(keys.serverKey(), authMessage));
    }

    private static byte[] hmac(byte[] key, byte[] message) throws SaslException {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new SaslException("SCRAM: no HMAC-SHA-256 here", e);
        }
    }

    private static byte[] sha256(byte[] b) throws SaslException {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (GeneralSecurityException e) {
            throw new SaslException("SCRAM: no SHA-256 here", e);
        }
    }

    /** saslname: "=2C" is ',' and "=3D" is '='; any other '=' is malformed. */
    private static String unescape(String s) throws SaslException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '=') {
                if (s.startsWith("=2C", i)) {
                    b.append(',');
                } else if (s.startsWith("=3D", i)) {
                    b.append('=');
                } else {
                    throw new SaslException("SCRAM: a user name with a bad '=' escape");
                }
                i += 2;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    @Override
    public boolean isComplete() {
        return complete;
    }

    @Override
    public String getAuthorizationID() {
        if (!complete) {
            throw new IllegalStateException("SCRAM is not complete");
        }
        return user;
    }

    @Override
    public byte[] unwrap(byte[] incoming, int offset, int len) {
        throw new IllegalStateException("SCRAM has no security layer");
    }

    @Override
    public byte[] wrap(byte[] outgoing, int offset, int len) {
        throw new IllegalStateException("SCRAM has no security layer");
    }

    @Override
    public Object getNegotiatedProperty(String propName) {
        if (!complete) {
            throw new IllegalStateException("SCRAM is not complete");
        }
        return Sasl.QOP.equals(propName) ? "auth" : null;
    }

    @Override
    public void dispose() {
        keys = null;
    }
}
