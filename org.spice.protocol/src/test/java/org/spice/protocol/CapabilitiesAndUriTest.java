package org.spice.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CapabilitiesAndUriTest {

    @Test
    void capabilitiesSetAndTestBitsAcrossWords() {
        Capabilities c = Capabilities.of(0, 3, 33);
        assertTrue(c.has(3));
        assertTrue(c.has(33));
        assertFalse(c.has(1));
        assertFalse(c.has(200));
        assertEquals(2, c.wordCount());
        assertEquals(0b1001, c.word(0));
        assertEquals(List.of(0, 3, 33), c.list());
        assertEquals(Capabilities.fromWords(new int[] {0b1001, 2, 0}), c);
    }

    @Test
    void urisAsRemoteViewerWritesThem() {
        SpiceUri a = SpiceUri.parse("spice://127.0.0.1:5930");
        assertEquals("127.0.0.1", a.host());
        assertEquals(5930, a.port());
        assertEquals(-1, a.tlsPort());
        SpiceUri b = SpiceUri.parse("spice://host?port=5900&tls-port=5901&password=s%20cret");
        assertEquals(5900, b.port());
        assertEquals(5901, b.tlsPort());
        assertEquals("s cret", b.password());
        assertFalse(b.toString().contains("cret"), "toString must not show the password");
        SpiceUri c = SpiceUri.parse("spice+tls://[::1]:5901");
        assertEquals("::1", c.host());
        assertEquals(-1, c.port());
        assertEquals(5901, c.tlsPort());
        assertNull(c.password());
        assertThrows(IllegalArgumentException.class, () -> SpiceUri.parse("vnc://host:5900"));
        assertThrows(IllegalArgumentException.class, () -> SpiceUri.parse("spice://host"));
        assertThrows(IllegalArgumentException.class, () -> SpiceUri.parse("spice://host:99999"));
    }

    @Test
    void channelNames() {
        assertEquals("usbredir", ChannelType.name(ChannelType.USBREDIR));
        assertEquals(ChannelType.SMARTCARD, ChannelType.parse("smartcard"));
        assertEquals("unknown(77)", ChannelType.name(77));
    }
}
