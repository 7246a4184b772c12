package org.spice.display.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spice.display.internal.codec.GlzWindow;
import org.spice.display.internal.wire.DisplayMessages;
import org.spice.display.video.VideoCodec;
import org.spice.display.video.VideoCodecException;
import org.spice.display.video.VideoCodecProvider;
import org.spice.display.video.VideoDecoder;
import org.spice.display.video.VideoEncoder;
import org.spice.display.video.VideoPicture;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.FakeChannelContext;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.wire.SpiceMessage;

/**
 * Video streams through a codec provider: frames scaled into the stream's destination within its clip, shown when
 * the multimedia clock reaches them, dropped when late, STREAM_REPORT windows, a frame the decoder refuses stopping
 * only its stream, and decoders closed with their stream and channel. The provider's "H.264" decoder turns a frame
 * {w, h, r, g, b} into a w x h picture of that colour (real codecs are tested in org.spice.video).
 */
class StreamPlayerTest {
    private final AtomicLong clock = new AtomicLong(10_000);
    private final List<FakeDecoder> opened = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<ByteBuf> buffers = new ArrayList<>();
    private final FakeChannelContext.Client ctx = FakeChannelContext.client(ChannelType.DISPLAY, Capabilities.NONE,
            ClientOptions.defaults(), clock::get);
    private final DisplayClientChannel display;

    private final class FakeDecoder implements VideoDecoder {
        boolean closed;
        /** The array each decode was offered (null for none) and the one its picture came in, in order. */
        final List<int[]> offered = new ArrayList<>();
        final List<int[]> pictures = new ArrayList<>();

        @Override
        public VideoPicture decode(byte[] f) {
            throw new AssertionError("the display offers its spare arrays");
        }

