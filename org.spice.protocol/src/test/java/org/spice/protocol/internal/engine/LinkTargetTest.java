package org.spice.protocol.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.wire.MainMessages.DstInfo;

/** Where MIGRATE_SWITCH_HOST may send a client, and the lies it is refused for. */
class LinkTargetTest {
    private static final SpiceUri PLAIN = new SpiceUri("127.0.0.1", 5900, -1, null);
    private static final SpiceUri TLS_ONLY = new SpiceUri("127.0.0.1", -1, 5901, null);
    private static final ClientOptions OPTIONS = ClientOptions.defaults().withPassword("pw")
            .withTls(Path.of("ca.pem"), "CN=src");

    private static String refusal(DstInfo d, SpiceUri current) {
        return assertThrows(SpiceProtocolException.class, () -> LinkTarget.of(d, current, OPTIONS)).getMessage();
    }

    @Test
    void theDestinationGetsTheSessionsPasswordAndCaAndItsOwnSubject() {
        LinkTarget t = LinkTarget.of(new DstInfo(5930, 5931, "dst.example", "C=IL, CN=dst"), PLAIN,
                OPTIONS);
        assertEquals(new SpiceUri("dst.example", 5930, 5931, null), t.uri());
        assertEquals("pw", t.options().password());
        assertEquals(Path.of("ca.pem"), t.options().caFile());
        assertEquals("C=IL, CN=dst", t.options().hostSubject());
        // no subject named: the one the user gave stays
        assertEquals("CN=src", LinkTarget.of(new DstInfo(5930, 0, "::1", ""), PLAIN, OPTIONS).options()
                .hostSubject());
    }

    @Test
    void qemusMinusOneMeansNoPort() {
        // client_migrate_info without a TLS port: spice-server writes QEMU's -1 into the u16
        assertEquals(new SpiceUri("127.0.0.1", 5930, -1, null), LinkTarget.of(new DstInfo(5930, 0xffff,
                "127.0.0.1", ""), PLAIN, OPTIONS).uri());
    }

    @Test
    void aTlsOnlySessionStaysOnTls() {
        LinkTarget t = LinkTarget.of(new DstInfo(5930, 5931, "127.0.0.1", ""), TLS_ONLY, OPTIONS);
        assertEquals(new SpiceUri("127.0.0.1", -1, 5931, null), t.uri());
        assertTrue(refusal(new DstInfo(5930, 0, "127.0.0.1", ""), TLS_ONLY).contains("TLS only"));
    }

    @Test
    void lyingDestinationsAreRefusedWithTheReason() {
        assertTrue(refusal(new DstInfo(5930, 0, "", ""), PLAIN).contains("names no host"));
        assertTrue(refusal(new DstInfo(5930, 0, "a".repeat(254), ""), PLAIN).contains("254 characters"));
        assertTrue(refusal(new DstInfo(5930, 0, "host name;rm", ""), PLAIN).contains("not a host name"));
        assertTrue(refusal(new DstInfo(5930, 0, "evil/path", ""), PLAIN).contains("not a host name"));
        assertTrue(refusal(new DstInfo(0, 0, "127.0.0.1", ""), PLAIN).contains("neither a port nor a TLS port"));
        assertTrue(refusal(new DstInfo(0, 0xffff, "127.0.0.1", ""), PLAIN).contains("neither a port nor a TLS port"));
        assertTrue(refusal(new DstInfo(70000, 0, "127.0.0.1", ""), PLAIN).contains("out of range"));
        assertTrue(refusal(new DstInfo(5930, 0, "127.0.0.1", "CN=" + "x".repeat(600)), PLAIN)
                .contains("more than " + LinkTarget.MAX_SUBJECT));
        assertTrue(refusal(new DstInfo(5930, 0, "127.0.0.1", "no equals sign"), PLAIN)
                .contains("not a distinguished name"));
    }
}
