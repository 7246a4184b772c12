package org.spice.display.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import org.spice.protocol.SpiceProtocolException;

/**
 * The QUIC bit stream: a sequence of 32-bit words stored little-endian, each read from its most significant bit
 * down. {@link #window} always holds the next 32 bits of the stream; {@link #skip} consumes bits from its top.
 *
 * <p>The window may never reach past the last whole word of the input: a stream from a real encoder ends with a
 * zero word after its last data bit, so a decoder that needs more than that is reading garbage and fails with a
 * {@link SpiceProtocolException}. Trailing bytes that do not fill a word are ignored, as the reference decoder
 * does.
 */
final class QuicBitReader {
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.LITTLE_ENDIAN);

    private final byte[] data;
    private final int offset;
    private final int words;
    /** Index of the word holding the top bit of the window. */
    private int index;
    /** Bits of word {@code index} already consumed, 0..31. */
    private int used;
    private int current;
    private int next;
    /** The next 32 bits of the stream, first bit in bit 31. */
    int window;

    /** The caller has checked that {@code [offset, offset + length)} lies within {@code data}. */
    QuicBitReader(byte[] data, int offset, int length) {
        this.data = data;
        this.offset = offset;
        this.words = length >>> 2;
        if (words == 0) {
            throw new SpiceProtocolException("QUIC data truncated: " + length + " bytes, not even one 32-bit word");
        }
        current = word(0);
        next = words > 1 ? word(1) : 0;
        window = current;
    }

    int wordCount() {
        return words;
    }

    /** Consumes {@code n} bits, 1 to 31. */
    void skip(int n) {
        int u = used + n;
        if (u >= 32) {
            u -= 32;
            index++;
            current = next;
            next = index + 1 < words ? word(index + 1) : 0;
        }
        used = u;
        if (u == 0) {
            if (index >= words) {
                throw truncated();
            }
            window = current;
        } else {
            if (index + 1 >= words) {
                throw truncated();
            }
            window = (current << u) | (next >>> (32 - u));
        }
    }

    /** Returns the next 32 bits as one value and consumes them. */
    int readWord() {
        int value = window;
        skip(16);
        skip(16);
        return value;
    }

    private int word(int i) {
        return (int) LE_INT.get(data, offset + 4 * i);
    }

    private SpiceProtocolException truncated() {
        return new SpiceProtocolException("QUIC data truncated: the image needs more than its " + words
                + " words of data");
    }
}