        @Override
        public VideoPicture decode(byte[] f, int[] into) {
            if (f.length != 5) {
                throw new VideoCodecException("bad H264 frame: " + f.length + " bytes");
            }
            offered.add(into);
            int[] px = into != null && into.length == f[0] * f[1] ? into : new int[f[0] * f[1]];
            java.util.Arrays.fill(px, 0xff000000 | (f[2] & 0xff) << 16 | (f[3] & 0xff) << 8 | f[4] & 0xff);
            pictures.add(px);
            return new VideoPicture(f[0], f[1], px);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    StreamPlayerTest() {
        VideoDecoders decoders = new VideoDecoders();
        decoders.add(new VideoCodecProvider() {
            @Override
            public Set<VideoCodec> decodes() {
                return EnumSet.of(VideoCodec.H264);
            }

            @Override
            public Set<VideoCodec> encodes() {
                return Set.of();
            }

            @Override
            public VideoDecoder decoder(VideoCodec codec) {
                FakeDecoder d = new FakeDecoder();
                opened.add(d);
                return d;
            }

            @Override
            public VideoEncoder encoder(VideoCodec codec, int width, int height, int fps, long bitsPerSecond) {
                throw new VideoCodecException("none");
            }
        });
        ctx.executor(scheduler);
        display = new DisplayClientChannel(ctx, new GlzWindow(1 << 16), decoders, decoders.codecs());
        feed(DisplayMessages.SURFACE_CREATE, new Msg().u32(0).u32(8).u32(8).u32(32).u32(1));
    }

    @AfterEach
    void release() {
        scheduler.shutdownNow();
        buffers.forEach(ByteBuf::release);
    }

    private void feed(int type, Msg m) {
        ByteBuf b = m.done();
        buffers.add(b);
        display.onMessage(type, b);
    }

    /** STREAM_CREATE of stream {@code id} in H.264 (top-down) into dest left,top,right,bottom, no clip. */
    private void create(int id, int left, int top, int right, int bottom) {
        feed(DisplayMessages.STREAM_CREATE, new Msg().u32(0).u32(id).u8(1).u8(3).u32(0).u32(0).u32(2).u32(2)
                .u32(2).u32(2).area(left, top, right, bottom).u8(0));
    }

    private void frame(int id, long mmTime, int w, int h, int rgb) {
        feed(DisplayMessages.STREAM_DATA, new Msg().u32(id).u32(mmTime).u32(5).u8(w).u8(h).u8(rgb >> 16)
                .u8(rgb >> 8).u8(rgb));
    }

    private int rgb(int x, int y) {
        return display.primary().rgb()[y * 8 + x] & 0xffffff;
    }

    @Test
    void aProvidersCodecIsAnnouncedAndItsFramesFillTheDestinationScaled() {
        assertTrue(DisplayClientChannel.capabilities(EnumSet.of(VideoCodec.MJPEG, VideoCodec.H264))
                .has(DisplayMessages.CAP_CODEC_H264));
        create(3, 2, 2, 6, 6);
        frame(3, clock.get(), 2, 2, 0xff0000);
        assertEquals(0xff0000, rgb(2, 2));
        assertEquals(0xff0000, rgb(5, 5));
        assertEquals(0, rgb(1, 1));
        assertEquals(0, rgb(6, 6));
        assertEquals(Map.of("H264", 1L), display.streamCodecs());
        // STREAM_CLIP to the top-left 2x2 of the destination
        feed(DisplayMessages.STREAM_CLIP, new Msg().u32(3).u8(1).u32(1).area(2, 2, 4, 4));
        frame(3, clock.get(), 1, 1, 0x00ff00);
        assertEquals(0x00ff00, rgb(3, 3));
        assertEquals(0xff0000, rgb(4, 4));
    }

    @Test
    void earlyFramesWaitForTheClockAndLateOnesAreDropped() throws InterruptedException {
        create(1, 0, 0, 8, 8);
        frame(1, clock.get() + 400, 1, 1, 0x0000ff);
        assertEquals(0, rgb(0, 0), "shown before its time");
        clock.addAndGet(500);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (rgb(0, 0) != 0x0000ff && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0x0000ff, rgb(0, 0), "not shown once its time came");
        frame(1, clock.get() - 50, 1, 1, 0xffffff);
        assertEquals(0x0000ff, rgb(0, 0), "a late frame was shown");
        // a clock that stays ahead of every frame does not freeze the stream for good
        for (int i = 0; i < StreamPlayer.MAX_LATE_IN_A_ROW; i++) {
            frame(1, clock.get() - 50, 1, 1, 0x123456);
        }
        assertEquals(0x123456, rgb(0, 0));
    }

    @Test
    void framesShowInTheirOrderWhenMoreWaitThanTheQueueHolds() throws InterruptedException {
        create(1, 0, 0, 8, 8);
        int frames = StreamPlayer.MAX_WAITING + 3;
        for (int i = 1; i <= frames; i++) {
            frame(1, clock.get() + 400 + i, 1, 1, i);
        }
        // the queue overflowed: its oldest frames were shown early, in order; the newest still wait
        assertEquals(3, rgb(0, 0));
        clock.addAndGet(500 + frames);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (rgb(0, 0) != frames && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(100);
        assertEquals(frames, rgb(0, 0), "the last frame is not the one left on the screen");
        // a frame shown at once (late after MAX_LATE_IN_A_ROW, or far early) first shows those waiting
        frame(1, clock.get() + 400, 1, 1, 0x0000aa);
        frame(1, clock.get() + StreamPlayer.MAX_EARLY_MS + 1000, 1, 1, 0x0000bb);
        Thread.sleep(600);
        assertEquals(0x0000bb, rgb(0, 0), "an older waiting frame covered a newer one");
    }

    /**
     * A frame decodes into the array of a picture no longer shown (drawn over by a later one), never into the one on
     * the surface or one still waiting for its time; when the size changes, the old size's arrays are offered once
     * more (not taken) and dropped.
     */
    @Test
    void framesDecodeIntoTheArraysOfPicturesNoLongerShown() throws InterruptedException {
        create(1, 0, 0, 8, 8);
        FakeDecoder d = opened.get(0);
        frame(1, clock.get(), 2, 2, 0x000001); // shown: picture 0
        frame(1, clock.get(), 2, 2, 0x000002); // shown: picture 1, and picture 0's array is spare
        frame(1, clock.get() + 400, 2, 2, 0x000003); // waits, in picture 0's array
        frame(1, clock.get() + 401, 2, 2, 0x000004); // waits, in a new array: 1 is shown, 0 waits
        assertEquals(java.util.Arrays.asList(null, null, d.pictures.get(0), null), d.offered);
        assertEquals(0x000002, rgb(0, 0), "the picture on the surface was written over");
        clock.addAndGet(500);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (rgb(0, 0) != 0x000004 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0x000004, rgb(0, 0));
        // 1 and 3 (in 0's array) were drawn over: their arrays are spare, 4's is on the surface
        frame(1, clock.get(), 2, 2, 0x000005);
        frame(1, clock.get(), 2, 2, 0x000006);
        assertEquals(0x000006, rgb(0, 0));
        assertEquals(d.pictures.get(1), d.offered.get(4));
        assertEquals(d.pictures.get(0), d.offered.get(5));
        // a stream that changes size: the old size's arrays are offered once more, then dropped
        frame(1, clock.get(), 3, 3, 0x000007);
        frame(1, clock.get(), 3, 3, 0x000008);
        frame(1, clock.get(), 3, 3, 0x000009);
        frame(1, clock.get(), 3, 3, 0x00000a);
        assertEquals(0x00000a, rgb(0, 0));
        // 7 and 8 were offered the last 2x2 arrays (and took new ones); 9 and 10 the arrays of 7 and 8
        assertEquals(java.util.Arrays.asList(d.pictures.get(3), d.pictures.get(1), d.pictures.get(6),
                d.pictures.get(7)), d.offered.subList(6, 10));
    }

    /** The codecs of the streams live now: none before a STREAM_CREATE, none again after the streams' destroys. */
    @Test
    void theLiveStreamsCodecsComeAndGoWithTheStreams() {
        assertEquals(List.of(), display.liveStreamCodecs());
        create(1, 0, 0, 4, 4);
        create(2, 4, 4, 8, 8);
        assertEquals(List.of("H264"), display.liveStreamCodecs());
        feed(DisplayMessages.STREAM_DESTROY, new Msg().u32(1));
        assertEquals(List.of("H264"), display.liveStreamCodecs());
        feed(DisplayMessages.STREAM_DESTROY, new Msg().u32(2));
        assertEquals(List.of(), display.liveStreamCodecs());
        create(3, 0, 0, 8, 8);
        assertEquals(List.of("H264"), display.liveStreamCodecs());
        feed(DisplayMessages.STREAM_DESTROY_ALL, new Msg());
        assertEquals(List.of(), display.liveStreamCodecs());
    }

    @Test
    void theVideoEndListenerGetsThePictureTheStreamsLeftUnderTheRedrawBeforeTheirEnd() {
        List<int[]> held = new ArrayList<>();
        display.addVideoEndListener(f -> held.add(f.rgb().clone()));
        create(1, 0, 0, 4, 4);
        create(2, 4, 4, 8, 8);
        frame(1, clock.get(), 1, 1, 0x000011);
        frame(2, clock.get(), 1, 1, 0x000022);
        frame(2, clock.get() + 400, 1, 1, 0x000033); // still waiting for its time when its stream ends
        // spice-server's lossless redraw of the stopped streams comes before it destroys them
        feed(DisplayMessages.DRAW_FILL, new Msg().base(0, 0, 8, 8).solid(0x777777).u16(DisplayMessages.ROPD_OP_PUT)
                .noMask());
        feed(DisplayMessages.STREAM_DESTROY, new Msg().u32(1));
        assertEquals(List.of(), held, "heard while stream 2 still plays");
        feed(DisplayMessages.STREAM_DESTROY, new Msg().u32(2));
        assertEquals(1, held.size());
        assertEquals(0x000011, held.get(0)[0] & 0xffffff, "stream 1's last frame");
        assertEquals(0x000011, held.get(0)[3 * 8 + 3] & 0xffffff);
        assertEquals(0x000033, held.get(0)[4 * 8 + 4] & 0xffffff, "stream 2's last frame");
        assertEquals(0x777777, held.get(0)[7] & 0xffffff, "outside the streams: the surface as it is");
        assertEquals(0x777777, rgb(0, 0), "the surface itself keeps the redraw");
        assertEquals(0x777777, rgb(4, 4), "a waiting frame painted over the redraw (spice-gtk drops it)");
        create(3, 0, 0, 8, 8);
        frame(3, clock.get(), 1, 1, 0x000044);
        feed(DisplayMessages.STREAM_DESTROY_ALL, new Msg());
        assertEquals(2, held.size(), "a later video's end is heard too");
        assertEquals(0x000044, held.get(1)[7] & 0xffffff);
        // a stream that ended, then a draw over its area, then the last stream's end: the draw is newer there
        create(4, 0, 0, 4, 8);
        create(5, 4, 0, 8, 8);
        frame(4, clock.get(), 1, 1, 0x000055);
        frame(5, clock.get(), 1, 1, 0x000066);
        feed(DisplayMessages.STREAM_DESTROY, new Msg().u32(4));
        feed(DisplayMessages.DRAW_FILL, new Msg().base(0, 0, 4, 8).solid(0x888888).u16(DisplayMessages.ROPD_OP_PUT)
                .noMask());
        feed(DisplayMessages.STREAM_DESTROY, new Msg().u32(5));
        assertEquals(3, held.size());
        assertEquals(0x888888, held.get(2)[0] & 0xffffff, "an ended stream's frame covered a newer draw");
        assertEquals(0x000066, held.get(2)[7] & 0xffffff);
    }

    /**
     * A late last frame is dropped from the surface, as spice-gtk drops it (the server's lossless redraw comes
     * before STREAM_DESTROY), but it is the picture the video left: the video end listener gets it (at load 14
     * a QEMU video test's held picture was an older frame, 26-29 dB from the lossless one where spice-gtk's was 45).
     */
    @Test
    void aLateLastFrameIsHeldButNotPaintedWhenItsStreamEnds() {
        List<int[]> held = new ArrayList<>();
        display.addVideoEndListener(f -> held.add(f.rgb().clone()));
        create(1, 0, 0, 8, 8);
        frame(1, clock.get(), 1, 1, 0x000011);
        frame(1, clock.get() - 50, 1, 1, 0x000022); // late: dropped while the stream plays
        assertEquals(0x000011, rgb(0, 0));
        feed(DisplayMessages.STREAM_DESTROY, new Msg().u32(1));
        assertEquals(0x000011, rgb(0, 0), "the late frame was painted when the stream ended");
        assertEquals(0x000022, held.get(0)[0] & 0xffffff, "the stream's last frame is not what it left");
        create(2, 0, 0, 8, 8);
        frame(2, clock.get() - 50, 1, 1, 0x000033); // late, then a frame on time: the late one stays dropped
        frame(2, clock.get(), 1, 1, 0x000044);
        feed(DisplayMessages.STREAM_DESTROY, new Msg().u32(2));
        assertEquals(0x000044, rgb(0, 0));
        assertEquals(0x000044, held.get(1)[0] & 0xffffff, "an older dropped frame covered the last one shown");
    }

    @Test
    void reportsComeInWindowsOfTheSizeTheServerAsks() {
        create(2, 0, 0, 8, 8);
        feed(DisplayMessages.STREAM_ACTIVATE_REPORT, new Msg().u32(2).u32(77).u32(3).u32(60_000));
        frame(2, clock.get(), 1, 1, 1);
        frame(2, clock.get() - 10, 1, 1, 2); // late: dropped
        assertTrue(ctx.sent.stream().noneMatch(m -> m.type() == DisplayMessages.C_STREAM_REPORT));
        frame(2, clock.get() + 5, 1, 1, 3);
        List<SpiceMessage> reports = ctx.sent.stream().filter(m -> m.type() == DisplayMessages.C_STREAM_REPORT)
                .toList();
        assertEquals(List.of(new DisplayMessages.StreamReport(2, 77, clock.get(), clock.get() + 5, 3, 1, 5,
                StreamPlayer.NO_AUDIO_DELAY)), reports);
    }

    @Test
    void skippingDecodingCountsTimesAndReportsFramesButNeitherDecodesNorDrawsThem() {
        create(2, 0, 0, 8, 8);
        frame(2, clock.get(), 1, 1, 0x111111);
        assertEquals(0x111111, rgb(0, 0));
        display.skipVideoDecoding();
        assertTrue(opened.get(0).closed, "the playing stream's decoder stays open");
        feed(DisplayMessages.STREAM_ACTIVATE_REPORT, new Msg().u32(2).u32(77).u32(3).u32(60_000));
        frame(2, clock.get(), 1, 1, 0x222222);
        frame(2, clock.get() - 10, 1, 1, 0x333333); // late: a decoding client drops it
        // not even a frame the decoder would refuse is looked at
        feed(DisplayMessages.STREAM_DATA, new Msg().u32(2).u32(clock.get() + 5).u32(3).u8(1).u8(2).u8(3));
        assertEquals(0x111111, rgb(0, 0));
        assertEquals(4, display.streamFrames());
        assertEquals(List.of(), display.unsupported());
        assertEquals(List.of(new DisplayMessages.StreamReport(2, 77, clock.get(), clock.get() + 5, 3, 1, 5,
                StreamPlayer.NO_AUDIO_DELAY)), ctx.sent.stream()
                .filter(m -> m.type() == DisplayMessages.C_STREAM_REPORT).toList());
        // a stream created afterwards opens no decoder
        create(3, 0, 0, 8, 8);
        frame(3, clock.get(), 1, 1, 0x444444);
        assertEquals(1, opened.size());
        assertEquals(0x111111, rgb(0, 0));
        assertEquals(List.of("H264"), display.liveStreamCodecs());
        feed(DisplayMessages.STREAM_DESTROY, new Msg().u32(3));
        feed(DisplayMessages.STREAM_DESTROY, new Msg().u32(2));
        assertEquals(List.of(), display.liveStreamCodecs());
    }

    @Test
    void aFrameTheDecoderRefusesStopsItsStreamOnly() {
        create(4, 0, 0, 8, 8);
        create(5, 0, 0, 8, 8);
        feed(DisplayMessages.STREAM_DATA, new Msg().u32(4).u32(clock.get()).u32(3).u8(1).u8(2).u8(3));
        assertTrue(opened.get(0).closed, "the refused stream's decoder stays open");
        assertEquals(List.of("video stream 4 in H264 stopped: bad H264 frame: 3 bytes"), display.unsupported());
        frame(4, clock.get(), 1, 1, 0xabcdef); // ignored
        assertEquals(0, rgb(0, 0));
        frame(5, clock.get(), 1, 1, 0x111111);
        assertEquals(0x111111, rgb(0, 0));
        feed(DisplayMessages.STREAM_DESTROY, new Msg().u32(5));
        assertTrue(opened.get(1).closed);
        assertThrows(SpiceProtocolException.class, () -> frame(5, clock.get(), 1, 1, 0));
    }

    @Test
    void closingTheChannelClosesEveryDecoder() {
        for (int id = 0; id < DisplayMessages.MAX_STREAMS; id++) {
            create(id, 0, 0, 8, 8);
        }
        create(7, 0, 0, 8, 8); // the same id again replaces the stream and closes its decoder
        assertTrue(opened.get(7).closed);
        display.onClose();
        assertTrue(opened.stream().allMatch(d -> d.closed));
    }
}
