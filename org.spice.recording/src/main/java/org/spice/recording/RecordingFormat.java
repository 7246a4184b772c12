package org.spice.recording;

/** The constants of the recording format, version {@value #VERSION} (docs/recording.md). */
public final class RecordingFormat {
    /** The file's first eight bytes. */
    public static final byte[] MAGIC = {'S', 'P', 'I', 'C', 'E', 'R', 'E', 'C'};
    public static final int VERSION = 1;
    /** File name suffix of recordings. */
    public static final String SUFFIX = ".spicerec";

    /** A new primary surface: u32 width, u32 height; it starts black. */
    public static final int SURFACE = 1;
    /** Changed pixels: u32 x, y, width, height, then the rectangle's rows as 24-bit RGB, zlib-compressed. */
    public static final int REGION = 2;
    /** The pointer: u8 flags, i32 x, i32 y, and with {@link #POINTER_SHAPE} its image. */
    public static final int POINTER = 3;
    /** The recording ended cleanly (no payload). A file without it was cut off, e.g. the gateway was killed. */
    public static final int END = 4;

    /** POINTER flag: there is a pointer (else none: the rest of the payload is x and y, ignored). */
    public static final int POINTER_PRESENT = 1;
    public static final int POINTER_VISIBLE = 2;
    /** POINTER flag: a new image follows (u16 width, height, hot x, hot y, then zlib-compressed ARGB). */
    public static final int POINTER_SHAPE = 4;

    /** The longest description in the header, in UTF-8 bytes. */
    public static final int MAX_DESCRIPTION = 1024;
    /** A record's payload at most: a region of the largest surface compresses to less. */
    public static final int MAX_PAYLOAD = 256 * 1024 * 1024;
    /** The largest pointer side, as the desktop SPI's pointer shape allows. */
    public static final int MAX_POINTER_SIDE = 512;

    private RecordingFormat() {
    }
}
