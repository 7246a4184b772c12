package org.spice.protocol.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslException;
import org.junit.jupiter.api.Test;

/**
 * SCRAM-SHA-256 against RFC 7677's example exchange (user "user", password "pencil"): the client's messages are the
 * RFC's byte for byte, the server's signature is checked, and a wrong one or a step too many is refused.
 */
class ScramSaslClientTest {
    private static final String NONCE = "rOprNGfwEbeRWgbNEkqO";
    private static final String SERVER_FIRST = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private static final String CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void rfc7677ExchangeByteForByte() throws SaslException {
        ScramSaslClient c = new ScramSaslClient("user", "pencil".toCharArray(), () -> NONCE);
        assertTrue(c.hasInitialResponse());
        assertEquals("n,,n=user,r=" + NONCE, s(c.evaluateChallenge(new byte[0])));
        assertEquals(CLIENT_FINAL, s(c.evaluateChallenge(b(SERVER_FIRST))));
        assertFalse(c.isComplete());
        c.evaluateChallenge(b(SERVER_FINAL + "\0")); // cyrus may send a trailing NUL
        assertTrue(c.isComplete());
        assertEquals("auth", c.getNegotiatedProperty(Sasl.QOP));
        assertThrows(SaslException.class, () -> c.evaluateChallenge(new byte[0]), "a step after the end");
    }

    @Test
    void aServerThatDoesNotKnowThePasswordIsRefused() throws SaslException {
        ScramSaslClient c = new ScramSaslClient("user", "pencil".toCharArray(), () -> NONCE);
        c.evaluateChallenge(new byte[0]);
        c.evaluateChallenge(b(SERVER_FIRST));
        SaslException e = assertThrows(SaslException.class,
                () -> c.evaluateChallenge(b("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")));
        assertTrue(e.getMessage().startsWith("SCRAM"), e.getMessage());
        assertFalse(c.isComplete());
        ScramSaslClient other = new ScramSaslClient("user", "pencil".toCharArray(), () -> NONCE);
        other.evaluateChallenge(new byte[0]);
        assertThrows(SaslException.class,
                () -> other.evaluateChallenge(b("r=someoneelse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")),
                "a server nonce that does not extend ours");
        ScramSaslClient garbage = new ScramSaslClient("user", "pencil".toCharArray());
        garbage.evaluateChallenge(new byte[0]);
        assertThrows(SaslException.class, () -> garbage.evaluateChallenge(b("garbage")), "a server-first of garbage");
    }
}
