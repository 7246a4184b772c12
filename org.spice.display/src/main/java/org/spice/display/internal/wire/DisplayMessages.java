package org.spice.display.internal.wire;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.spice.desktop.Rect;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.wire.SpiceMessage;
import org.spice.protocol.wire.Wire;

/** The display channel's messages (spice.proto {@code DisplayChannel}) and the structures they share. */
public final class DisplayMessages {
    // server -> client
    public static final int MODE = 101;
    public static final int MARK = 102;
    public static final int RESET = 103;
    public static final int COPY_BITS = 104;
    public static final int INVAL_LIST = 105;
    public static final int INVAL_ALL_PIXMAPS = 106;
    public static final int INVAL_PALETTE = 107;
    public static final int INVAL_ALL_PALETTES = 108;
    public static final int STREAM_CREATE = 122;
    public static final int STREAM_DATA = 123;
    public static final int STREAM_CLIP = 124;
    public static final int STREAM_DESTROY = 125;
    public static final int STREAM_DESTROY_ALL = 126;
    public static final int DRAW_FILL = 302;
    public static final int DRAW_OPAQUE = 303;
    public static final int DRAW_COPY = 304;
    public static final int DRAW_BLEND = 305;
    public static final int DRAW_BLACKNESS = 306;
    public static final int DRAW_WHITENESS = 307;
    public static final int DRAW_INVERS = 308;
    public static final int DRAW_ROP3 = 309;
    public static final int DRAW_STROKE = 310;
    public static final int DRAW_TEXT = 311;
    public static final int DRAW_TRANSPARENT = 312;
    public static final int DRAW_ALPHA_BLEND = 313;
    public static final int SURFACE_CREATE = 314;
    public static final int SURFACE_DESTROY = 315;
    public static final int STREAM_DATA_SIZED = 316;
    public static final int MONITORS_CONFIG = 317;
    public static final int DRAW_COMPOSITE = 318;
    public static final int STREAM_ACTIVATE_REPORT = 319;
    public static final int GL_SCANOUT_UNIX = 320;
    public static final int GL_DRAW = 321;
    public static final int QUALITY_INDICATOR = 322;

    // client -> server
    public static final int C_INIT = 101;
    public static final int C_STREAM_REPORT = 102;
    public static final int C_PREFERRED_COMPRESSION = 103;
    public static final int C_GL_DRAW_DONE = 104;
    public static final int C_PREFERRED_VIDEO_CODEC_TYPE = 105;

    // capabilities
    public static final int CAP_SIZED_STREAM = 0;
    public static final int CAP_MONITORS_CONFIG = 1;
    public static final int CAP_COMPOSITE = 2;
    public static final int CAP_A8_SURFACE = 3;
    public static final int CAP_STREAM_REPORT = 4;
    public static final int CAP_LZ4_COMPRESSION = 5;
    public static final int CAP_PREF_COMPRESSION = 6;
    public static final int CAP_GL_SCANOUT = 7;
    public static final int CAP_MULTI_CODEC = 8;
    public static final int CAP_CODEC_MJPEG = 9;
    public static final int CAP_CODEC_VP8 = 10;
    public static final int CAP_CODEC_H264 = 11;
    public static final int CAP_PREF_VIDEO_CODEC_TYPE = 12;
    public static final int CAP_CODEC_VP9 = 13;
    public static final int CAP_CODEC_H265 = 14;
    public static final int CAP_METRICS = 15;

    /** spice-protocol's SPICE_MAX_NUM_STREAMS: stream ids lie in [0, 64). */
    public static final int MAX_STREAMS = 64;

    // surface formats and flags
    public static final int SURFACE_FMT_1_A = 1;
    public static final int SURFACE_FMT_8_A = 8;
    public static final int SURFACE_FMT_16_555 = 16;
    public static final int SURFACE_FMT_32_XRGB = 32;
    public static final int SURFACE_FMT_16_565 = 80;
    public static final int SURFACE_FMT_32_ARGB = 96;

