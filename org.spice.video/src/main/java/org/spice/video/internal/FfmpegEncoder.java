package org.spice.video.internal;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.spice.display.video.VideoCodec;
import org.spice.display.video.VideoCodecException;
import org.spice.display.video.VideoEncoder;

/**
 * One stream's FFmpeg encoder, set up for live streaming: no B-frames and no look-ahead (each frame's packet comes
 * out of the encoder at once), realtime speed, a key frame every few seconds. Frames of odd size are scaled to the
 * even size 4:2:0 needs; the client scales the picture to the stream's destination anyway.
 */
final class FfmpegEncoder implements VideoEncoder {
    private final VideoCodec codec;
    private final String name;
    private final int width;
    private final int height;
    private final int fps;
    private AVCodecContext ctx;
    private AVFrame frame;
    private AVPacket packet;
    private SwsContext sws;
    private BytePointer in;
    private long pts;
    /** The rate the codec context was opened with, and the one asked for since. */
    private long openedBitRate;
    private long wantedBitRate;
    /**
     * A rate this far (in percent) from the open one reopens the context: a server's quarter-down step always does,
     * its tenth-up steps every third time (each reopening costs a key frame).
     */
    static final int REOPEN_PERCENT = 25;

    FfmpegEncoder(VideoCodec codec, int width, int height, int fps, long bitsPerSecond) {
        this.codec = codec;
        this.width = width;
        this.height = height;
        this.fps = Math.max(1, Math.min(fps, 60));
        if (width < 2 || height < 2 || width > FfmpegDecoder.MAX_SIDE || height > FfmpegDecoder.MAX_SIDE) {
            throw new VideoCodecException(codec + " stream of " + width + "x" + height + " is outside the limits");
        }
        name = Ffmpeg.encoderName(codec);
        if (name == null || avcodec_find_encoder_by_name(name) == null) {
            throw new VideoCodecException("FFmpeg has no " + codec + " encoder");
        }
        openContext(bitsPerSecond);
        int w = width & ~1;
        int h = height & ~1;
        frame = av_frame_alloc();
        frame.format(avutil.AV_PIX_FMT_YUV420P).width(w).height(h);
        if (av_frame_get_buffer(frame, 0) < 0) {
            close();
            throw new VideoCodecException("cannot allocate a " + w + "x" + h + " frame");
        }
        packet = av_packet_alloc();
        sws = sws_getContext(width, height, avutil.AV_PIX_FMT_BGRA, w, h, avutil.AV_PIX_FMT_YUV420P, SWS_BILINEAR,
                null, null, (DoublePointer) null);
        in = new BytePointer(4L * width * height);
    }

    /** A new codec context at {@code bitsPerSecond}; its first frame is a key frame. */
    private void openContext(long bitsPerSecond) {
        AVCodec c = avcodec_find_encoder_by_name(name);
        ctx = avcodec_alloc_context3(c);
        int w = width & ~1;
        int h = height & ~1;
        ctx.width(w);
        ctx.height(h);
        ctx.pix_fmt(avutil.AV_PIX_FMT_YUV420P);
        ctx.time_base(new AVRational().num(1).den(this.fps));
        ctx.framerate(new AVRational().num(this.fps).den(1));
        ctx.bit_rate(bitsPerSecond);
        ctx.gop_size(this.fps * 4);
        ctx.max_b_frames(0);
        ctx.thread_count(1);
        AVDictionary opts = new AVDictionary(null);
        try {
            switch (name) {
                case "libx264" -> {
                    avutil.av_dict_set(opts, "preset", "ultrafast", 0);
                    avutil.av_dict_set(opts, "tune", "zerolatency", 0);
                }
                case "libopenh264" -> avutil.av_dict_set(opts, "allow_skip_frames", "0", 0);
                default -> { // libvpx, libvpx-vp9
                    avutil.av_dict_set(opts, "deadline", "realtime", 0);
                    avutil.av_dict_set(opts, "cpu-used", "8", 0);
                    avutil.av_dict_set(opts, "lag-in-frames", "0", 0);
                    // A key frame at most three average frames: a burst on a narrow link makes the frames after it
                    // late, and a client that drops them reports it (the rate then goes down for nothing).
                    avutil.av_dict_set(opts, "max-intra-rate", "300", 0);
                }
            }
            int r = avcodec_open2(ctx, c, opts);
            if (r < 0) {
                close();
                throw new VideoCodecException("cannot open " + name + " for " + w + "x" + h + ": "
                        + Ffmpeg.error(r));
            }
        } finally {
            avutil.av_dict_free(opts);
        }
        openedBitRate = bitsPerSecond;
        wantedBitRate = bitsPerSecond;
    }

    @Override
    public byte[] encode(int[] argb, int offset, int stride) {
        if (ctx == null) {
            throw new VideoCodecException(codec + " encoder is closed");
        }
        if (Math.abs(wantedBitRate - openedBitRate) * 100 >= openedBitRate * REOPEN_PERCENT) {
            avcodec_free_context(ctx);
            ctx = null;
            openContext(wantedBitRate);
            pts = 0;
        }
        var ints = in.position(0).limit(4L * width * height).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN)
                .asIntBuffer();
        for (int y = 0; y < height; y++) {
            ints.put(argb, offset + y * stride, width);
        }
        if (av_frame_make_writable(frame) < 0) {
            throw new VideoCodecException("cannot write the " + codec + " frame");
        }
        try (PointerPointer<BytePointer> src = new PointerPointer<>(in.position(0), null, null, null);
                IntPointer srcStride = new IntPointer(4 * width, 0, 0, 0)) {
            sws_scale(sws, src, srcStride, 0, height, frame.data(), frame.linesize());
        }
        frame.pts(pts++);
        int r = avcodec_send_frame(ctx, frame);
        if (r < 0) {
            throw new VideoCodecException(name + " refused a frame: " + Ffmpeg.error(r));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            r = avcodec_receive_packet(ctx, packet);
            if (r == AVERROR_EAGAIN() || r == AVERROR_EOF()) {
                return out.toByteArray();
            }
            if (r < 0) {
                throw new VideoCodecException(name + " failed: " + Ffmpeg.error(r));
            }
            byte[] b = new byte[packet.size()];
            packet.data().get(b);
            out.writeBytes(b);
            av_packet_unref(packet);
        }
    }

    /**
     * Takes effect at the next frame, through a new codec context (so that frame is a key frame): FFmpeg's libvpx
     * and openh264 wrappers keep the rate they were opened with (the bench's halved link showed VP8 and H.264
     * streams staying at their first rate), and rates change at most about once a second.
     */
    @Override
    public void bitRate(long bitsPerSecond) {
        wantedBitRate = bitsPerSecond;
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
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        if (in != null) {
            in.close();
            in = null;
        }
    }
}
