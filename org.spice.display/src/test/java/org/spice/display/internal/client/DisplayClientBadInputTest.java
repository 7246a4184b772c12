package org.spice.display.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spice.display.internal.wire.DisplayMessages;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.FakeChannelContext;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.wire.SpiceMessage;

/** Draw messages that lie, fed straight to the client's display channel. */
class DisplayClientBadInputTest {
    private final List<ByteBuf> buffers = new ArrayList<>();
    private final FakeChannelContext.Client context = FakeChannelContext.client(ChannelType.DISPLAY, Capabilities.NONE);
    private final DisplayClientChannel display = new DisplayClientChannel(context, new org.spice.display.internal.codec.GlzWindow(1 << 20));

    @AfterEach
    void release() {
        buffers.forEach(ByteBuf::release);
    }

    private void feed(int type, Consumer<ByteBuf> body) {
        ByteBuf b = Unpooled.buffer();
        buffers.add(b);
        body.accept(b);
        display.onMessage(type, b);
    }

    private void primary(int w, int h) {
        feed(DisplayMessages.SURFACE_CREATE, b -> new DisplayMessages.SurfaceCreate(0, w, h, 32, 1).encode(b));
    }

    /** draw_copy header up to the image: box, no clip, image at offset 57, OP_PUT, no mask. */
    private static void copyHead(ByteBuf b, int w, int h, long imageOffset) {
        b.writeIntLE(0).writeIntLE(0).writeIntLE(0).writeIntLE(h).writeIntLE(w).writeByte(0);
        b.writeIntLE((int) imageOffset).writeIntLE(0).writeIntLE(0).writeIntLE(h).writeIntLE(w);
        b.writeShortLE(DisplayMessages.ROPD_OP_PUT).writeByte(0).writeByte(0).writeLongLE(0).writeIntLE(0);
    }

    /** draw_copy of a 2x1 32-bit bitmap (0x112233, 0x445566) to the box at (3,2). */
    private void drawTwoPixelsAt3x2() {
        feed(DisplayMessages.DRAW_COPY, b -> {
            b.writeIntLE(0).writeIntLE(2).writeIntLE(3).writeIntLE(3).writeIntLE(5).writeByte(0);
            b.writeIntLE(57).writeIntLE(0).writeIntLE(0).writeIntLE(1).writeIntLE(2);
            b.writeShortLE(DisplayMessages.ROPD_OP_PUT).writeByte(0).writeByte(0).writeLongLE(0).writeIntLE(0);
            b.writeLongLE(0).writeByte(0).writeByte(0).writeIntLE(2).writeIntLE(1);
            b.writeByte(8).writeByte(4).writeIntLE(2).writeIntLE(1).writeIntLE(8).writeIntLE(0);
            b.writeIntLE(0x112233).writeIntLE(0x445566);
        });
    }

    /** draw_copy of GLZ_RGB image {@code id}, w x h, at (0,0). */
    private void drawGlz(long id, int w, int h, byte[] glz) {
        feed(DisplayMessages.DRAW_COPY, b -> {
            copyHead(b, w, h, 57);
            b.writeLongLE(id).writeByte(102).writeByte(0).writeIntLE(w).writeIntLE(h).writeIntLE(glz.length)
                    .writeBytes(glz);
        });
    }

    @Test
    void theClientAnnouncesItsCaches() {
        assertEquals(DisplayMessages.C_INIT, context.sent.get(0).type());
    }

    /** The session's preferred compression (spice-gtk's session property) goes out after init, if the server can. */
    @Test
    void theSessionsPreferredCompressionIsAskedFor() {
        ClientOptions lz4 = ClientOptions.defaults().withPreferredCompression("lz4");
        FakeChannelContext.Client able = FakeChannelContext.client(ChannelType.DISPLAY,
                Capabilities.of(DisplayMessages.CAP_PREF_COMPRESSION), lz4);
        new DisplayClientChannel(able, new org.spice.display.internal.codec.GlzWindow(1 << 20));
        assertEquals(List.of(DisplayMessages.C_INIT, DisplayMessages.C_PREFERRED_COMPRESSION),
                able.sent.stream().map(SpiceMessage::type).toList());
        assertEquals(new DisplayMessages.PreferredCompression(7), able.sent.get(1));
        // a server without the capability, or a name that is not a compression: init only
        for (FakeChannelContext.Client c : List.of(FakeChannelContext.client(ChannelType.DISPLAY, Capabilities.NONE,
                lz4), FakeChannelContext.client(ChannelType.DISPLAY, Capabilities.of(DisplayMessages.CAP_PREF_COMPRESSION),
                ClientOptions.defaults().withPreferredCompression("zstd")))) {
            new DisplayClientChannel(c, new org.spice.display.internal.codec.GlzWindow(1 << 20));
            assertEquals(List.of(DisplayMessages.C_INIT), c.sent.stream().map(SpiceMessage::type).toList());
        }
    }

