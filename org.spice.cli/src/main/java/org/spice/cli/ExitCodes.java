package org.spice.cli;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.client.SpiceLinkException;

/** The {@code spice} command line's exit codes, the same for every command, and how a failure maps to one. */
public final class ExitCodes {
    /** The server refused the password, the SASL user or the ticket. */
    public static final int AUTH = 2;
    /** No connection, a TLS failure, a timeout, or the server lacks what the command needs. */
    public static final int CONNECT = 3;
    /** The peer is not a SPICE server, or it broke the protocol. */
    public static final int PROTOCOL = 4;
    /** sysexits' EX_USAGE, so that a usage error never reads as an authentication failure. */
    public static final int USAGE = 64;

    private ExitCodes() {
    }

    /** Prints why a connection or a command's step failed and returns its exit code. */
    public static int failure(CommandContext rt, Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (c instanceof SpiceLinkException e) {
            rt.err().println("error: " + e.getMessage());
            return e.isAuthenticationFailure() ? AUTH : CONNECT;
        }
        if (c instanceof ConnectException || c instanceof TimeoutException || c instanceof SSLException) {
            rt.err().println("error: " + c.getMessage());
            return CONNECT;
        }
        if (c instanceof SpiceProtocolException) {
            rt.err().println("error: not a SPICE server, or it broke the protocol: " + c.getMessage());
            return PROTOCOL;
        }
        rt.err().println("error: " + c);
        return 1;
    }
}
