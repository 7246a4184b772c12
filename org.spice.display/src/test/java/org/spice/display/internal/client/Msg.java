package org.spice.display.internal.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds a display message body for tests: fields in order, and pointers (u32 offsets from the body's start) whose
 * data is appended after the fixed part when the body is {@link #done}.
 */
final class Msg {
    private final ByteBuf b = Unpooled.buffer();
    private final List<Integer> at = new ArrayList<>();
    private final List<Consumer<ByteBuf>> data = new ArrayList<>();

    Msg u8(int v) {
        b.writeByte(v);
        return this;
    }

    Msg u16(int v) {
        b.writeShortLE(v);
        return this;
    }

    Msg u32(long v) {
        b.writeIntLE((int) v);
        return this;
    }

    /** A DisplayBase on surface 0: box left,top,right,bottom and no clip. */
    Msg base(int left, int top, int right, int bottom) {
        return rect(left, top, right, bottom).u8(0);
    }

    /** A DisplayBase with clip rectangles, each {left, top, right, bottom}. */
    Msg base(int left, int top, int right, int bottom, int[]... clip) {
        rect(left, top, right, bottom).u8(1).u32(clip.length);
        for (int[] c : clip) {
            rect(c[0], c[1], c[2], c[3]);
        }
        return this;
    }

    /** spice.proto Rect: top, left, bottom, right. */
    Msg rect(int left, int top, int right, int bottom) {
        if (b.writerIndex() == 0) {
            b.writeIntLE(0); // DisplayBase surface id
        }
        b.writeIntLE(top).writeIntLE(left).writeIntLE(bottom).writeIntLE(right);
        return this;
    }

    /** A src_area or back_area rect (not the first field). */
    Msg area(int left, int top, int right, int bottom) {
        b.writeIntLE(top).writeIntLE(left).writeIntLE(bottom).writeIntLE(right);
        return this;
    }

    Msg ptr(Consumer<ByteBuf> target) {
        at.add(b.writerIndex());
        data.add(target);
        b.writeIntLE(0);
        return this;
    }

    Msg nullPtr() {
        return u32(0);
    }

    Msg solid(int rgb) {
        return u8(1).u32(rgb);
    }

    Msg noBrush() {
        return u8(0);
    }

    Msg pattern(Consumer<ByteBuf> image, int x, int y) {
        return u8(2).ptr(image).u32(x).u32(y);
    }

    Msg noMask() {
        return u8(0).u32(0).u32(0).u32(0);
    }

    Msg mask(int flags, int x, int y, Consumer<ByteBuf> image) {
        return u8(flags).u32(x).u32(y).ptr(image);
    }

    ByteBuf done() {
        for (int i = 0; i < at.size(); i++) {
            b.setIntLE(at.get(i), b.writerIndex());
            data.get(i).accept(b);
        }
        return b;
    }

    /** A top-down 32-bit bitmap image (format 32BIT, or RGBA when {@code alpha}) of w x h pixels. */
    static Consumer<ByteBuf> bitmap(int w, int h, boolean alpha, int... argb) {
        return out -> {
            out.writeLongLE(0).writeByte(0).writeByte(0).writeIntLE(w).writeIntLE(h);
            out.writeByte(alpha ? 9 : 8).writeByte(4).writeIntLE(w).writeIntLE(h).writeIntLE(4 * w).writeIntLE(0);
            for (int p : argb) {
                out.writeIntLE(p);
            }
        };
    }

    static Consumer<ByteBuf> bitmap(int w, int h, int... rgb) {
        return bitmap(w, h, false, rgb);
    }

    /** A 1-bit bitmap: format 1 (LE) or 2 (BE), rows of {@code stride} bytes as given, top-down or bottom-up. */
    static Consumer<ByteBuf> bits(int format, boolean topDown, int w, int h, int stride, int... bytes) {
        return out -> {
            out.writeLongLE(0).writeByte(0).writeByte(0).writeIntLE(w).writeIntLE(h);
            out.writeByte(format).writeByte(topDown ? 4 : 0).writeIntLE(w).writeIntLE(h).writeIntLE(stride)
                    .writeIntLE(0);
            for (int v : bytes) {
                out.writeByte(v);
            }
        };
    }
}
