package org.spice.display.internal.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;
import org.spice.display.video.VideoCodec;
import org.spice.display.video.VideoEncoder;

/**
 * The server's codec choice (its list reordered by the client's preference, limited to what both sides have) and
 * the stream encoder's flow: one frame encoding, only the newest waiting, the rest dropped; bit rate from reports.
 */
class VideoEncodersTest {
    private static final Set<VideoCodec> ALL = EnumSet.allOf(VideoCodec.class);

    @Test
    void theClientsPreferenceWinsAmongWhatBothSidesHave() {
        List<VideoCodec> server = List.of(VideoCodec.MJPEG, VideoCodec.H264, VideoCodec.VP8, VideoCodec.VP9);
        assertEquals(VideoCodec.MJPEG, VideoEncoders.choose(server, List.of(), ALL, ALL));
        assertEquals(VideoCodec.VP8, VideoEncoders.choose(server, List.of(VideoCodec.VP8, VideoCodec.H264), ALL,
                ALL));
        // the client prefers VP8 but did not announce it: its next preference that it announced
        assertEquals(VideoCodec.H264, VideoEncoders.choose(server, List.of(VideoCodec.VP8, VideoCodec.H264),
                EnumSet.of(VideoCodec.MJPEG, VideoCodec.H264), ALL));
        // a codec this server was not configured with is never used
        assertEquals(VideoCodec.MJPEG, VideoEncoders.choose(List.of(VideoCodec.MJPEG), List.of(VideoCodec.VP9), ALL,
                ALL));
        // nothing encodes VP9 here (no org.spice.video): MJPEG
        assertEquals(VideoCodec.MJPEG, VideoEncoders.choose(List.of(VideoCodec.VP9), List.of(), ALL,
                EnumSet.of(VideoCodec.MJPEG)));
    }

    /** An encoder whose output is the first pixel of each frame, as one byte. */
    static final class FirstPixel implements VideoEncoder {
        final List<Long> rates = new ArrayList<>();
        boolean closed;

        @Override
        public byte[] encode(int[] argb, int offset, int stride) {
            return new byte[] {(byte) argb[offset]};
        }

        @Override
        public void bitRate(long bitsPerSecond) {
            rates.add(bitsPerSecond);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static Frame frame(int v) {
        return new Frame(2, 2, new int[] {v, v, v, v}, v);
    }

    @Test
    void whileAFrameEncodesOnlyTheNewestWaitsAndTheOthersAreDropped() {
        ArrayDeque<Runnable> pool = new ArrayDeque<>();
        ArrayDeque<Runnable> loop = new ArrayDeque<>();
        List<Integer> sent = new ArrayList<>();
        FirstPixel enc = new FirstPixel();
        StreamEncoder s = new StreamEncoder(enc, new Rect(0, 0, 640, 400), 1_000_000, pool::add, loop::add,
                e -> sent.add((int) e.data()[0]), "test");
        s.offer(frame(1), 100);
        s.offer(frame(2), 140);
        s.offer(frame(3), 180);
        s.offer(frame(4), 220);
        assertEquals(1, pool.size(), "more than one frame of a stream encoding at once");
        assertEquals(2, s.dropped);
        pool.poll().run();
        loop.poll().run();
        assertEquals(List.of(1), sent);
        assertEquals(1, pool.size(), "the newest waiting frame was not started");
        pool.poll().run();
        loop.poll().run();
        assertEquals(List.of(1, 4), sent);
        s.report(20, 3, -40, 1);
        assertEquals(750_000, s.bitRate());
        s.offer(frame(5), 260);
        pool.poll().run();
        assertEquals(List.of(750_000L), enc.rates);
        s.close();
        assertTrue(!enc.closed, "closed while a frame encodes");
        loop.poll().run();
        assertTrue(enc.closed);
        assertEquals(List.of(1, 4), sent, "a frame sent after the stream ended");
    }

    /**
     * Streams of the built-in MJPEG encoder showing one area of one frame get one encode's bytes; another frame, or
     * another frame of the same serial (a new source), or another area is encoded again. Other codecs share nothing.
     */
    @Test
    void mjpegStreamsOfOneFrameShareOneEncode() {
        try (VideoEncoders video = new VideoEncoders()) {
            VideoEncoder mjpeg = video.open(VideoCodec.MJPEG, 64, 48, 25, 1_000_000, "test");
            assertTrue(video.shared(new FirstPixel()) == null, "a codec with a rate of its own shares frames");
            SharedFrames shared = video.shared(mjpeg);
            Rect area = new Rect(8, 8, 64, 48);
            List<byte[]> sent = new ArrayList<>();
            List<StreamEncoder> streams = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                streams.add(new StreamEncoder(video.open(VideoCodec.MJPEG, 64, 48, 25, 1_000_000, "test"), shared,
                        area, 1_000_000, Runnable::run, Runnable::run, e -> sent.add(e.data()), "test " + i));
            }
            int[] px = new int[100 * 80];
            for (int i = 0; i < px.length; i++) {
                px[i] = i * 2654435761L % 0xffffff > 0x7fffff ? 0xffffff : (i * 37) & 0xffffff;
            }
            Frame f = new Frame(100, 80, px, 7);
            streams.forEach(s -> s.offer(f, 100));
            assertEquals(5, sent.size());
            for (byte[] b : sent) {
                assertTrue(b == sent.get(0), "each stream encoded the frame again");
            }
            assertArrayEquals(mjpeg.encode(px, 8 * 100 + 8, 100), sent.get(0), "not the frame's MJPEG");
            assertArrayEquals(new long[] {1, 4}, shared.counts());
            Frame sameSerial = new Frame(100, 80, px.clone(), 7);
            streams.get(0).offer(sameSerial, 140);
            assertArrayEquals(new long[] {2, 4}, shared.counts(), "another frame of serial 7 took the old bytes");
            StreamEncoder elsewhere = new StreamEncoder(video.open(VideoCodec.MJPEG, 64, 48, 25, 1_000_000, "test"),
                    shared, new Rect(0, 0, 64, 48), 1_000_000, Runnable::run, Runnable::run, e -> sent.add(e.data()),
                    "test");
            elsewhere.offer(sameSerial, 140);
            assertArrayEquals(new long[] {3, 4}, shared.counts(), "another area took the bytes of this one");
        }
    }