    /** A surface format's name as spice-protocol spells it (8_A, 32_xRGB...), or its number when unknown. */
    public static String surfaceFormatName(int format) {
        return switch (format) {
            case SURFACE_FMT_1_A -> "1_A";
            case SURFACE_FMT_8_A -> "8_A";
            case SURFACE_FMT_16_555 -> "16_555";
            case SURFACE_FMT_32_XRGB -> "32_xRGB";
            case SURFACE_FMT_16_565 -> "16_565";
            case SURFACE_FMT_32_ARGB -> "32_ARGB";
            default -> Integer.toString(format);
        };
    }
    public static final int SURFACE_FLAG_PRIMARY = 1;

    // ropd flags
    public static final int ROPD_INVERS_SRC = 1;
    public static final int ROPD_INVERS_BRUSH = 2;
    public static final int ROPD_INVERS_DEST = 4;
    public static final int ROPD_OP_PUT = 8;
    public static final int ROPD_OP_OR = 16;
    public static final int ROPD_OP_AND = 32;
    public static final int ROPD_OP_XOR = 64;
    public static final int ROPD_OP_BLACKNESS = 128;
    public static final int ROPD_OP_WHITENESS = 256;
    public static final int ROPD_OP_INVERS = 512;
    public static final int ROPD_INVERS_RES = 1024;

    /** A client with more surfaces than this is lying; spice-server's default is 1024. */
    public static final int MAX_SURFACES = 10000;
    public static final int MAX_CLIP_RECTS = 100_000;
    public static final int MAX_HEADS = 64;

    private DisplayMessages() {
    }

    /** spice.proto Rect: top, left, bottom, right as int32. */
    public static Rect readRect(ByteBuf in, String what) {
        Wire.need(in, 16, what);
        int top = in.readIntLE();
        int left = in.readIntLE();
        int bottom = in.readIntLE();
        int right = in.readIntLE();
        if (right < left || bottom < top) {
            throw new SpiceProtocolException(what + ": inverted rectangle " + left + "," + top + " " + right + ","
                    + bottom);
        }
        return new Rect(left, top, right - left, bottom - top);
    }

    public static void writeRect(ByteBuf out, Rect r) {
        out.writeIntLE(r.y()).writeIntLE(r.x()).writeIntLE(r.bottom()).writeIntLE(r.right());
    }

    /**
     * spice.proto {@code QMask}: {uint8 flags; Point pos; uint32 bitmap}, the 1-bit image at offset {@code bitmap}
     * from the start of the message body (0: no mask).
     */
    public record QMask(int flags, int x, int y, long bitmap) {
        public static final int SIZE = 13;
        public static final QMask NONE = new QMask(0, 0, 0, 0);

        public void encode(ByteBuf out) {
            out.writeByte(flags).writeIntLE(x).writeIntLE(y).writeIntLE((int) bitmap);
        }

        public static QMask decode(ByteBuf in) {
            int flags = Wire.u8(in, "mask flags");
            int x = Wire.i32(in, "mask position");
            int y = Wire.i32(in, "mask position");
            return new QMask(flags, x, y, Wire.u32(in, "mask bitmap"));
        }
    }

    /**
     * spice.proto {@code Copy}, the body of draw_copy and draw_blend after the DisplayBase: {uint32 src_bitmap;
     * Rect src_area; uint16 rop_descriptor; uint8 scale_mode; QMask mask}. The source image lies at offset
     * {@code srcBitmap} from the start of the message body; the server writes it after these fields.
     */
    public record Copy(long srcBitmap, Rect srcArea, int ropDescriptor, int scaleMode, QMask mask) {
        public static final int SIZE = 4 + 16 + 2 + 1 + QMask.SIZE;

        public void encode(ByteBuf out) {
            out.writeIntLE((int) srcBitmap);
            writeRect(out, srcArea);
            out.writeShortLE(ropDescriptor).writeByte(scaleMode);
            mask.encode(out);
        }

