package org.spice.fuzz;

import org.spice.protocol.wire.AudioMessages;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.spice.audio.AudioModes;
import org.spice.audio.OpusCodec;
import org.spice.cursor.api.CursorShape;
import org.spice.cursor.internal.wire.CursorCodec;
import org.spice.playback.internal.wire.PlaybackMessages;
import org.spice.protocol.Capabilities;
import org.spice.protocol.LinkError;
import org.spice.protocol.wire.BaseMessages;
import org.spice.protocol.wire.LinkMess;
import org.spice.protocol.wire.LinkReply;
import org.spice.protocol.wire.MessageHeader;
import org.spice.protocol.wire.SpiceMessage;
import org.spice.record.internal.wire.RecordMessages;
import org.spice.usbredir.internal.wire.UsbRedirMessages;

/**
 * Writes the seed corpora of the fuzz tests outside the display channel (whose seeds come from its golden data,
 * org.spice.display's FuzzSeedWriter). Runs only when asked:
 * {@code -Dfuzz.seeds=PATH/org.spice.fuzz/src/test/resources -Dtest=FuzzSeedWriter}; the seeds are checked in.
 */
@EnabledIfSystemProperty(named = "fuzz.seeds", matches = ".+")
class FuzzSeedWriter {
    private final Path root = Path.of(System.getProperty("fuzz.seeds", "."));

    private void write(String pkg, String cls, String method, String name, byte[] data) throws IOException {
        Path d = root.resolve(pkg.replace('.', '/') + "/" + cls + "Inputs/" + method);
        Files.createDirectories(d);
        Files.write(d.resolve(name), data);
    }

    static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    static void message(ByteArrayOutputStream out, int type, byte[] body) {
        ByteBuf b = Unpooled.buffer();
        new MessageHeader(0, type, body.length).encode(b, true);
        b.writeBytes(body);
        out.writeBytes(bytes(b));
    }

    static void message(ByteArrayOutputStream out, SpiceMessage m) {
        ByteBuf b = Unpooled.buffer();
        m.encode(b);
        message(out, m.type(), bytes(b));
    }

    static byte[] body(java.util.function.Consumer<ByteBuf> w) {
        ByteBuf b = Unpooled.buffer();
        w.accept(b);
        return bytes(b);
    }

    @Test
    void write() throws IOException {
        cursor();
        link();
        usbredir();
        playback();
        record();
        video();
        jpeg();
        libLz4();
    }

