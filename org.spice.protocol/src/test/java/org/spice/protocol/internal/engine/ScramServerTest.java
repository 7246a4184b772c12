package org.spice.protocol.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import javax.security.sasl.SaslException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spice.protocol.internal.auth.ScramServer;
import org.spice.protocol.server.SaslUsers;

/**
 * Our SCRAM-SHA-256 server from a users file's salted keys, against our client: the right password links and the
 * server proves itself; a wrong password, an unknown user, channel binding, another authorization identity and a
 * changed nonce are refused; the file holds no password and old three-field lines still read.
 */
class ScramServerTest {
    @TempDir
    Path dir;

    private SaslUsers users() throws IOException {
        Path f = dir.resolve("users");
        Files.writeString(f, SaslUsers.line("alice", "spice", "Pa55-é".toCharArray()) + "\n"
                + "bob:spice:0123456789abcdef0123456789abcdef\n");
        return SaslUsers.read(f);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theRightPasswordLinksAndTheServerProvesItself() throws Exception {
        ScramServer server = new ScramServer(users(), new SecureRandom());
        ScramSaslClient client = new ScramSaslClient("alice", "Pa55-é".toCharArray());
        byte[] serverFirst = server.evaluateResponse(client.evaluateChallenge(new byte[0]));
        byte[] serverFinal = server.evaluateResponse(client.evaluateChallenge(serverFirst));
        assertTrue(server.isComplete());
        assertEquals("alice", server.getAuthorizationID());
        client.evaluateChallenge(serverFinal);
        assertTrue(client.isComplete(), "the client accepted the server's signature");
        assertThrows(SaslException.class, () -> server.evaluateResponse(new byte[0]), "a step after the end");
    }

    @Test
    void wrongPasswordUnknownUserAndOldLinesFailAtTheProof() throws Exception {
        SaslUsers users = users();
        assertEquals(null, users.scram("bob"), "a line without SCRAM keys: DIGEST-MD5 only");
        assertTrue(users.scram("alice").iterations() >= 4096);
        assertFalse(Files.readString(dir.resolve("users")).contains("Pa55"), "the password is stored");
        for (String[] who : new String[][] {{"alice", "wrong"}, {"mallory", "Pa55-é"}, {"bob", "whatever"}}) {
            ScramServer server = new ScramServer(users, new SecureRandom());
            ScramSaslClient client = new ScramSaslClient(who[0], who[1].toCharArray());
            byte[] serverFirst = server.evaluateResponse(client.evaluateChallenge(new byte[0]));
            byte[] clientFinal = client.evaluateChallenge(serverFirst);
            SaslException e = assertThrows(SaslException.class, () -> server.evaluateResponse(clientFinal));
            assertEquals("SCRAM-SHA-256 authentication failed for user " + who[0], e.getMessage());
            assertFalse(server.isComplete());
        }
    }

    @Test
    void malformedOrUnsupportedClientMessagesAreRefused() throws Exception {
        SaslUsers users = users();
        for (String first : new String[] {"p=tls-unique,,n=alice,r=abc", "n,a=root,n=alice,r=abc", "x,,n=alice,r=abc",
                "n,,r=abc,n=alice", "n,,n=al=41ice,r=abc", "nonsense"}) {
            assertThrows(SaslException.class, () -> new ScramServer(users, new SecureRandom()).evaluateResponse(
                    b(first)), first);
        }
        ScramServer server = new ScramServer(users, new SecureRandom());
        String serverFirst = new String(server.evaluateResponse(b("n,,n=alice,r=clientnonce")), StandardCharsets.UTF_8);
        assertTrue(serverFirst.startsWith("r=clientnonce"), serverFirst);
        assertThrows(SaslException.class, () -> server.evaluateResponse(b("c=biws,r=clientnonceXYZ,p=AAAA")),
                "a nonce the server did not make");
        assertThrows(SaslException.class, () -> new ScramServer(users, new SecureRandom())
                .evaluateResponse(new byte[5000]), "an oversized message");
    }
}
