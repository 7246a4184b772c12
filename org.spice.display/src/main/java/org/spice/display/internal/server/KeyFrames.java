package org.spice.display.internal.server;

import org.spice.display.video.VideoCodec;

/**
 * Whether an encoder's frame is a key frame (decodes without any earlier frame), read from the first bytes of its
 * bitstream: the point where a stream can start taking another encoder's frames.
 */
final class KeyFrames {
    private KeyFrames() {
    }

    /** True for a key frame of {@code codec}; false for any other frame and for codecs not read here. */
    static boolean isKey(VideoCodec codec, byte[] data) {
        return switch (codec) {
            case H264 -> h264Idr(data);
            // RFC 6386 9.1: the frame tag's first bit is 0 for a key frame, whose start code follows the tag
            case VP8 -> data.length >= 10 && (data[0] & 1) == 0 && (data[3] & 0xff) == 0x9d && data[4] == 0x01
                    && data[5] == 0x2a;
            case VP9 -> vp9Key(data);
            default -> false;
        };
    }

    /** An access unit in Annex B byte stream format (start codes) holding an IDR slice (NAL unit type 5). */
    private static boolean h264Idr(byte[] data) {
        for (int i = 0; i + 3 < data.length; i++) {
            if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
                int type = data[i + 3] & 0x1f;
                if (type == 5) {
                    return true;
                }
                i += 2;
            }
        }
        return false;
    }

    /**
     * VP9's uncompressed header (VP9 bitstream specification 6.2): frame_marker (2 bits, 0b10), profile_low_bit,
     * profile_high_bit, a reserved zero bit in profile 3, show_existing_frame, then frame_type, 0 for a key frame.
     */
    private static boolean vp9Key(byte[] data) {
        if (data.length < 2 || (data[0] & 0xc0) != 0x80) {
            return false;
        }
        int bits = data[0] & 0xff;
        int profile = ((bits >> 5) & 1) | (((bits >> 4) & 1) << 1);
        int next = profile == 3 ? 2 : 3; // the bit (counted from bit 7 down to 0) after the profile
        boolean showExisting = ((bits >> next) & 1) == 1;
        return !showExisting && ((bits >> (next - 1)) & 1) == 0;
    }
}
