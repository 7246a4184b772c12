package org.spice.display.internal.client;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;
import org.spice.display.internal.wire.DisplayMessages;

/**
 * Seeds for the display fuzz test that this package's message builder writes best (the codec package's
 * FuzzSeedWriter calls it): composites through pixman's 8-bit and float operators with a8, component-alpha and
 * transformed sources, and dashed strokes.
 */
public final class DrawSeeds {
    private static final int XOR = DisplayMessages.ROPD_OP_XOR;
    private static final int PATH_LINE = DrawParser.PATH_BEGIN | DrawParser.PATH_END;

    private DrawSeeds() {
    }

    private static void message(ByteArrayOutputStream out, int type, Msg m) {
        ByteBuf b = m.done();
        try {
            out.write(type);
            out.write(type >> 8);
            int n = b.readableBytes();
            for (int i = 0; i < 4; i++) {
                out.write(n >>> 8 * i);
            }
            byte[] body = new byte[n];
            b.readBytes(body);
            out.writeBytes(body);
        } finally {
            b.release();
        }
    }

    /** draw_composite over 4x1 at (0,0): flags, source, optional mask and source transform, origins 0. */
    private static Msg composite(int flags, Consumer<ByteBuf> src, Consumer<ByteBuf> mask, int[] transform) {
        Msg m = new Msg().base(0, 0, 4, 1).u32(flags).ptr(src);
        if (mask != null) {
            m.ptr(mask);
        }
        if (transform != null) {
            for (int t : transform) {
                m.u32(t);
            }
        }
        return m.u16(0).u16(0).u16(0).u16(0);
    }

    private static Consumer<ByteBuf> polyline(int... xy) {
        return out -> {
            out.writeIntLE(1).writeByte(PATH_LINE).writeIntLE(xy.length / 2);
            for (int v : xy) {
                out.writeIntLE(v << 4);
            }
        };
    }

    private static Consumer<ByteBuf> lengths(int... px) {
        return out -> {
            for (int v : px) {
                out.writeIntLE(v << 4);
            }
        };
    }

    /** [type u16 LE][size u32 LE][body] messages on a 64x48 ARGB surface. */
    public static byte[] compositesAndDashedStrokes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message(out, DisplayMessages.SURFACE_CREATE, new Msg().u32(0).u32(64).u32(48)
                .u32(DisplayMessages.SURFACE_FMT_32_ARGB).u32(1));
        message(out, DisplayMessages.DRAW_FILL, new Msg().base(0, 0, 64, 48).solid(0x80406080)
                .u16(DisplayMessages.ROPD_OP_PUT).noMask());
        Consumer<ByteBuf> src = Msg.bitmap(4, 1, true, 0x80402010, 0xff00ff00, 0x00000000, 0x40404040);
        // MULTIPLY (8-bit), HSL_HUE through an a8 mask and SOFT_LIGHT (floats), DISJOINT_OVER
        message(out, DisplayMessages.DRAW_COMPOSITE, composite(0x30, src, null, null));
        message(out, DisplayMessages.DRAW_COMPOSITE, composite(0x3b | DrawParser.COMPOSITE_HAS_MASK, src,
                DrawOpsTest.a8(0x80, 0xff, 0x00, 0x10), null));
        message(out, DisplayMessages.DRAW_COMPOSITE, composite(0x13, src, null, null));
        // OVER through a component-alpha mask
        message(out, DisplayMessages.DRAW_COMPOSITE, composite(3 | DrawParser.COMPOSITE_HAS_MASK
                | DrawParser.COMPOSITE_COMPONENT_ALPHA, src, Msg.bitmap(4, 1, true, 0x80ff8000, 0xffffffff, 0x10203040,
                0), null));
        // SOFT_LIGHT of a scaled source, bilinear (4 << 8), padded (2 << 14)
        message(out, DisplayMessages.DRAW_COMPOSITE, composite(0x38 | 4 << 8 | 2 << 14
                | DrawParser.COMPOSITE_HAS_SRC_TRANSFORM, src, null, new int[] {0xb333, 0, -0x2000, 0, 0xb333, 0x1800}));
        // dashed strokes: 3 on 2 off along a polyline; then starting with a gap, XOR, an odd list
        message(out, DisplayMessages.DRAW_STROKE, new Msg().base(0, 0, 64, 48).ptr(polyline(2, 2, 60, 2, 60, 40, 5, 30))
                .u8(DrawParser.LINE_STYLED).u8(2).ptr(lengths(3, 2)).solid(0xffffff).u16(DisplayMessages.ROPD_OP_PUT)
                .u16(DisplayMessages.ROPD_OP_PUT));
        message(out, DisplayMessages.DRAW_STROKE, new Msg().base(0, 0, 64, 48).ptr(polyline(0, 47, 63, 0))
                .u8(DrawParser.LINE_STYLED | DrawParser.LINE_START_WITH_GAP).u8(3).ptr(lengths(1, 1, 2)).solid(0xff00ff)
                .u16(XOR).u16(DisplayMessages.ROPD_OP_PUT));
        return out.toByteArray();
    }
}
