package org.spice.runtime.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one H.264 video track as an MP4 file (ISO/IEC 14496-12 and -15): the encoder's Annex-B frames become
 * length-prefixed samples in one {@code mdat}, the first key frame's SPS and PPS the {@code avcC} record, and each
 * sample lasts until the next one's time (milliseconds), so a recording's changes keep their timing. The
 * {@code moov} index follows the samples, written on {@link #close()}.
 */
final class Mp4Writer implements AutoCloseable {
    private static final int TIMESCALE = 1000;

    private final RandomAccessFile file;
    private final int width;
    private final int height;
    private final long mdatStart;
    private final List<Integer> sizes = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();
    private final List<Integer> keys = new ArrayList<>();
    private byte[] sps;
    private byte[] pps;

    Mp4Writer(Path path, int width, int height) throws IOException {
        this.width = width;
        this.height = height;
        file = new RandomAccessFile(path.toFile(), "rw");
        file.setLength(0);
        ByteArrayOutputStream ftyp = new ByteArrayOutputStream();
        ftyp.writeBytes(ascii("isom"));
        ftyp.writeBytes(u32(0x200));
        ftyp.writeBytes(ascii("isomiso2avc1mp41"));
        file.write(box("ftyp", ftyp.toByteArray()));
        mdatStart = file.getFilePointer();
        file.write(u32(1)); // a 64-bit size follows, set on close
        file.write(ascii("mdat"));
        file.write(new byte[8]);
    }

    /** One Annex-B frame shown from {@code millis} on; times must not go backwards. */
    void frame(long millis, byte[] annexB) throws IOException {
        if (!times.isEmpty() && millis < times.get(times.size() - 1)) {
            throw new IllegalArgumentException("frame at " + millis + " ms after one at "
                    + times.get(times.size() - 1) + " ms");
        }
        ByteArrayOutputStream sample = new ByteArrayOutputStream(annexB.length + 16);
        boolean key = false;
        for (byte[] nal : nals(annexB)) {
            int type = nal[0] & 0x1F;
            if (type == 7) {
                sps = sps == null ? nal : sps;
            } else if (type == 8) {
                pps = pps == null ? nal : pps;
            } else {
                key |= type == 5;
                sample.writeBytes(u32(nal.length));
                sample.writeBytes(nal);
            }
        }
        if (sample.size() == 0) {
            return;
        }
        if (sizes.isEmpty() && !key) {
            return; // a video starts with a key frame
        }
        file.write(sample.toByteArray());
        sizes.add(sample.size());
        times.add(millis);
        if (key) {
            keys.add(sizes.size());
        }
    }

    /** The NAL units between Annex-B start codes (00 00 01 or 00 00 00 01). */
    static List<byte[]> nals(byte[] b) {
        List<byte[]> out = new ArrayList<>();
        int start = -1;
        int i = 0;
        while (i + 2 < b.length) {
            if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
                if (start >= 0) {
                    int end = i;
                    while (end > start && b[end - 1] == 0) {
                        end--;
                    }
                    out.add(java.util.Arrays.copyOfRange(b, start, end));
                }
                i += 3;
                start = i;
            } else {
                i++;
            }
        }
        if (start >= 0 && start < b.length) {
            out.add(java.util.Arrays.copyOfRange(b, start, b.length));
        }
        out.removeIf(n -> n.length == 0);
        return out;
    }

    /** Ends the video at {@code endMillis} (the last sample lasts until then) and writes the index. */
    void finish(long endMillis) throws IOException {
        long end = file.getFilePointer();
        file.seek(mdatStart + 8);
        file.write(u64(end - mdatStart));
        file.seek(end);
        if (sizes.isEmpty() || sps == null || pps == null) {
            throw new IOException("the encoder gave no key frame with its SPS and PPS");
        }
        long first = times.get(0);
        long duration = Math.max(1, Math.max(endMillis, times.get(times.size() - 1) + 1) - first);
        file.write(box("moov", concat(mvhd(duration), trak(duration, end, first, endMillis))));
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    private byte[] mvhd(long duration) {
        ByteBuffer b = ByteBuffer.allocate(96);
        b.putInt(0).putInt(0).putInt(TIMESCALE).putInt((int) duration).putInt(0x00010000)
                .putShort((short) 0x0100).put(new byte[10]);
        matrix(b);
        b.put(new byte[24]).putInt(2);
        return fullBox("mvhd", b.array());
    }

    private static void matrix(ByteBuffer b) {
        b.putInt(0x00010000).putInt(0).putInt(0).putInt(0).putInt(0x00010000).putInt(0).putInt(0).putInt(0)
                .putInt(0x40000000);
    }

    private byte[] trak(long duration, long mdatEnd, long first, long endMillis) {
        ByteBuffer tkhd = ByteBuffer.allocate(80);
        tkhd.putInt(0).putInt(0).putInt(1).putInt(0).putInt((int) duration).put(new byte[8]).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0).putShort((short) 0);
        matrix(tkhd);
        tkhd.putInt(width << 16).putInt(height << 16);
        ByteBuffer mdhd = ByteBuffer.allocate(20);
        mdhd.putInt(0).putInt(0).putInt(TIMESCALE).putInt((int) duration).putShort((short) 0x55C4).putShort((short) 0);
        ByteBuffer hdlr = ByteBuffer.allocate(4 + 4 + 12 + 6);
        hdlr.putInt(0).put(ascii("vide")).put(new byte[12]).put(ascii("video")).put((byte) 0);
        byte[] vmhd = fullBox("vmhd", 1, new byte[8]);
        byte[] dinf = box("dinf", fullBox("dref", concat(u32(1), fullBox("url ", 1, new byte[0]))));
        byte[] stbl = box("stbl", concat(stsd(), stts(first, endMillis), stss(), stsc(), stsz(), co64()));
        return box("trak", concat(fullBox("tkhd", 3, tkhd.array()), box("mdia", concat(fullBox("mdhd", mdhd.array()),
                fullBox("hdlr", hdlr.array()), box("minf", concat(vmhd, dinf, stbl))))));
    }

    private byte[] stsd() {
        ByteArrayOutputStream avcc = new ByteArrayOutputStream();
        avcc.write(1);
        avcc.write(sps[1]);
        avcc.write(sps[2]);
        avcc.write(sps[3]);
        avcc.write(0xFF); // 4-byte lengths
        avcc.write(0xE1); // one SPS
        avcc.writeBytes(u16(sps.length));
        avcc.writeBytes(sps);
        avcc.write(1); // one PPS
        avcc.writeBytes(u16(pps.length));
        avcc.writeBytes(pps);
        ByteBuffer entry = ByteBuffer.allocate(78);
        entry.put(new byte[6]).putShort((short) 1).put(new byte[16]).putShort((short) width).putShort((short) height)
                .putInt(0x00480000).putInt(0x00480000).putInt(0).putShort((short) 1).put(new byte[32])
                .putShort((short) 0x18).putShort((short) -1);
        byte[] avc1 = box("avc1", concat(entry.array(), box("avcC", avcc.toByteArray())));
        return fullBox("stsd", concat(u32(1), avc1));
    }

    private byte[] stts(long first, long endMillis) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(u32(sizes.size()));
        for (int i = 0; i < sizes.size(); i++) {
            long next = i + 1 < times.size() ? times.get(i + 1) : Math.max(endMillis, times.get(i) + 1);
            b.writeBytes(u32(1));
            b.writeBytes(u32((int) Math.max(1, next - times.get(i))));
        }
        return fullBox("stts", b.toByteArray());
    }

    private byte[] stss() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(u32(keys.size()));
        keys.forEach(k -> b.writeBytes(u32(k)));
        return fullBox("stss", b.toByteArray());
    }

    private byte[] stsc() {
        return fullBox("stsc", concat(u32(1), u32(1), u32(sizes.size()), u32(1)));
    }

    private byte[] stsz() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(u32(0));
        b.writeBytes(u32(sizes.size()));
        sizes.forEach(s -> b.writeBytes(u32(s)));
        return fullBox("stsz", b.toByteArray());
    }

    private byte[] co64() {
        return fullBox("co64", concat(u32(1), u64(mdatStart + 16)));
    }

    private static byte[] box(String type, byte[] body) {
        return concat(u32(8 + body.length), ascii(type), body);
    }

    private static byte[] fullBox(String type, byte[] body) {
        return fullBox(type, 0, body);
    }

    private static byte[] fullBox(String type, int flags, byte[] body) {
        return box(type, concat(u32(flags & 0xFFFFFF), body));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] u16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    private static byte[] u32(long v) {
        return ByteBuffer.allocate(4).putInt((int) v).array();
    }

    private static byte[] u64(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }
}
