package org.spice.agent.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.spice.agent.internal.wire.AgentMessages.AnnounceCapabilities;
import org.spice.agent.internal.wire.AgentMessages.Clipboard;
import org.spice.agent.internal.wire.AgentMessages.ClipboardGrab;
import org.spice.agent.internal.wire.AgentMessages.ClipboardRequest;
import org.spice.agent.internal.wire.AgentMessages.DisplayConfig;
import org.spice.agent.internal.wire.AgentMessages.MaxClipboard;
import org.spice.agent.internal.wire.AgentMessages.MonConfig;
import org.spice.agent.internal.wire.AgentMessages.MonitorMM;
import org.spice.agent.internal.wire.AgentMessages.MonitorsConfig;
import org.spice.agent.internal.wire.AgentMessages.Reply;
import org.spice.protocol.wire.AgentHeader;

/**
 * The agent messages of a real session, remote-viewer 11 (spice-gtk 0.42) with our server (captured with tshark,
 * src/test/resources/golden/remote-viewer): spice-gtk's decode to what it meant, and each re-encodes to the same
 * bytes; what our server sent is what its code sends today.
 */
class SpiceGtkGoldenTest {
    record Message(AgentHeader header, byte[] body) {
    }

    /** The file's chunks: each message of these sessions fits one chunk, header first. */
    static List<Message> messages(String name) throws IOException {
        try (InputStream in = SpiceGtkGoldenTest.class.getResourceAsStream("/golden/remote-viewer/" + name)) {
            List<Message> out = new ArrayList<>();
            for (String l : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                l = l.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                byte[] chunk = HexFormat.of().parseHex(l);
                AgentHeader h = AgentHeader.decode(Unpooled.wrappedBuffer(chunk));
                assertEquals(AgentHeader.PROTOCOL, h.protocol());
                assertEquals(0, h.opaque());
                assertEquals(chunk.length - AgentHeader.SIZE, h.size());
                out.add(new Message(h, Arrays.copyOfRange(chunk, AgentHeader.SIZE, chunk.length)));
            }
            return out;
        }
    }

    @Test
    void whatSpiceGtkSends() throws Exception {
        List<Message> m = messages("client-chunks.hex");
        assertEquals(List.of(6L, 5L, 14L, 7L, 4L, 8L, 2L, 7L, 4L), m.stream().map(x -> x.header().type()).toList());

        AnnounceCapabilities caps = AnnounceCapabilities.decode(m.get(0).body());
        assertTrue(caps.request());
        List<Integer> set = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            if (caps.has(i)) {
                set.add(i);
            }
        }
        assertEquals(List.of(AgentMessages.CAP_MOUSE_STATE, AgentMessages.CAP_MONITORS_CONFIG, AgentMessages.CAP_REPLY,
                AgentMessages.CAP_DISPLAY_CONFIG, AgentMessages.CAP_CLIPBOARD_BY_DEMAND,
                AgentMessages.CAP_CLIPBOARD_SELECTION, AgentMessages.CAP_MONITORS_CONFIG_POSITION,
                AgentMessages.CAP_FILE_XFER_DETAILED_ERRORS, AgentMessages.CAP_CLIPBOARD_NO_RELEASE_ON_REGRAB,
                AgentMessages.CAP_CLIPBOARD_GRAB_SERIAL), set);
        assertArrayEquals(m.get(0).body(), caps.encode());

        assertEquals(new DisplayConfig(0, 0), DisplayConfig.decode(m.get(1).body()));
        assertEquals(100 << 20, MaxClipboard.decode(m.get(2).body()).max());
        assertArrayEquals(m.get(2).body(), new MaxClipboard(100 << 20).encode());

        // both ends announced the selection capability: the selection prefix is there; no grab serial (ours lacks it)
        ClipboardGrab grab = ClipboardGrab.decode(m.get(3).body(), true);
        assertEquals(new ClipboardGrab(0, List.of((long) AgentMessages.CLIPBOARD_UTF8_TEXT)), grab);
        assertArrayEquals(m.get(3).body(), grab.encode(true));
        Clipboard text = Clipboard.decode(m.get(4).body(), true);
        assertEquals("viewer text é", new String(text.data(), StandardCharsets.UTF_8));
        assertArrayEquals(m.get(4).body(), text.encode(true));
        assertEquals(new ClipboardRequest(0, AgentMessages.CLIPBOARD_UTF8_TEXT),
                ClipboardRequest.decode(m.get(5).body(), true));

        MonitorsConfig mc = MonitorsConfig.decode(m.get(6).body());
        assertEquals(AgentMessages.MONITORS_FLAG_USE_POS | AgentMessages.MONITORS_FLAG_PHYSICAL_SIZE, mc.flags());
        assertEquals(List.of(new MonConfig(544, 790, 32, 0, 0)), mc.monitors());
        assertEquals(List.of(new MonitorMM(0, 0)), mc.physical());
        assertArrayEquals(m.get(6).body(), mc.encode());

        assertEquals(List.of((long) AgentMessages.CLIPBOARD_IMAGE_PNG), ClipboardGrab.decode(m.get(7).body(), true)
                .types());
        Clipboard png = Clipboard.decode(m.get(8).body(), true);
        assertEquals(AgentMessages.CLIPBOARD_IMAGE_PNG, png.type());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png.data()));
        assertEquals(8, img.getWidth());
        assertEquals(4, img.getHeight());
    }

    @Test
    void whatOurServerSent() throws Exception {
        List<Message> m = messages("server-chunks.hex");
        assertEquals(List.of(6L, 3L, 8L, 7L, 4L, 3L, 8L), m.stream().map(x -> x.header().type()).toList());
        // Captured before our agent announced NO_RELEASE_ON_REGRAB and GRAB_SERIAL (spice-gtk announces both, see
        // whatSpiceGtkSends): today's announcement is the captured one with those two more.
        AnnounceCapabilities then = AnnounceCapabilities.decode(m.get(0).body());
        assertFalse(then.request());
        int[] now = then.caps().clone();
        now[0] |= 1 << AgentMessages.CAP_CLIPBOARD_NO_RELEASE_ON_REGRAB | 1 << AgentMessages.CAP_CLIPBOARD_GRAB_SERIAL;
        assertArrayEquals(new AnnounceCapabilities(false, now).encode(),
                org.spice.agent.internal.server.AgentServer.capabilities(true).encode());
        assertEquals(new Reply(AgentMessages.DISPLAY_CONFIG, AgentMessages.SUCCESS), Reply.decode(m.get(1).body()));
        assertArrayEquals(m.get(2).body(), new ClipboardRequest(0, AgentMessages.CLIPBOARD_UTF8_TEXT).encode(true));
        assertArrayEquals(m.get(3).body(), new ClipboardGrab(0, List.of(1L)).encode(true));
        // with both ends announcing GRAB_SERIAL today, the same grab carries serial 0, the first of the session
        assertEquals("00000000" + "00000000" + "01000000", HexFormat.of().formatHex(new ClipboardGrab(0, 0,
                List.of(1L)).encode(true, true)));
        assertArrayEquals(m.get(4).body(), new Clipboard(0, 1, "server text".getBytes(StandardCharsets.UTF_8))
                .encode(true));
        assertEquals(new Reply(AgentMessages.MONITORS_CONFIG, AgentMessages.SUCCESS), Reply.decode(m.get(5).body()));
        assertArrayEquals(m.get(6).body(), new ClipboardRequest(0, AgentMessages.CLIPBOARD_IMAGE_PNG).encode(true));
    }
}
