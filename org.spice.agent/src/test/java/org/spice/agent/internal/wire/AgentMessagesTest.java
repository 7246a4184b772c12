package org.spice.agent.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spice.agent.internal.wire.AgentMessages.AnnounceCapabilities;
import org.spice.agent.internal.wire.AgentMessages.Clipboard;
import org.spice.agent.internal.wire.AgentMessages.ClipboardGrab;
import org.spice.agent.internal.wire.AgentMessages.ClipboardRelease;
import org.spice.agent.internal.wire.AgentMessages.ClipboardRequest;
import org.spice.agent.internal.wire.AgentMessages.DisplayConfig;
import org.spice.agent.internal.wire.AgentMessages.FileXferData;
import org.spice.agent.internal.wire.AgentMessages.FileXferStart;
import org.spice.agent.internal.wire.AgentMessages.FileXferStatus;
import org.spice.agent.internal.wire.AgentMessages.MaxClipboard;
import org.spice.agent.internal.wire.AgentMessages.MonConfig;
import org.spice.agent.internal.wire.AgentMessages.MonitorMM;
import org.spice.agent.internal.wire.AgentMessages.MonitorsConfig;
import org.spice.agent.internal.wire.AgentMessages.MouseState;
import org.spice.agent.internal.wire.AgentMessages.Reply;
import org.spice.protocol.SpiceProtocolException;

/** Round trips and byte layouts (vd_agent.h, packed, little-endian) of the agent message bodies; bad input. */
class AgentMessagesTest {
    static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void announceCapabilities() {
        AnnounceCapabilities a = AnnounceCapabilities.of(true, AgentMessages.CAP_CLIPBOARD_BY_DEMAND,
                AgentMessages.CAP_CLIPBOARD_SELECTION, AgentMessages.CAP_CLIPBOARD_GRAB_SERIAL);
        // request=1, one word: bits 5, 6, 17
        assertEquals("01000000" + "60000200", hex(a.encode()));
        AnnounceCapabilities back = AnnounceCapabilities.decode(a.encode());
        assertEquals(a, back);
        assertTrue(back.request());
        assertTrue(back.has(AgentMessages.CAP_CLIPBOARD_GRAB_SERIAL));
        assertFalse(back.has(AgentMessages.CAP_REPLY));
        assertFalse(back.has(200));
        // a partial word is ignored, as VD_AGENT_CAPS_SIZE_FROM_MSG_SIZE does
        assertEquals(0, AnnounceCapabilities.decode(hex("00000000 ffff")).caps().length);
        assertThrows(SpiceProtocolException.class, () -> AnnounceCapabilities.decode(new byte[3]));
    }

    @Test
    void monitorsConfigWithPhysicalSizes() {
        MonitorsConfig m = new MonitorsConfig(AgentMessages.MONITORS_FLAG_USE_POS
                | AgentMessages.MONITORS_FLAG_PHYSICAL_SIZE, List.of(new MonConfig(600, 800, 32, 0, 0),
                        new MonConfig(768, 1024, 32, 800, -5)), List.of(new MonitorMM(160, 210), new MonitorMM(0, 0)));
        byte[] b = m.encode();
        assertEquals(8 + 2 * 20 + 2 * 4, b.length);
        // num_of_monitors 2, flags 3, then height, width, depth, x, y of the first
        assertEquals("02000000" + "03000000" + "58020000" + "20030000" + "20000000" + "00000000" + "00000000",
                hex(b).substring(0, 56));
        MonitorsConfig back = MonitorsConfig.decode(b);
        assertEquals(m, back);
        assertEquals(-5, back.monitors().get(1).y());
        // the physical sizes may be missing even with the flag (spice-server accepts that)
        byte[] without = java.util.Arrays.copyOf(b, 8 + 40);
        assertEquals(List.of(), MonitorsConfig.decode(without).physical());
    }