    private void cursor() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] argb = new int[6 * 5];
        for (int i = 0; i < argb.length; i++) {
            argb[i] = 0x80000000 | i * 0x050403;
        }
        CursorShape alpha = new CursorShape(6, 5, 1, 2, argb, new boolean[argb.length]);
        message(out, 101, body(b -> {
            b.writeShortLE(10).writeShortLE(20).writeShortLE(0).writeShortLE(0).writeByte(1);
            CursorCodec.encodeAlpha(b, 7, alpha);
            b.setShortLE(9, CursorCodec.FLAG_CACHE_ME);
        }));
        message(out, 104, body(b -> b.writeShortLE(30).writeShortLE(40)));
        // every other type: header with flags, then the type's bytes; w=10 h=3
        int w = 10;
        int h = 3;
        int mask = (w + 7) / 8 * h;
        int[][] types = {
            {CursorCodec.TYPE_MONO, 2 * mask},
            {CursorCodec.TYPE_COLOR4, (w * 4 + 7) / 8 * h + 16 * 4 + mask},
            {CursorCodec.TYPE_COLOR8, w * h + 256 * 4 + mask},
            {CursorCodec.TYPE_COLOR16, 2 * w * h + mask},
            {CursorCodec.TYPE_COLOR24, 3 * w * h + mask},
            {CursorCodec.TYPE_COLOR32, 4 * w * h + mask},
        };
        for (int[] t : types) {
            ByteArrayOutputStream one = new ByteArrayOutputStream();
            byte[] set = body(b -> {
                b.writeShortLE(1).writeShortLE(2).writeByte(1);
                b.writeShortLE(CursorCodec.FLAG_CACHE_ME).writeLongLE(100 + t[0]).writeByte(t[0]).writeShortLE(w)
                        .writeShortLE(h).writeShortLE(3).writeShortLE(1);
                for (int i = 0; i < t[1]; i++) {
                    b.writeByte(i * 37 + t[0]);
                }
            });
            message(one, 103, set);
            message(out, 103, set);
            // from the cache, hide, invalidate
            message(one, 103, body(b -> b.writeShortLE(5).writeShortLE(6).writeByte(1)
                    .writeShortLE(CursorCodec.FLAG_FROM_CACHE).writeLongLE(100 + t[0]).writeByte(t[0])
                    .writeShortLE(w).writeShortLE(h).writeShortLE(0).writeShortLE(0)));
            message(one, 105, new byte[0]);
            message(one, 107, body(b -> b.writeLongLE(100 + t[0])));
            write("org.spice.cursor.internal", "CursorFuzzTest", "messages", "type" + t[0], one.toByteArray());
        }
        message(out, 103, body(b -> b.writeShortLE(0).writeShortLE(0).writeByte(0).writeShortLE(CursorCodec.FLAG_NONE)));
        message(out, 106, body(b -> b.writeShortLE(4).writeShortLE(1)));
        message(out, 108, new byte[0]);
        message(out, 102, new byte[0]);
        write("org.spice.cursor.internal", "CursorFuzzTest", "messages", "session", out.toByteArray());
    }

    private void link() throws IOException {
        String pkg = "org.spice.protocol.internal.engine";
        write(pkg, "LinkFuzzTest", "link", "link-mess-main", bytes(with(b ->
                new LinkMess(0, 1, 0, Capabilities.of(0, 2, 3), Capabilities.of(0, 1, 2, 3)).encode(b))));
        write(pkg, "LinkFuzzTest", "link", "link-mess-display", bytes(with(b ->
                new LinkMess(0x12345678L, 2, 1, Capabilities.of(3), Capabilities.of(0, 1, 8, 9)).encode(b))));
        write(pkg, "LinkFuzzTest", "link", "link-reply", bytes(with(b ->
                new LinkReply(LinkError.OK, new byte[162], Capabilities.of(0, 1, 3), Capabilities.of(2, 5))
                        .encode(b))));
        write(pkg, "LinkFuzzTest", "link", "link-refusal", bytes(with(b ->
                LinkReply.refusal(LinkError.NEED_SECURED).encode(b))));
        for (boolean mini : new boolean[] {true, false}) {
            ByteBuf b = Unpooled.buffer();
            b.writeByte(mini ? 5 : 17); // the first byte also picks the piece size
            List<SpiceMessage> ms = List.of(new BaseMessages.SetAck(7, 20), new BaseMessages.Ping(3, 99, 16),
                    new BaseMessages.Notify(1, 2, 3, 4, "hello"), new BaseMessages.AckSync(7),
                    new BaseMessages.Pong(3, 99));
            for (SpiceMessage m : ms) {
                ByteBuf body = Unpooled.buffer();
                m.encode(body);
                new MessageHeader(1, m.type(), body.readableBytes()).encode(b, mini);
                b.writeBytes(body);
                body.release();
            }
            write(pkg, "LinkFuzzTest", "link", mini ? "mini-messages" : "full-messages", bytes(b));
        }
    }

    static ByteBuf with(java.util.function.Consumer<ByteBuf> w) {
        ByteBuf b = Unpooled.buffer();
        w.accept(b);
        return b;
    }

    private void usbredir() throws IOException {
        for (int peer : new int[] {UsbRedirMessages.OUR_CAPS, 0}) {
            UsbRedirMessages.Negotiation n = new UsbRedirMessages.Negotiation(UsbRedirMessages.OUR_CAPS);
            ByteBuf b = Unpooled.buffer();
            b.writeByte(0);
            UsbRedirMessages.Hello hello = new UsbRedirMessages.Hello("usbredir 0.13", new int[] {peer});
            UsbRedirMessages.encode(new UsbRedirMessages.Frame(0, hello), b, n);
            n.peerHello(hello);
            int[] a = new int[32];
            for (int i = 0; i < 32; i++) {
                a[i] = i;
            }
            List<UsbRedirMessages.Packet> packets = List.of(
                    new UsbRedirMessages.DeviceConnect(2, 8, 6, 0x50, 0x1209, 1, 0x0100),
                    new UsbRedirMessages.InterfaceInfo(1, a, a, a, a),
                    new UsbRedirMessages.EpInfo(a, a, a, a, new int[32]),
                    UsbRedirMessages.Bytes.of(UsbRedirMessages.SET_CONFIGURATION, 1),
                    UsbRedirMessages.Bytes.of(UsbRedirMessages.CONFIGURATION_STATUS, 0, 1),
                    UsbRedirMessages.Bytes.of(UsbRedirMessages.START_ISO_STREAM, 0x83, 8, 4),
                    new UsbRedirMessages.BulkStreams(UsbRedirMessages.ALLOC_BULK_STREAMS, 6, 4, 0),
                    new UsbRedirMessages.FilterFilter("-1,-1,-1,-1,1"),
                    new UsbRedirMessages.BulkReceiving(UsbRedirMessages.START_BULK_RECEIVING, 0, 512, 0x81, 4),
                    new UsbRedirMessages.ControlPacket(0x80, 6, 0x80, 0, 0x0100, 0, 18, new byte[18]),
                    new UsbRedirMessages.BulkPacket(0x81, 0, 31, 0, new byte[31]),
                    new UsbRedirMessages.StreamPacket(UsbRedirMessages.ISO_PACKET, 0x83, 0, 3, new byte[] {1, 2, 3}),
                    new UsbRedirMessages.BufferedBulkPacket(0, 4, 0x81, 0, new byte[] {9, 8, 7, 6}),
                    new UsbRedirMessages.Empty(UsbRedirMessages.DEVICE_DISCONNECT));
            long id = 1;
            for (UsbRedirMessages.Packet p : packets) {
                UsbRedirMessages.encode(new UsbRedirMessages.Frame(id++, p), b, n);
            }
            write("org.spice.usbredir.internal", "UsbRedirFuzzTest", "stream", "peer-caps-" + peer, bytes(b));
        }
    }

    private void playback() throws IOException {
        for (boolean opus : new boolean[] {false, true}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message(out, new AudioMessages.Mode(PlaybackMessages.MODE, 0,
                    opus ? AudioModes.MODE_OPUS : AudioModes.MODE_RAW, new byte[0]));
            message(out, new AudioMessages.Volume(PlaybackMessages.VOLUME, new int[] {60000, 30000}));
            message(out, new AudioMessages.Mute(PlaybackMessages.MUTE, false));
            message(out, new PlaybackMessages.Latency(40));
            message(out, new PlaybackMessages.Start(2, AudioModes.FMT_S16, 48000, 0));
            OpusCodec enc = opus ? OpusCodec.encoder(48000, 2) : null;
            for (int f = 0; f < 3; f++) {
                short[] pcm = new short[AudioModes.FRAME_SAMPLES * 2];
                for (int i = 0; i < pcm.length; i++) {
                    pcm[i] = (short) (Math.sin((f * pcm.length + i) * 0.03) * 8000);
                }
                byte[] data = opus ? enc.encode(pcm) : org.spice.audio.Pcm.toBytes(pcm, 0, pcm.length);
                message(out, new AudioMessages.Data(PlaybackMessages.DATA, f * 10, data));
            }
            message(out, PlaybackMessages.STOP_MESSAGE);
            write("org.spice.playback.internal.client", "PlaybackFuzzTest", "messages", opus ? "opus" : "raw",
                    out.toByteArray());
        }
    }

    private void record() throws IOException {
        for (boolean opus : new boolean[] {false, true}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message(out, new AudioMessages.Mode(RecordMessages.C_MODE, 0,
                    opus ? AudioModes.MODE_OPUS : AudioModes.MODE_RAW, new byte[0]));
            message(out, new RecordMessages.StartMark(0));
            OpusCodec enc = opus ? OpusCodec.encoder(48000, 2) : null;
            for (int f = 0; f < 3; f++) {
                short[] pcm = new short[AudioModes.FRAME_SAMPLES * 2];
                for (int i = 0; i < pcm.length; i++) {
                    pcm[i] = (short) (Math.sin((f * pcm.length + i) * 0.05) * 6000);
                }
                byte[] data = opus ? enc.encode(pcm) : org.spice.audio.Pcm.toBytes(pcm, 0, pcm.length);
                message(out, new AudioMessages.Data(RecordMessages.C_DATA, f * 10, data));
            }
            write("org.spice.record.internal.server", "RecordFuzzTest", "messages", opus ? "opus" : "raw",
                    out.toByteArray());
        }
    }

    /**
     * For each codec: four frames of a moving 64x48 picture as FFmpeg's encoder makes them, then the first two
     * frames of a 48x32 stream (a stream whose frames change size); and the 64x48 frames each cut in half.
     */
    private void video() throws IOException {
        org.spice.video.internal.FfmpegCodecs ffmpeg = new org.spice.video.internal.FfmpegCodecs();
        org.spice.display.video.VideoCodec[] codecs = {org.spice.display.video.VideoCodec.H264,
            org.spice.display.video.VideoCodec.VP8, org.spice.display.video.VideoCodec.VP9};
        for (int c = 0; c < codecs.length; c++) {
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            ByteArrayOutputStream halves = new ByteArrayOutputStream();
            whole.write(c);
            halves.write(c);
            int[][] sizes = {{64, 48, 4}, {48, 32, 2}};
            for (int[] size : sizes) {
                try (org.spice.display.video.VideoEncoder enc = ffmpeg.encoder(codecs[c], size[0], size[1], 25,
                        200_000)) {
                    for (int t = 0; t < size[2]; t++) {
                        byte[] frame = enc.encode(movingPicture(size[0], size[1], t), 0, size[0]);
                        videoFrame(whole, frame, frame.length);
                        if (size[0] == 64) {
                            videoFrame(halves, frame, frame.length / 2);
                        }
                    }
                }
            }
            String name = codecs[c].name().toLowerCase(java.util.Locale.ROOT);
            write("org.spice.video.internal", "VideoFuzzTest", "stream", name + "-resized", whole.toByteArray());
            write("org.spice.video.internal", "VideoFuzzTest", "stream", name + "-truncated", halves.toByteArray());
        }
    }

    /**
     * JPEGs as SPICE images and MJPEG frames carry them: our encoder's (baseline, 4:2:0) of a 64x48 picture at two
     * qualities, of 37x13 and 1x1, the 64x48 one cut in half; ImageIO's progressive and grayscale ones.
     */
    private void jpeg() throws IOException {
        String pkg = "org.spice.video.internal";
        byte[] q90 = org.spice.display.internal.codec.JpegEncoder.encode(64, 48, movingPicture(64, 48, 0), 0, 64, 90);
        write(pkg, "TurboJpegFuzzTest", "jpeg", "64x48-q90", q90);
        write(pkg, "TurboJpegFuzzTest", "jpeg", "64x48-q90-truncated", java.util.Arrays.copyOf(q90, q90.length / 2));
        write(pkg, "TurboJpegFuzzTest", "jpeg", "64x48-q30",
                org.spice.display.internal.codec.JpegEncoder.encode(64, 48, movingPicture(64, 48, 1), 0, 64, 30));
        write(pkg, "TurboJpegFuzzTest", "jpeg", "37x13",
                org.spice.display.internal.codec.JpegEncoder.encode(37, 13, movingPicture(37, 13, 2), 0, 37, 85));
        write(pkg, "TurboJpegFuzzTest", "jpeg", "1x1",
                org.spice.display.internal.codec.JpegEncoder.encode(1, 1, new int[] {0xff336699}, 0, 1, 85));
        java.awt.image.BufferedImage rgb = new java.awt.image.BufferedImage(40, 24,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 40, 24, movingPicture(40, 24, 3), 0, 40);
        write(pkg, "TurboJpegFuzzTest", "jpeg", "40x24-progressive", imageIoJpeg(rgb, true));
        java.awt.image.BufferedImage gray = new java.awt.image.BufferedImage(40, 24,
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        gray.getGraphics().drawImage(rgb, 0, 0, null);
        write(pkg, "TurboJpegFuzzTest", "jpeg", "40x24-gray", imageIoJpeg(gray, false));
    }

    /** LibLz4FuzzTest takes Lz4FuzzTest's input (written by org.spice.display's FuzzSeedWriter): the same seeds. */
    private void libLz4() throws IOException {
        Path from = root.resolve("org/spice/display/internal/codec/Lz4FuzzTestInputs/lz4");
        try (java.util.stream.Stream<Path> seeds = Files.list(from)) {
            for (Path seed : seeds.sorted().toList()) {
                write("org.spice.video.internal", "LibLz4FuzzTest", "lz4", seed.getFileName().toString(),
                        Files.readAllBytes(seed));
            }
        }
    }

    private static byte[] imageIoJpeg(java.awt.image.BufferedImage image, boolean progressive) throws IOException {
        javax.imageio.ImageWriter writer = javax.imageio.ImageIO.getImageWritersByFormatName("jpeg").next();
        javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
        if (progressive) {
            param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream ios = javax.imageio.ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static void videoFrame(ByteArrayOutputStream out, byte[] frame, int length) {
        if (length > 0xffff) {
            throw new IllegalStateException("a seed frame of " + length + " bytes does not fit the u16 length");
        }
        out.write(length & 0xff);
        out.write(length >> 8);
        out.write(frame, 0, length);
    }

    private static int[] movingPicture(int w, int h, int t) {
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int disc = (x - w / 2 - 3 * t) * (x - w / 2 - 3 * t) + (y - h / 2) * (y - h / 2) < h * h / 9 ? 170 : 0;
                px[y * w + x] = 0xff000000 | (255 * x / w) << 16 | (255 * y / h) << 8 | (80 + disc);
            }
        }
        return px;
    }
}