    @Test
    void aGiganticSurfaceIsRefused() {
        assertThrows(SpiceProtocolException.class, () -> primary(100_000, 100_000));
    }

    @Test
    void drawingOnAMissingSurfaceIsRefused() {
        assertThrows(SpiceProtocolException.class, () -> feed(DisplayMessages.DRAW_COPY, b -> copyHead(b, 4, 4, 57)));
    }

    @Test
    void anImageOffsetBeyondTheMessageIsRefused() {
        primary(16, 16);
        assertThrows(SpiceProtocolException.class, () -> feed(DisplayMessages.DRAW_COPY,
                b -> copyHead(b, 4, 4, 1 << 30)));
    }

    @Test
    void aBitmapWithMoreRowsThanBytesIsRefused() {
        primary(16, 16);
        assertThrows(SpiceProtocolException.class, () -> feed(DisplayMessages.DRAW_COPY, b -> {
            copyHead(b, 4, 4, 57);
            b.writeLongLE(0).writeByte(0).writeByte(0).writeIntLE(4).writeIntLE(4000);
            b.writeByte(8).writeByte(4).writeIntLE(4).writeIntLE(4000).writeIntLE(16).writeIntLE(0).writeZero(64);
        }));
    }

    @Test
    void anInvertedBoxIsRefused() {
        primary(16, 16);
        assertThrows(SpiceProtocolException.class, () -> feed(DisplayMessages.DRAW_FILL, b -> {
            b.writeIntLE(0).writeIntLE(10).writeIntLE(10).writeIntLE(0).writeIntLE(0).writeByte(0);
        }));
    }

    /**
     * INVAL_ALL_PIXMAPS empties the pixmap cache only: a GLZ image after it may still copy from one before it, as
     * spice-gtk keeps its GLZ window (the session's) then too.
     */
    @Test
    void invalidatingAllPixmapsKeepsTheGlzWindow() {
        primary(16, 16);
        byte[] first = org.spice.display.internal.codec.GlzPair.first();
        drawGlz(1, 12, 3, first);
        int[] row0 = java.util.Arrays.copyOf(display.primary().rgb(), 12);
        feed(DisplayMessages.INVAL_ALL_PIXMAPS, b -> b.writeByte(0));
        byte[] second = org.spice.display.internal.codec.GlzPair.copyingFromFirst();
        drawGlz(2, 4, 3, second);
        for (int i = 0; i < 12; i++) {
            assertEquals(row0[i], display.primary().rgb()[(i / 4) * 16 + i % 4], "pixel " + i);
        }
        assertEquals(List.of(), display.unsupported());
    }

    @Test
    void anImageTypeNotRenderedYetIsListedAndTheChannelGoesOn() {
        primary(16, 16);
        feed(DisplayMessages.DRAW_COPY, b -> {
            copyHead(b, 4, 4, 57);
            b.writeLongLE(0).writeByte(2).writeByte(0).writeIntLE(4).writeIntLE(4).writeIntLE(0);
        });
        assertEquals(List.of("image type unknown(2)"), display.unsupported());
        feed(DisplayMessages.MARK, b -> { });
        assertEquals(1, display.marks());
        assertTrue(display.primary() != null);
    }

    @Test
    void changeListenersHearWhereThePrimarySurfaceChanged() {
        List<org.spice.desktop.Rect> heard = new ArrayList<>();
        Consumer<org.spice.desktop.Rect> listener = heard::add;
        display.addChangeListener(listener);
        primary(8, 8);
        drawTwoPixelsAt3x2();
        assertEquals(List.of(new org.spice.desktop.Rect(0, 0, 8, 8), new org.spice.desktop.Rect(3, 2, 2, 1)),
                heard);
        display.removeChangeListener(listener);
        primary(4, 4);
        assertEquals(2, heard.size(), "a removed listener was called");
    }

    @Test
    void aBitmapDrawLandsAtItsBox() {
        primary(8, 8);
        drawTwoPixelsAt3x2();
        int[] px = display.primary().rgb();
        assertEquals(0xff112233, px[2 * 8 + 3]);
        assertEquals(0xff445566, px[2 * 8 + 4]);
        assertEquals(0xff000000, px[2 * 8 + 5]);
    }
}
