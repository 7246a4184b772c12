package org.spice.video.internal;

import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.nio.ByteOrder;
import java.nio.IntBuffer;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.spice.display.video.VideoCodecException;

/** Converts decoded frames (YUV in whatever layout the decoder gives) to 0xAARRGGBB ints with libswscale. */
final class Rgb implements AutoCloseable {
    private SwsContext sws;
    private BytePointer out;
    private long outBytes;

    /** The frame's pixels, in {@code into} when that holds exactly as many, else in a new array. */
    int[] convert(AVFrame f, int[] into) {
        int w = f.width();
        int h = f.height();
        sws = sws_getCachedContext(sws, w, h, f.format(), w, h, avutil.AV_PIX_FMT_BGRA, SWS_BILINEAR, null, null,
                (DoublePointer) null);
        if (sws == null) {
            throw new VideoCodecException("no conversion from pixel format " + f.format() + " at " + w + "x" + h);
        }
        // libswscale's converters write whole blocks of pixels, past the end of a row whose width is not a multiple
        // of the block: the destination gets a 64-byte aligned stride and spare rows. A buffer of exactly 4*w*h bytes
        // was overrun by a 56x48 VP9 picture and glibc aborted the JVM (VideoFuzzTest's first finding).
        int stride = (4 * w + 63) & ~63;
        long bytes = (long) stride * (h + 2);
        if (out == null || outBytes < bytes) {
            if (out != null) {
                out.close();
            }
            out = new BytePointer(bytes);
            outBytes = bytes;
        }
        try (PointerPointer<BytePointer> dst = new PointerPointer<>(out, null, null, null);
                IntPointer strides = new IntPointer(stride, 0, 0, 0)) {
            int rows = sws_scale(sws, f.data(), f.linesize(), 0, h, dst, strides);
            if (rows != h) {
                throw new VideoCodecException("conversion gave " + rows + " of " + h + " rows");
            }
        }
        int[] px = into != null && into.length == w * h ? into : new int[w * h];
        IntBuffer pixels = out.position(0).limit(bytes).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        for (int y = 0; y < h; y++) {
            pixels.position(y * (stride / 4));
            pixels.get(px, y * w, w);
        }
        return px;
    }

    @Override
    public void close() {
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