    /**
     * Twice as many MJPEG streams of one area as the worker pool's queue holds, fed from one event loop as a server's
     * channels are, while every worker is busy: the frames the full queue refuses are dropped, never waited for, and
     * the queued ones all get the one encode of their frame. A second frame offered to the streams in the other order
     * reaches the other half: every stream had a frame, two encodes in all.
     */
    @Test
    void moreSharedStreamsThanTheQueueHoldsDropTheRestAndShareOneEncode() throws Exception {
        int count = 2 * VideoEncoders.QUEUE;
        java.util.concurrent.ExecutorService loop = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (VideoEncoders video = new VideoEncoders()) {
            SharedFrames shared = video.shared(video.open(VideoCodec.MJPEG, 64, 48, 25, 1_000_000, "test"));
            Rect area = new Rect(8, 8, 64, 48);
            int[] received = new int[count];
            List<StreamEncoder> streams = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                streams.add(new StreamEncoder(video.open(VideoCodec.MJPEG, 64, 48, 25, 1_000_000, "test"), shared,
                        area, 1_000_000, video.pool(), loop, e -> received[n]++, "test " + i));
            }
            for (int round = 1; round <= 2; round++) {
                // every worker taken, so that the queue fills
                java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
                for (int t = 0; t < VideoEncoders.THREADS; t++) {
                    video.pool().execute(() -> {
                        try {
                            gate.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                }
                waitFor(() -> video.pool().getActiveCount() == VideoEncoders.THREADS
                        && video.pool().getQueue().isEmpty(), "the workers to take the gate");
                int[] px = new int[100 * 80];
                java.util.Arrays.fill(px, round * 0x010203);
                Frame f = new Frame(100, 80, px, round);
                int first = (round - 1) * VideoEncoders.QUEUE;
                loop.submit(() -> {
                    for (int i = 0; i < count; i++) {
                        streams.get((first + i) % count).offer(f, 100);
                    }
                }).get(30, java.util.concurrent.TimeUnit.SECONDS);
                gate.countDown();
                waitFor(() -> video.pool().getActiveCount() == 0 && video.pool().getQueue().isEmpty(),
                        "the workers to finish round " + round);
            }
            int[] got = loop.submit(received::clone).get(30, java.util.concurrent.TimeUnit.SECONDS);
            long dropped = loop.submit(() -> streams.stream().mapToLong(st -> st.dropped).sum())
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
            int[] once = new int[count];
            java.util.Arrays.fill(once, 1);
            assertArrayEquals(once, got, "not every stream got exactly one of the two frames");
            assertEquals(count, dropped, "each stream's frame of the round it was refused in is dropped");
            assertArrayEquals(new long[] {2, count - 2}, shared.counts());
        } finally {
            loop.shutdownNow();
        }
    }

    /** Waits for {@code done}, failing after 30 s: a hang guard, not a speed check. */
    private static void waitFor(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "waited 30 s for " + what);
            Thread.sleep(5);
        }
    }

    @Test
    void theBitRateStaysWithinItsBoundsAndABitAPixelAFrame() {
        StreamEncoder s = new StreamEncoder(new FirstPixel(), new Rect(0, 0, 1920, 1080), StreamEncoder.MIN_BIT_RATE,
                Runnable::run, Runnable::run, e -> { }, "test");
        s.report(20, 5, -10, 1);
        assertEquals(StreamEncoder.MIN_BIT_RATE, s.bitRate());
        for (int i = 0; i < 100; i++) {
            s.report(20, 0, 200, 1);
        }
        assertEquals(StreamEncoder.MAX_BIT_RATE, s.bitRate());
        StreamEncoder small = new StreamEncoder(new FirstPixel(), new Rect(0, 0, 160, 96), StreamEncoder.MIN_BIT_RATE,
                Runnable::run, Runnable::run, e -> { }, "test");
        for (int i = 0; i < 100; i++) {
            small.report(20, 0, 200, 1);
        }
        assertEquals(160 * 96 * 25, small.bitRate(), "a 160x96 stream's rate");
    }