        public static Copy decode(ByteBuf in) {
            long src = Wire.u32(in, "src_bitmap");
            Rect area = readRect(in, "src_area");
            int rop = Wire.u16(in, "copy rop");
            int scale = Wire.u8(in, "scale mode");
            return new Copy(src, area, rop, scale, QMask.decode(in));
        }
    }

    public record SurfaceCreate(long surfaceId, int width, int height, int format, long flags) implements SpiceMessage {
        public int type() {
            return SURFACE_CREATE;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE((int) surfaceId).writeIntLE(width).writeIntLE(height).writeIntLE(format)
                    .writeIntLE((int) flags);
        }

        public static SurfaceCreate decode(ByteBuf in) {
            Wire.need(in, 20, "surface_create");
            return new SurfaceCreate(in.readUnsignedIntLE(), in.readIntLE(), in.readIntLE(), in.readIntLE(),
                    in.readUnsignedIntLE());
        }

        public boolean primary() {
            return (flags & SURFACE_FLAG_PRIMARY) != 0;
        }
    }

    public record SurfaceDestroy(long surfaceId) implements SpiceMessage {
        public int type() {
            return SURFACE_DESTROY;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE((int) surfaceId);
        }

        public static SurfaceDestroy decode(ByteBuf in) {
            return new SurfaceDestroy(Wire.u32(in, "surface_destroy"));
        }
    }

    public record Head(long monitorId, long surfaceId, int width, int height, int x, int y, long flags) {
    }

    public record MonitorsConfig(int maxAllowed, List<Head> heads) implements SpiceMessage {
        public int type() {
            return MONITORS_CONFIG;
        }

        public void encode(ByteBuf out) {
            out.writeShortLE(heads.size()).writeShortLE(maxAllowed);
            for (Head h : heads) {
                out.writeIntLE((int) h.monitorId()).writeIntLE((int) h.surfaceId()).writeIntLE(h.width())
                        .writeIntLE(h.height()).writeIntLE(h.x()).writeIntLE(h.y()).writeIntLE((int) h.flags());
            }
        }

