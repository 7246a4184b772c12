package org.spice.inputs.internal;

import org.spice.inputs.internal.wire.InputsMessages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spice.desktop.KeyEvent;
import org.spice.protocol.LeakCheck;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.wire.SpiceMessage;

/** The inputs messages' bytes, round trips, spice-gtk's key codes, and what a lying peer may send. */
@ExtendWith(LeakCheck.class)
class InputsMessagesTest {

    private static String hex(SpiceMessage m) {
        ByteBuf b = Unpooled.buffer();
        try {
            m.encode(b);
            return ByteBufUtil.hexDump(b);
        } finally {
            b.release();
        }
    }

    private static <T extends SpiceMessage> T roundTrip(T m, Function<ByteBuf, T> decode) {
        ByteBuf b = Unpooled.buffer();
        try {
            m.encode(b);
            T back = decode.apply(b);
            assertFalse(b.isReadable());
            return back;
        } finally {
            b.release();
        }
    }

    private static void refused(String hex, Function<ByteBuf, ?> decode, String why) {
        ByteBuf b = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
        try {
            SpiceProtocolException e = assertThrows(SpiceProtocolException.class, () -> decode.apply(b));
            assertTrue(e.getMessage().contains(why), e.getMessage());
        } finally {
            b.release();
        }
    }

    @Test
    void bytesAreAsSpiceProtoLaysThemOut() {
        assertEquals("0500", hex(new InputsMessages.Init(5)));
        assertEquals("0400", hex(InputsMessages.KeyModifiers.client(4)));
        assertEquals("e0480000", hex(new InputsMessages.Key(InputsMessages.C_KEY_DOWN, 0x48e0)));
        assertEquals("fbffffff050000000300", hex(new InputsMessages.MouseMotion(-5, 5, 3)));
        assertEquals("0004000000030000010002", hex(new InputsMessages.MousePosition(1024, 768, 1, 2)));
        assertEquals("030400", hex(new InputsMessages.MouseButton(InputsMessages.C_MOUSE_PRESS, 3, 4)));
        assertEquals("", hex(InputsMessages.MOTION_ACK));
    }

    @Test
    void everyMessageRoundTrips() {
        assertEquals(new InputsMessages.Init(7), roundTrip(new InputsMessages.Init(7), InputsMessages.Init::decode));
        assertEquals(InputsMessages.KeyModifiers.server(2), roundTrip(InputsMessages.KeyModifiers.server(2),
                b -> InputsMessages.KeyModifiers.decode(InputsMessages.KEY_MODIFIERS, b)));
        InputsMessages.Key up = new InputsMessages.Key(InputsMessages.C_KEY_UP, 0xc8e0);
        assertEquals(up, roundTrip(up, b -> InputsMessages.Key.decode(InputsMessages.C_KEY_UP, b)));
        assertArrayEquals(new byte[] {1, 2, 3}, roundTrip(new InputsMessages.KeyScancode(new byte[] {1, 2, 3}),
                InputsMessages.KeyScancode::decode).data());
        InputsMessages.MouseMotion mm = new InputsMessages.MouseMotion(Integer.MIN_VALUE, Integer.MAX_VALUE, 0xffff);
        assertEquals(mm, roundTrip(mm, InputsMessages.MouseMotion::decode));
        InputsMessages.MousePosition mp = new InputsMessages.MousePosition(0xffffffffL, 0, 7, 255);
        assertEquals(mp, roundTrip(mp, InputsMessages.MousePosition::decode));
        InputsMessages.MouseButton rel = new InputsMessages.MouseButton(InputsMessages.C_MOUSE_RELEASE, 5, 0);
        assertEquals(rel, roundTrip(rel, b -> InputsMessages.MouseButton.decode(InputsMessages.C_MOUSE_RELEASE, b)));
    }

    /** spice_make_scancode in spice-gtk: the release bit, and E0-prefixed keys as prefix byte then code byte. */
    @Test
    void keyCodesAreSpiceGtks() {
        assertEquals(0x1e, InputsMessages.keyCode(0x1e, false));
        assertEquals(0x9e, InputsMessages.keyCode(0x1e, true));
        assertEquals(0x48e0, InputsMessages.keyCode(0x148, false));
        assertEquals(0xc8e0, InputsMessages.keyCode(0x148, true));
        assertEquals(0x1de1, InputsMessages.keyCode(0x21d, false));
        assertArrayEquals(new byte[] {(byte) 0xe0, (byte) 0xc8},
                new InputsMessages.Key(InputsMessages.C_KEY_UP, 0xc8e0).bytes());
        assertArrayEquals(new byte[] {0x1e}, new InputsMessages.Key(InputsMessages.C_KEY_DOWN, 0x1e).bytes());
        // the first zero byte ends the code, as in spice-server
        assertArrayEquals(new byte[] {0x1e}, new InputsMessages.Key(InputsMessages.C_KEY_DOWN, 0x30001eL).bytes());
        assertArrayEquals(new byte[0], new InputsMessages.Key(InputsMessages.C_KEY_DOWN, 0).bytes());
    }

    @Test
    void scancodeBytesBecomeKeyEvents() {
        ScancodeParser p = new ScancodeParser(9);
        List<KeyEvent> out = new ArrayList<>();
        for (int b : new int[] {0x2a, 0x23, 0xa3, 0xaa, 0xe0, 0x48, 0xe0, 0xc8, 0x00, 0xe0}) {
            KeyEvent e = p.feed(b);
            if (e != null) {
                out.add(e);
            }
        }
        assertEquals(List.of(new KeyEvent(9, 0x2a, true), new KeyEvent(9, 0x23, true), new KeyEvent(9, 0x23, false),
                new KeyEvent(9, 0x2a, false), new KeyEvent(9, 0x148, true), new KeyEvent(9, 0x148, false)), out);
        assertTrue(out.get(4).extended());
        assertEquals(0x48, out.get(4).scancode());
        assertEquals("0xe0 0xc8", out.get(5).bytes());
        // the trailing E0 prefixes the next message's first byte
        assertEquals(new KeyEvent(9, 0x150, true), p.feed(0x50));
        assertNull(p.feed(0x00));
    }

    @Test
    void lyingMessagesAreRefused() {
        refused("", InputsMessages.Init::decode, "truncated");
        refused("010000", InputsMessages.Init::decode, "trailing");
        refused("1e00", b -> InputsMessages.Key.decode(InputsMessages.C_KEY_DOWN, b), "key_down: truncated");
        refused("1e0000000000", b -> InputsMessages.Key.decode(InputsMessages.C_KEY_UP, b), "trailing");
        refused("0100000002000000", InputsMessages.MouseMotion::decode, "mouse_motion: truncated");
        refused("00040000000300000100", InputsMessages.MousePosition::decode, "mouse_position: truncated");
        refused("000400000003000001000200", InputsMessages.MousePosition::decode, "trailing");
        refused("01", b -> InputsMessages.MouseButton.decode(InputsMessages.C_MOUSE_PRESS, b),
                "mouse_press: truncated");
        refused("01000000", b -> InputsMessages.MouseButton.decode(InputsMessages.C_MOUSE_RELEASE, b), "trailing");
        refused("01", b -> InputsMessages.KeyModifiers.decode(InputsMessages.C_KEY_MODIFIERS, b), "truncated");
        ByteBuf big = Unpooled.buffer().writeZero(InputsMessages.MAX_SCANCODE_BYTES + 1);
        try {
            assertThrows(SpiceProtocolException.class, () -> InputsMessages.KeyScancode.decode(big));
        } finally {
            big.release();
        }
    }
}