    @Test
    void monitorsConfigBadInput() {
        // 257 monitors claimed: refused before anything is allocated
        assertThrows(SpiceProtocolException.class, () -> MonitorsConfig.decode(hex("01010000 00000000")));
        // 2 monitors claimed, 1 present
        assertThrows(SpiceProtocolException.class, () -> MonitorsConfig.decode(hex("02000000 00000000"
                + "01000000".repeat(5))));
        assertThrows(SpiceProtocolException.class, () -> MonitorsConfig.decode(hex("ffffffff")));
    }

    @Test
    void clipboardMessagesWithAndWithoutTheSelectionPrefix() {
        byte[] text = "hello".getBytes(StandardCharsets.UTF_8);
        Clipboard c = new Clipboard(AgentMessages.SELECTION_CLIPBOARD, AgentMessages.CLIPBOARD_UTF8_TEXT, text);
        assertEquals("00000000" + "01000000" + hex(text), hex(c.encode(true)));
        assertEquals("01000000" + hex(text), hex(c.encode(false)));
        Clipboard back = Clipboard.decode(c.encode(true), true);
        assertEquals(AgentMessages.CLIPBOARD_UTF8_TEXT, back.type());
        assertArrayEquals(text, back.data());
        assertEquals(1, Clipboard.decode(hex("01000000 00000000 02000000"), true).selection());

        ClipboardGrab g = new ClipboardGrab(0, List.of(1L, 2L));
        assertEquals("00000000" + "01000000" + "02000000", hex(g.encode(true)));
        assertEquals(g, ClipboardGrab.decode(g.encode(true), true));
        assertEquals(List.of(1L, 2L), ClipboardGrab.decode(hex("0100000002000000"), false).types());
        // the serial follows the selection header (VD_AGENT_CAP_CLIPBOARD_GRAB_SERIAL)
        ClipboardGrab serial = new ClipboardGrab(1, 0xfffffffeL, List.of(1L));
        assertEquals("01000000" + "feffffff" + "01000000", hex(serial.encode(true, true)));
        assertEquals(serial, ClipboardGrab.decode(serial.encode(true, true), true, true));
        assertEquals(new ClipboardGrab(0, 7, List.of()), ClipboardGrab.decode(hex("07000000"), false, true));

        ClipboardRequest r = new ClipboardRequest(0, 2);
        assertEquals("00000000" + "02000000", hex(r.encode(true)));
        assertEquals(r, ClipboardRequest.decode(r.encode(true), true));
        assertEquals("", hex(new ClipboardRelease(0).encode(false)));
        assertEquals("01000000", hex(new ClipboardRelease(1).encode(true)));
        assertEquals(1, ClipboardRelease.decode(hex("01000000"), true).selection());
    }

    @Test
    void clipboardBadInput() {
        assertThrows(SpiceProtocolException.class, () -> Clipboard.decode(new byte[3], false));
        assertThrows(SpiceProtocolException.class, () -> Clipboard.decode(new byte[7], true));
        assertThrows(SpiceProtocolException.class, () -> ClipboardGrab.decode(new byte[6], false),
                "types not whole uint32s");
        assertThrows(SpiceProtocolException.class, () -> ClipboardGrab.decode(new byte[4 * 65], false));
        assertThrows(SpiceProtocolException.class, () -> ClipboardGrab.decode(new byte[6], true, true),
                "serial cut short");
        assertThrows(SpiceProtocolException.class, () -> ClipboardRequest.decode(new byte[9], true),
                "trailing bytes");
        assertThrows(SpiceProtocolException.class, () -> ClipboardRelease.decode(new byte[2], true));
    }

    @Test
    void smallFixedMessages() {
        assertEquals("02000000" + "01000000", hex(new Reply(AgentMessages.MONITORS_CONFIG, AgentMessages.SUCCESS)
                .encode()));
        assertEquals(new Reply(5, 2), Reply.decode(new Reply(5, 2).encode()));
        DisplayConfig d = new DisplayConfig(DisplayConfig.DISABLE_WALLPAPER | DisplayConfig.SET_COLOR_DEPTH, 32);
        assertEquals("09000000" + "20000000", hex(d.encode()));
        assertEquals(d, DisplayConfig.decode(d.encode()));
        MouseState m = new MouseState(10, 20, 2, 1);
        assertEquals(13, m.encode().length);
        assertEquals(m, MouseState.decode(m.encode()));
        assertEquals("ffffffff", hex(new MaxClipboard(-1).encode()));
        assertEquals(104857600, MaxClipboard.decode(hex("00004006")).max());
        assertThrows(SpiceProtocolException.class, () -> Reply.decode(new byte[7]));
        assertThrows(SpiceProtocolException.class, () -> MouseState.decode(new byte[12]));
    }

