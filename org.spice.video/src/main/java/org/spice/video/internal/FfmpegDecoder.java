package org.spice.video.internal;

import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.spice.display.video.VideoCodec;
import org.spice.display.video.VideoCodecException;
import org.spice.display.video.VideoDecoder;
import org.spice.display.video.VideoPicture;

/**
 * One stream's FFmpeg decoder: each STREAM_DATA frame is one packet; the pictures come out in BGRA (which read as
 * little-endian ints are 0xAARRGGBB). One thread and low-delay mode, so that each packet's picture comes out of the
 * decoder at once instead of frames later.
 */
final class FfmpegDecoder implements VideoDecoder {
    /** The largest frame side and area a stream may have, as the display's image limits. */
    static final int MAX_SIDE = 16384;
    static final long MAX_PIXELS = 8192L * 8192L;
    /** A frame of more than this is refused before it reaches FFmpeg. */
    static final int MAX_FRAME_BYTES = 64 << 20;

    private final VideoCodec codec;
    private AVCodecContext ctx;
    private AVPacket packet;
    private AVFrame frame;
    private final Rgb rgb = new Rgb();

    FfmpegDecoder(VideoCodec codec) {
        this.codec = codec;
        Integer id = Ffmpeg.DECODER_IDS.get(codec);
        AVCodec c = id == null ? null : avcodec_find_decoder(id);
        if (c == null) {
            throw new VideoCodecException("FFmpeg has no " + codec + " decoder");
        }
        ctx = avcodec_alloc_context3(c);
        if (ctx == null) {
            throw new VideoCodecException("cannot allocate a " + codec + " decoder");
        }
        ctx.thread_count(1);
        ctx.flags(ctx.flags() | avcodec.AV_CODEC_FLAG_LOW_DELAY);
        ctx.max_pixels(MAX_PIXELS);
        int r = avcodec_open2(ctx, c, (AVDictionary) null);
        if (r < 0) {
            close();
            throw new VideoCodecException("cannot open the " + codec + " decoder: " + Ffmpeg.error(r));
        }
        packet = av_packet_alloc();
        frame = av_frame_alloc();
        if (packet == null || frame == null) {
            close();
            throw new VideoCodecException("cannot allocate a " + codec + " packet or frame");
        }
    }

    @Override
    public VideoPicture decode(byte[] data) {
        return decode(data, null);
    }

    /** As {@link #decode(byte[])}, into {@code into} when it holds exactly the picture's pixels. */
    @Override
    public VideoPicture decode(byte[] data, int[] into) {
        if (ctx == null) {
            throw new VideoCodecException(codec + " decoder is closed");
        }
        if (data.length == 0 || data.length > MAX_FRAME_BYTES) {
            throw new VideoCodecException(codec + " frame of " + data.length + " bytes");
        }
        int r = av_new_packet(packet, data.length); // zeroes the padding FFmpeg's bit readers may read past the end
        if (r < 0) {
            throw new VideoCodecException("cannot allocate a packet of " + data.length + " bytes");
        }
        packet.data().put(data);
        r = avcodec_send_packet(ctx, packet);
        avcodec.av_packet_unref(packet);
        if (r < 0 && r != AVERROR_EAGAIN()) {
            throw new VideoCodecException("bad " + codec + " frame: " + Ffmpeg.error(r));
        }
        VideoPicture last = null;
        while (true) {
            r = avcodec_receive_frame(ctx, frame);
            if (r == AVERROR_EAGAIN() || r == AVERROR_EOF()) {
                return last;
            }
            if (r < 0) {
                throw new VideoCodecException("bad " + codec + " frame: " + Ffmpeg.error(r));
            }
            int w = frame.width();
            int h = frame.height();
            if (w <= 0 || h <= 0 || w > MAX_SIDE || h > MAX_SIDE || (long) w * h > MAX_PIXELS) {
                throw new VideoCodecException(codec + " frame of " + w + "x" + h + " is outside the limits");
            }
            // a packet that gives two pictures returns the last: both may go into the same array
            last = new VideoPicture(w, h, rgb.convert(frame, into));
            org.bytedeco.ffmpeg.global.avutil.av_frame_unref(frame);
        }
    }

    @Override
    public void close() {
        if (frame != null) {
            av_frame_free(frame);
            frame = null;
        }
        if (packet != null) {
            av_packet_free(packet);
            packet = null;
        }
        if (ctx != null) {
            avcodec_free_context(ctx);
            ctx = null;
        }
        rgb.close();
    }
}
