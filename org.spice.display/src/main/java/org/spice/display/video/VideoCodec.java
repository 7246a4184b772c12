package org.spice.display.video;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The video codecs of SPICE streams: their SPICE_VIDEO_CODEC_TYPE number (what STREAM_CREATE and
 * PREFERRED_VIDEO_CODEC_TYPE carry) and the display capability that announces each (spice-protocol's
 * protocol.h: MJPEG 9, VP8 10, H264 11, VP9 13, H265 14; 12 is PREF_VIDEO_CODEC_TYPE).
 */
public enum VideoCodec {
    MJPEG(1, 9), VP8(2, 10), H264(3, 11), VP9(4, 13), H265(5, 14);

    private final int wire;
    private final int capability;

    VideoCodec(int wire, int capability) {
        this.wire = wire;
        this.capability = capability;
    }

    /** SPICE_VIDEO_CODEC_TYPE_*. */
    public int wire() {
        return wire;
    }

    /** SPICE_DISPLAY_CAP_CODEC_*. */
    public int capability() {
        return capability;
    }

    /** The codec of a SPICE_VIDEO_CODEC_TYPE number, or null for a number spice-protocol does not define. */
    public static VideoCodec ofWire(int wire) {
        for (VideoCodec c : values()) {
            if (c.wire == wire) {
                return c;
            }
        }
        return null;
    }

    /** A codec by name, as spice-gtk and spice-server spell them (h264, VP8, gstreamer:vp9...), or null. */
    public static VideoCodec ofName(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT);
        if (n.startsWith("GSTREAMER:")) {
            n = n.substring("GSTREAMER:".length());
        }
        for (VideoCodec c : values()) {
            if (c.name().equals(n)) {
                return c;
            }
        }
        return null;
    }

    /**
     * A comma-separated list of codec names ("h264,vp8,mjpeg"), in order, without repeats.
     *
     * @throws IllegalArgumentException naming the first name that is not a codec, or for an empty list
     */
    public static List<VideoCodec> parseList(String names) {
        List<VideoCodec> out = new ArrayList<>();
        for (String part : names.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            VideoCodec c = ofName(part);
            if (c == null) {
                throw new IllegalArgumentException("unknown video codec '" + part.strip() + "' (one of "
                        + names() + ")");
            }
            if (!out.contains(c)) {
                out.add(c);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no video codec in '" + names + "' (one or more of " + names() + ")");
        }
        return out;
    }

    /** The names, lower case, comma-separated: "mjpeg, vp8, h264, vp9, h265". */
    public static String names() {
        return String.join(", ", java.util.Arrays.stream(values()).map(VideoCodec::lowerName).toList());
    }

    public String lowerName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The canonical form of a list of codec names, as commands and settings keep it ("H264, vp8,h264" gives
     * "h264,vp8").
     *
     * @throws IllegalArgumentException naming what is not a codec
     */
    public static String canonicalList(String names) {
        return String.join(",", parseList(names).stream().map(VideoCodec::lowerName).toList());
    }
}
