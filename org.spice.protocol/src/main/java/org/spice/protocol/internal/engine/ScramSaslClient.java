package org.spice.protocol.internal.engine;

import com.ongres.scram.client.ScramClient;
import com.ongres.scram.common.exception.ScramException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;

/**
 * SCRAM-SHA-256 (RFC 5802, RFC 7677) as a {@link SaslClient}, which the JDK does not provide, over ongres-scram's
 * message flow: client-first as the initial response, client-final for the server-first, then the server-final's
 * signature is checked (the server proves it knows the password). No channel binding: SPICE hands the SASL library
 * no TLS binding, so the GS2 header says "n". SCRAM has no security layer, so it is used only over TLS (as spice-gtk
 * asks for an encryption layer without TLS).
 */
final class ScramSaslClient implements SaslClient {
    static final String MECHANISM = "SCRAM-SHA-256";
    private final ScramClient scram;
    private int step;
    private boolean complete;

    ScramSaslClient(String user, char[] password) {
        this(user, password, null);
    }

    /** With {@code nonce} as the client nonce (null: a random one), so that RFC 7677's exchange can be replayed. */
    ScramSaslClient(String user, char[] password, java.util.function.Supplier<String> nonce) {
        ScramClient.FinalBuildStage b = ScramClient.builder().advertisedMechanisms(List.of(MECHANISM)).username(user)
                .password(password);
        this.scram = (nonce == null ? b : b.nonceSupplier(nonce)).build();
    }

    @Override
    public String getMechanismName() {
        return MECHANISM;
    }

    @Override
    public boolean hasInitialResponse() {
        return true;
    }

    @Override
    public byte[] evaluateChallenge(byte[] challenge) throws SaslException {
        try {
            switch (step++) {
                case 0:
                    return scram.clientFirstMessage().toString().getBytes(StandardCharsets.UTF_8);
                case 1:
                    scram.serverFirstMessage(text(challenge));
                    return scram.clientFinalMessage().toString().getBytes(StandardCharsets.UTF_8);
                case 2:
                    scram.serverFinalMessage(text(challenge));
                    complete = true;
                    return new byte[0];
                default:
                    throw new SaslException("SCRAM: a step after the server's final message");
            }
        } catch (ScramException | IllegalArgumentException | IllegalStateException e) {
            throw new SaslException("SCRAM: " + e.getMessage(), e);
        }
    }

    /** A server message: UTF-8 text, as cyrus-sasl may end it with a NUL that is not part of it. */
    private static String text(byte[] b) {
        int n = b.length;
        while (n > 0 && b[n - 1] == 0) {
            n--;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    @Override
    public boolean isComplete() {
        return complete;
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
        // nothing held but the exchange's state
    }
}
