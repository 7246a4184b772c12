package org.spice.display.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import org.spice.protocol.SpiceProtocolException;

/**
 * The QUIC bit stream: a sequence of 32-bit words stored little-endian, each read from its most significant bit
 * down. {@link #window} returns the next 32 bits of the stream; {@link #skip} consumes bits from its top.
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
    final int words;
    /** Index of the next word to load into {@link #buffer}. */
    private int nextWord;
    /** The next {@link #count} bits of the stream, first bit in bit 63; the bits below them are zero. */
    private long buffer;
    /** Bits held in {@link #buffer}, 32 to 64 between calls. */
    private int count;

    /** The caller has checked that {@code [offset, offset + length)} lies within {@code data}. */
    QuicBitReader(byte[] data, int offset, int length) {
        this.data = data;
        this.offset = offset;
        this.words = length >>> 2;
        if (words == 0) {
            throw new SpiceProtocolException("QUIC data truncated: " + length + " bytes, not even one 32-bit word");
        }
        buffer = (long) word(0) << 32;
        count = 32;
        nextWord = 1;
    }

    int wordCount() {
        return words;
    }

    /** The next 32 bits of the stream, first bit in bit 31. */
    int window() {
        return (int) (buffer >>> 32);
    }

    /** Consumes {@code n} bits, 1 to 31. */
    void skip(int n) {
        buffer <<= n;
        int c = count - n;
        if (c < 32) {
            if (nextWord == words) {
                throw truncated();
            }
            buffer |= (word(nextWord++) & 0xffffffffL) << (32 - c);
            c += 32;
        }
        count = c;
    }

    /** Bits consumed so far. */
    long position() {
        return ((long) nextWord << 5) - count;
    }

    /** Makes {@code position} (at or after the current one) the next bit to read, as {@link #skip} would. */
    void seek(long position) {
        int word = (int) (position >>> 5);
        int shift = (int) position & 31;
        if (((long) words << 5) - position < 32) {
            throw truncated();
        }
        if (word + 1 < words) {
            buffer = ((long) word(word) << 32 | word(word + 1) & 0xffffffffL) << shift;
            count = 64 - shift;
            nextWord = word + 2;
        } else {
            buffer = (long) word(word) << 32;
            count = 32;
            nextWord = word + 1;
        }
    }

    /**
     * The 64 bits of the stream from bit {@code shift} of word {@code word}, first in bit 63; words {@code word} to
     * {@code word + 2} must be in the stream. (A shift of 0 takes nothing of the third: a long shifted by 32.)
     */
    long window64(int word, int shift) {
        return ((long) word(word) << 32 | word(word + 1) & 0xffffffffL) << shift
                | (word(word + 2) & 0xffffffffL) >>> (32 - shift);
    }

    private int word(int i) {
        return (int) LE_INT.get(data, offset + 4 * i);
    }

    private SpiceProtocolException truncated() {
        return new SpiceProtocolException("QUIC data truncated: the image needs more than its " + words
                + " words of data");
    }
}