    /**
     * A client without STREAM_REPORT: a second in which the ack window held back more than a tenth of the frames
     * lowers the rate by a quarter, a second in which every frame went raises it by a tenth, and nothing changes
     * within a second.
     */
    @Test
    void withoutReportsTheAckWindowPacesTheBitRate() {
        StreamEncoder s = new StreamEncoder(new FirstPixel(), new Rect(0, 0, 640, 400), 1_000_000, Runnable::run,
                Runnable::run, e -> { }, "test");
        long second = RateControl.PACING_WINDOW_NANOS;
        long t = 5 * second;
        s.paced(true, true, t);
        s.paced(false, true, t + second / 2);
        assertEquals(1_000_000, s.bitRate(), "changed within the first second");
        s.paced(true, true, t + second);
        assertEquals(750_000, s.bitRate(), "a second with a held-back frame");
        s.paced(true, true, t + second + second / 2);
        s.paced(true, true, t + 2 * second);
        assertEquals(825_000, s.bitRate(), "a second in which every frame went");
        for (int i = 3; i < 40; i++) {
            s.paced(false, true, t + i * second);
        }
        assertEquals(StreamEncoder.MIN_BIT_RATE, s.bitRate(), "a client that never catches up");
    }

    /**
     * A client with STREAM_REPORT behind a link narrower than the stream: its reports show nothing wrong (what
     * arrives is in time), but the frames the ack window holds back lower the rate, and no report raises it while
     * frames are held back or within a second of the rate going down for them.
     */
    @Test
    void withReportsFramesHeldBackStillLowerTheBitRate() {
        StreamEncoder s = new StreamEncoder(new FirstPixel(), new Rect(0, 0, 640, 400), 1_000_000, Runnable::run,
                Runnable::run, e -> { }, "test");
        long second = RateControl.PACING_WINDOW_NANOS;
        long t = 5 * second;
        s.paced(true, false, t);
        s.paced(false, false, t + second / 2);
        s.report(20, 0, 100, t + second / 2 + 1);
        assertEquals(1_000_000, s.bitRate(), "a clean report raised the rate right after a frame was held back");
        s.paced(true, false, t + second);
        assertEquals(750_000, s.bitRate(), "a second with a held-back frame");
        s.paced(true, false, t + 2 * second);
        assertEquals(750_000, s.bitRate(), "raised without a report");
        s.report(20, 0, 100, t + 2 * second);
        assertEquals(825_000, s.bitRate(), "a clean report a second after the last held-back frame");
    }

    /** A key frame's burst holds back a frame or two: that is not a link too narrow for the stream. */
    @Test
    void aFewFramesHeldBackInASecondLeaveTheRate() {
        StreamEncoder s = new StreamEncoder(new FirstPixel(), new Rect(0, 0, 640, 400), 1_000_000, Runnable::run,
                Runnable::run, e -> { }, "test");
        long second = RateControl.PACING_WINDOW_NANOS;
        long t = 5 * second;
        for (int i = 0; i <= 30; i++) {
            s.paced(i != 3 && i != 4, true, t + i * second / 30);
        }
        assertEquals(1_000_000, s.bitRate(), "2 of 31 frames held back");
        for (int i = 31; i <= 60; i++) {
            s.paced(i % 5 != 0, true, t + i * second / 30);
        }
        assertEquals(750_000, s.bitRate(), "6 of 30 frames held back");
    }

    /** An encoder that fails every frame is logged once a stream, not at the frame rate. */
    @Test
    void aFailingEncoderIsLoggedOnceAndNothingIsSent() {
        List<Integer> sent = new ArrayList<>();
        VideoEncoder failing = new VideoEncoder() {
            @Override
            public byte[] encode(int[] argb, int offset, int stride) {
                throw new org.spice.display.video.VideoCodecException("refused a frame");
            }

            @Override
            public void bitRate(long bitsPerSecond) {
            }

            @Override
            public void close() {
            }
        };
        StreamEncoder s = new StreamEncoder(failing, new Rect(0, 0, 640, 400), 1_000_000, Runnable::run,
                Runnable::run, e -> sent.add(1), "test");
        try (org.spice.protocol.LogCapture log = new org.spice.protocol.LogCapture("org.spice.display")) {
            for (int i = 0; i < 5; i++) {
                s.offer(frame(i), 100 + 40 * i);
            }
            assertEquals(1, log.lines().stream().filter(l -> l.startsWith("WARNING")
                    && l.contains("encoding a video frame failed")).count(), () -> "log: " + log.lines());
        }
        assertTrue(sent.isEmpty());
    }
}