    @Test
    void fileTransferStartIsAGlibKeyFile() {
        FileXferStart s = new FileXferStart(1, " my file\\.txt", 12345);
        byte[] b = s.encode();
        String text = new String(b, 4, b.length - 5, StandardCharsets.UTF_8);
        assertEquals("[vdagent-file-xfer]\nname=\\smy file\\\\.txt\nsize=12345\n", text);
        assertEquals(0, b[b.length - 1]);
        assertEquals(s, FileXferStart.decode(b));
        // as spice-gtk's g_key_file_to_data writes it
        byte[] gtk = concat(hex("07000000"), "[vdagent-file-xfer]\nname=photo.png\nsize=4096\n\0"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(new FileXferStart(7, "photo.png", 4096), FileXferStart.decode(gtk));
        // comments, other groups and localized keys are skipped
        byte[] other = concat(hex("08000000"), ("# c\n[other]\nname=x\n[vdagent-file-xfer]\nname[fr]=y\nname=z\n"
                + "size=1\n\0").getBytes(StandardCharsets.UTF_8));
        assertEquals(new FileXferStart(8, "z", 1), FileXferStart.decode(other));
    }

    @Test
    void fileTransferBadInput() {
        assertThrows(SpiceProtocolException.class, () -> FileXferStart.decode(concat(hex("01000000"),
                "[vdagent-file-xfer]\nname=a\n\0".getBytes(StandardCharsets.UTF_8))), "no size");
        assertThrows(SpiceProtocolException.class, () -> FileXferStart.decode(concat(hex("01000000"),
                "[vdagent-file-xfer]\nname=a\nsize=-3\n\0".getBytes(StandardCharsets.UTF_8))));
        assertThrows(SpiceProtocolException.class, () -> FileXferStart.decode(concat(hex("01000000"),
                "[vdagent-file-xfer]\nname=a\\q\nsize=3\n\0".getBytes(StandardCharsets.UTF_8))), "bad escape");
        assertThrows(SpiceProtocolException.class, () -> FileXferStart.decode(new byte[70_000]));
        FileXferData d = new FileXferData(3, new byte[] {1, 2, 3});
        assertEquals("03000000" + "0300000000000000" + "010203", hex(d.encode()));
        assertArrayEquals(new byte[] {1, 2, 3}, FileXferData.decode(d.encode()).data());
        assertThrows(SpiceProtocolException.class, () -> FileXferData.decode(hex("03000000 0400000000000000 010203")),
                "size says 4, 3 present");
        assertThrows(SpiceProtocolException.class, () -> FileXferData.decode(hex("03000000 ffffffffffffffff")));
    }

    @Test
    void fileTransferStatusWithDetails() {
        assertEquals("05000000" + "03000000", hex(FileXferStatus.of(5, AgentMessages.XFER_SUCCESS).encode()));
        assertEquals("05000000" + "02000000" + "00" + "0a000000", hex(FileXferStatus.ioError(5,
                AgentMessages.G_IO_ERROR_INVALID_FILENAME).encode()));
        FileXferStatus s = FileXferStatus.decode(FileXferStatus.notEnoughSpace(6, 1L << 40).encode());
        assertEquals(AgentMessages.XFER_NOT_ENOUGH_SPACE, s.result());
        assertEquals(8, s.detail().length);
        assertThrows(SpiceProtocolException.class, () -> FileXferStatus.decode(new byte[7]));
    }

    @Test
    void names() {
        assertEquals("clipboard_grab", AgentMessages.name(AgentMessages.CLIPBOARD_GRAB));
        assertEquals("type 99", AgentMessages.name(99));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