        public static MonitorsConfig decode(ByteBuf in) {
            int count = Wire.u16(in, "monitors_config");
            int max = Wire.u16(in, "monitors_config");
            if (count > MAX_HEADS) {
                throw new SpiceProtocolException("monitors_config: " + count + " heads exceed " + MAX_HEADS);
            }
            Wire.need(in, 28L * count, "monitors_config heads");
            List<Head> heads = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                heads.add(new Head(in.readUnsignedIntLE(), in.readUnsignedIntLE(), in.readIntLE(), in.readIntLE(),
                        in.readIntLE(), in.readIntLE(), in.readUnsignedIntLE()));
            }
            return new MonitorsConfig(max, heads);
        }
    }

    /** The client's display init: its pixmap cache and GLZ dictionary sizes. */
    public record Init(int pixmapCacheId, long pixmapCacheSize, int glzDictionaryId, int glzWindowSize)
            implements SpiceMessage {
        public int type() {
            return C_INIT;
        }

        public void encode(ByteBuf out) {
            out.writeByte(pixmapCacheId).writeLongLE(pixmapCacheSize).writeByte(glzDictionaryId)
                    .writeIntLE(glzWindowSize);
        }

        public static Init decode(ByteBuf in) {
            Wire.need(in, 14, "display init");
            return new Init(in.readUnsignedByte(), in.readLongLE(), in.readUnsignedByte(), in.readIntLE());
        }
    }

    /** SPICE_IMAGE_COMPRESSION_* by spice-gtk's names (auto-glz or auto_glz alike). */
    public static final List<String> COMPRESSIONS = List.of("invalid", "off", "auto-glz", "auto-lz", "quic", "glz",
            "lz", "lz4");

    /** The SPICE_IMAGE_COMPRESSION_* code of a name in {@link #COMPRESSIONS}, or 0 (invalid) for a name it is not. */
    public static int compressionCode(String name) {
        return Math.max(0, COMPRESSIONS.indexOf(name.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-')));
    }

    /** SPICE_MSGC_DISPLAY_PREFERRED_COMPRESSION: the image compression the client asks the server to use. */
    public record PreferredCompression(int compression) implements SpiceMessage {
        public int type() {
            return C_PREFERRED_COMPRESSION;
        }

        public void encode(ByteBuf out) {
            out.writeByte(compression);
        }

        public static PreferredCompression decode(ByteBuf in) {
            return new PreferredCompression(Wire.u8(in, "preferred_compression"));
        }
    }

    /**
     * SPICE_MSGC_DISPLAY_PREFERRED_VIDEO_CODEC_TYPE: the video codecs (SPICE_VIDEO_CODEC_TYPE_*, see
     * {@link org.spice.display.api.VideoCodec}) the client wants streams in, most wanted first.
     */
    public record PreferredVideoCodecType(List<Integer> codecs) implements SpiceMessage {
        public PreferredVideoCodecType {
            codecs = List.copyOf(codecs);
            if (codecs.isEmpty() || codecs.size() > 255) {
                throw new IllegalArgumentException("1 to 255 codecs, not " + codecs.size());
            }
        }

        public int type() {
            return C_PREFERRED_VIDEO_CODEC_TYPE;
        }

        public void encode(ByteBuf out) {
            out.writeByte(codecs.size());
            for (int c : codecs) {
                out.writeByte(c);
            }
        }

        public static PreferredVideoCodecType decode(ByteBuf in) {
            int n = Wire.u8(in, "preferred_video_codec_type");
            if (n == 0) {
                throw new SpiceProtocolException("preferred_video_codec_type: no codec");
            }
            Wire.need(in, n, "preferred_video_codec_type codecs");
            List<Integer> codecs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                codecs.add((int) in.readUnsignedByte());
            }
            return new PreferredVideoCodecType(codecs);
        }
    }

    /**
     * SPICE_MSG_DISPLAY_STREAM_ACTIVATE_REPORT: the server asks for a {@link StreamReport} of a stream every
     * {@code maxWindowSize} frames or {@code timeoutMs} milliseconds, whichever comes first.
     */
    public record StreamActivateReport(long streamId, long uniqueId, long maxWindowSize, long timeoutMs)
            implements SpiceMessage {
        public int type() {
            return STREAM_ACTIVATE_REPORT;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE((int) streamId).writeIntLE((int) uniqueId).writeIntLE((int) maxWindowSize)
                    .writeIntLE((int) timeoutMs);
        }

        public static StreamActivateReport decode(ByteBuf in) {
            Wire.need(in, 16, "stream_activate_report");
            return new StreamActivateReport(in.readUnsignedIntLE(), in.readUnsignedIntLE(), in.readUnsignedIntLE(),
                    in.readUnsignedIntLE());
        }
    }

    /**
     * SPICE_MSGC_DISPLAY_STREAM_REPORT: how the frames of a reporting window fared on the client: multimedia times
     * of its first and last frame, frames received and dropped, and how early (positive, ms) the last frame was.
     */
    public record StreamReport(long streamId, long uniqueId, long startFrameMmTime, long endFrameMmTime,
            long numFrames, long numDrops, int lastFrameDelay, long audioDelay) implements SpiceMessage {
        public int type() {
            return C_STREAM_REPORT;
        }

        public void encode(ByteBuf out) {
            out.writeIntLE((int) streamId).writeIntLE((int) uniqueId).writeIntLE((int) startFrameMmTime)
                    .writeIntLE((int) endFrameMmTime).writeIntLE((int) numFrames).writeIntLE((int) numDrops)
                    .writeIntLE(lastFrameDelay).writeIntLE((int) audioDelay);
        }

        public static StreamReport decode(ByteBuf in) {
            Wire.need(in, 32, "stream_report");
            return new StreamReport(in.readUnsignedIntLE(), in.readUnsignedIntLE(), in.readUnsignedIntLE(),
                    in.readUnsignedIntLE(), in.readUnsignedIntLE(), in.readUnsignedIntLE(), in.readIntLE(),
                    in.readUnsignedIntLE());
        }
    }

    public static final SpiceMessage MARK_MSG = new SpiceMessage.Empty(MARK);
}
