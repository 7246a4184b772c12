package org.spice.display.internal.server;

import io.netty.buffer.ByteBuf;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;
import org.spice.display.internal.codec.BitmapCodec;

/**
 * A SpiceImage as the server writes it after a draw message: the descriptor (id, type, flags, width, height) and
 * the type's data.
 */
sealed interface SpiceImage {
    int TYPE_BITMAP = 0;
    int TYPE_QUIC = 1;
    int TYPE_LZ_RGB = 101;
    int TYPE_GLZ_RGB = 102;
    int TYPE_FROM_CACHE = 103;
    int TYPE_JPEG = 105;

    /** Descriptor flag: the client keeps the image in its pixmap cache under the descriptor's id. */
    int FLAG_CACHE_ME = 1;

    long id();

    int type();

    int flags();

    int width();

    int height();

    /** Bytes {@link #write} produces. */
    long size();

    default void write(ByteBuf out) {
        out.writeLongLE(id()).writeByte(type()).writeByte(flags()).writeIntLE(width()).writeIntLE(height());
        writeData(out);
    }

    void writeData(ByteBuf out);

    /** Whether the client gets the exact pixels (not JPEG). */
    default boolean lossless() {
        return type() != TYPE_JPEG;
    }

    /** This image with id {@code id} and the CACHE_ME flag: the client keeps it under that id. */
    SpiceImage cached(long id);

    static String typeName(int type) {
        return switch (type) {
            case TYPE_BITMAP -> "bitmap";
            case TYPE_QUIC -> "QUIC";
            case TYPE_LZ_RGB -> "LZ_RGB";
            case TYPE_GLZ_RGB -> "GLZ_RGB";
            case TYPE_FROM_CACHE -> "FROM_CACHE";
            case TYPE_JPEG -> "JPEG";
            default -> "type " + type;
        };
    }

    /** An uncompressed 32-bit top-down bitmap of {@code box} of a frame, pixels inline. */
    record Bitmap(long id, int flags, Frame frame, Rect box) implements SpiceImage {
        private static final int BITMAP_TOP_DOWN = 4;

        public int type() {
            return TYPE_BITMAP;
        }

        public int width() {
            return box.width();
        }

        public int height() {
            return box.height();
        }

        public long size() {
            return 18 + 18 + 4L * box.width() * box.height();
        }

        public SpiceImage cached(long cacheId) {
            return new Bitmap(cacheId, flags | FLAG_CACHE_ME, frame, box);
        }

        public void writeData(ByteBuf out) {
            int w = box.width();
            out.writeByte(BitmapCodec.FMT_32BIT).writeByte(BITMAP_TOP_DOWN).writeIntLE(w).writeIntLE(box.height())
                    .writeIntLE(4 * w).writeIntLE(0); // no palette
            out.ensureWritable(4 * w * box.height());
            // One bulk write a row: per-pixel writes cost a bounds check (and, under the leak detector, a record)
            // each.
            byte[] row = new byte[4 * w];
            for (int y = box.y(); y < box.bottom(); y++) {
                BitmapCodec.writeRow32(frame.rgb(), y * frame.width() + box.x(), w, row, 0);
                out.writeBytes(row);
            }
        }
    }

    /** An image whose data is a u32 size and a compressed stream: QUIC, LZ_RGB, GLZ_RGB, JPEG. */
    record Compressed(long id, int type, int flags, int width, int height, byte[] data) implements SpiceImage {
        public long size() {
            return 18 + 4 + data.length;
        }

        public SpiceImage cached(long cacheId) {
            return new Compressed(cacheId, type, flags | FLAG_CACHE_ME, width, height, data);
        }

        public void writeData(ByteBuf out) {
            out.writeIntLE(data.length).writeBytes(data);
        }
    }

    /** An image the client has in its pixmap cache under {@code id}. */
    record FromCache(long id, int width, int height) implements SpiceImage {
        public int type() {
            return TYPE_FROM_CACHE;
        }

        public int flags() {
            return 0;
        }

        public long size() {
            return 18;
        }

        public SpiceImage cached(long cacheId) {
            throw new IllegalStateException("an image from the cache is cached already");
        }

        public void writeData(ByteBuf out) {
        }
    }
}
