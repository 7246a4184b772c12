package org.spice.display.internal.client;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.spice.display.internal.wire.DisplayMessages;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.FakeChannelContext;
import org.spice.protocol.wire.SpiceMessage;

/** A client display channel fed messages directly, on a small primary surface. */
final class TestDisplay implements AutoCloseable {
    private final List<ByteBuf> buffers = new ArrayList<>();
    final FakeChannelContext.Client context = FakeChannelContext.client(ChannelType.DISPLAY, Capabilities.NONE);
    /** What the channel sent. */
    final List<SpiceMessage> sent = context.sent;
    final DisplayClientChannel display = new DisplayClientChannel(context,
            new org.spice.display.internal.codec.GlzWindow(1 << 20));
    final int width;

    /** A primary surface of w x h (format 32_xRGB), black. */
    TestDisplay(int w, int h) {
        this(w, h, DisplayMessages.SURFACE_FMT_32_XRGB);
    }

    TestDisplay(int w, int h, int format) {
        width = w;
        feed(DisplayMessages.SURFACE_CREATE, new Msg().u32(0).u32(w).u32(h).u32(format).u32(1).done());
    }

    void feed(int type, ByteBuf body) {
        buffers.add(body);
        display.onMessage(type, body);
    }

    void feed(int type, Msg m) {
        feed(type, m.done());
    }

    /** Fills the whole surface with one colour (a plain OP_PUT fill). */
    void paint(int rgb) {
        feed(DisplayMessages.DRAW_FILL, new Msg().base(0, 0, width, 1000).solid(rgb).u16(DisplayMessages.ROPD_OP_PUT)
                .noMask());
    }

    /** Pixel x,y of the primary surface as 0xRRGGBB (what a screenshot shows). */
    int rgb(int x, int y) {
        return display.primary().rgb()[y * width + x] & 0xffffff;
    }

    /** Pixel x,y as stored, with its top byte. */
    int argb(int x, int y) {
        return display.primary().rgb()[y * width + x];
    }

    /** The rows of the surface as 0xRRGGBB values, for comparing whole small surfaces. */
    int[] rgb() {
        int[] px = display.primary().rgb().clone();
        for (int i = 0; i < px.length; i++) {
            px[i] &= 0xffffff;
        }
        return px;
    }

    @Override
    public void close() {
        buffers.forEach(ByteBuf::release);
    }
}
