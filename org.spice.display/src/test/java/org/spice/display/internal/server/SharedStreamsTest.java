package org.spice.display.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;
import org.spice.display.video.VideoCodec;
import org.spice.display.video.VideoEncoder;

/**
 * Streams sharing an encoder: what each client receives must decode as a per-session encoder's frames would, so
 * every client's frames are checked as a decoder would take them: a key frame first, then each frame the next one of
 * the encoder whose key frame came last (no reference to a frame the client never got).
 */
class SharedStreamsTest {
    /** Large enough that the rates below are within a stream's bounds (StreamEncoder.maxBitRate). */
    private static final Rect AREA = new Rect(0, 0, 640, 400);
    private static final long RATE = 1_000_000;

    /**
     * A VP8-shaped encoder: each frame 10 bytes, a key frame (RFC 6386's tag and start code) first and after each
     * rate change, then inter frames; bytes 1 and 2 name the encoder and the frame's number in its history.
     */
    static final class HistoryEncoder implements VideoEncoder {
        final int id;
        final List<Long> rates = new ArrayList<>();
        /** Runs during the next encode, as another member's loop offering a frame meanwhile. */
        Runnable during;
        int next;
        boolean key = true;
        boolean closed;

        HistoryEncoder(int id) {
            this.id = id;
        }

        @Override
        public byte[] encode(int[] argb, int offset, int stride) {
            assertFalse(closed, "encoder " + id + " used after it closed");
            if (during != null) {
                Runnable r = during;
                during = null;
                r.run();
            }
            byte[] b = key ? new byte[] {0, (byte) id, (byte) next, (byte) 0x9d, 1, 0x2a, 0, 0, 0, (byte) argb[offset]}
                    : new byte[] {1, (byte) id, (byte) next, 0, 0, 0, 0, 0, 0, (byte) argb[offset]};
            key = false;
            next++;
            return b;
        }

        @Override
        public void bitRate(long bitsPerSecond) {
            rates.add(bitsPerSecond);
            key = true; // as FfmpegEncoder reopens its context
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** A client: what its stream received, checked as a decoder takes it. */
    static final class Client {
        final List<byte[]> frames = new ArrayList<>();
        SharedStreams.Member stream;

        void take(StreamEncoder.Encoded e) {
            byte[] b = e.data();
            if (frames.isEmpty()) {
                assertTrue(KeyFrames.isKey(VideoCodec.VP8, b), "the first frame is not a key frame");
            } else if (!KeyFrames.isKey(VideoCodec.VP8, b)) {
                byte[] last = frames.get(frames.size() - 1);
                assertEquals(last[1], b[1], "an inter frame of another encoder than the frame before");
                assertEquals(last[2] + 1, b[2], "an inter frame whose reference the client never got");
            }
            frames.add(b);
        }

        /** The encoder and number of the last frame, "E#N", with "K" for a key frame. */
        String last() {
            byte[] b = frames.get(frames.size() - 1);
            return (KeyFrames.isKey(VideoCodec.VP8, b) ? "K" : "") + b[1] + "#" + b[2];
        }
    }

    private final ArrayDeque<Runnable> pool = new ArrayDeque<>();
    private final List<HistoryEncoder> opened = new ArrayList<>();
    private boolean onWorker;
    private final SharedStreams streams = new SharedStreams(pool::add, (codec, area, rate, who) -> {
        assertTrue(onWorker, "an encoder opened outside the video workers");
        HistoryEncoder e = new HistoryEncoder(10 + opened.size());
        opened.add(e);
        return e;
    });

    private void runPool() {
        while (!pool.isEmpty()) {
            onWorker = true;
            try {
                pool.poll().run();
            } finally {
                onWorker = false;
            }
        }
    }

    private Client join(HistoryEncoder encoder) {
        Client c = new Client();
        c.stream = streams.join(VideoCodec.VP8, encoder, AREA, streams.startRate(VideoCodec.VP8, AREA, RATE),
                Runnable::run, 0, c::take, "test");
        return c;
    }

    private static Frame frame(int v) {
        int[] px = new int[AREA.width() * AREA.height()];
        java.util.Arrays.fill(px, v);
        return new Frame(AREA.width(), AREA.height(), px, v);
    }

    private static void offer(Frame f, Client... clients) {
        for (Client c : clients) {
            c.stream.offer(f, 0);
        }
    }

    /** Two streams, then a third: one encoder from the first key frame that finds the others on. */
    @Test
    void streamsOfOneAreaShareAnEncoderFromAKeyFrame() {
        HistoryEncoder one = new HistoryEncoder(1);
        HistoryEncoder two = new HistoryEncoder(2);
        Client a = join(one);
        Client b = join(two);
        offer(frame(1), a, b);
        assertEquals(2, pool.size(), "each stream's first frame is its own encoder's");
        runPool();
        assertEquals("K1#0", a.last());
        assertEquals("K1#0", b.last(), "b did not join a's encoder at its key frame");
        assertTrue(two.closed, "the encoder b left is still open");
        assertEquals(2, a.stream.groupSize());
        for (int v = 2; v <= 4; v++) {
            offer(frame(v), a, b);
            assertEquals(1, pool.size(), "frame " + v + " encoded more than once");
            runPool();
        }
        assertEquals("1#3", a.last());
        assertEquals("1#3", b.last());
        assertEquals(4, b.frames.size());

        // a stream that starts later has a key frame of its own, and its group is taken in at the next key frame
        // of the larger one
        HistoryEncoder three = new HistoryEncoder(3);
        Client c = join(three);
        offer(frame(5), a, b, c);
        runPool();
        assertEquals("1#4", a.last());
        assertEquals("K3#0", c.last());
        assertEquals(List.of(2, 1), streams.groupSizes(), "c joined a larger group at its own key frame");
        one.key = true; // as the encoder's key frame interval ends
        offer(frame(6), a, b, c);
        runPool();
        assertEquals("K1#5", c.last());
        assertEquals(List.of(3), streams.groupSizes());
        assertTrue(three.closed);
        assertTrue(opened.isEmpty(), "an encoder opened though every stream had one");
        a.stream.close();
        b.stream.close();
        c.stream.close();
    }

    /**
     * A client that could not take a frame (its ack window was full) goes on alone from a key frame of a new
     * encoder; the others keep the shared one's history. Alone, a stream that misses a frame keeps its encoder, as
     * a stream with an encoder of its own does.
     */
    @Test
    void aMemberThatMissedAFrameLeavesWithAKeyFrame() {
        HistoryEncoder one = new HistoryEncoder(1);
        Client a = join(one);
        Client b = join(new HistoryEncoder(2));
        Client c = join(new HistoryEncoder(3));
        offer(frame(1), a, b, c);
        runPool();
        offer(frame(2), a, b, c);
        runPool();
        b.stream.missed(); // the channel could not send frame 2 to b: b drops it
        b.frames.remove(b.frames.size() - 1);
        assertEquals(List.of(2, 1), streams.groupSizes());
        offer(frame(3), a, b, c);
        runPool();
        assertEquals("1#2", a.last());
        assertEquals("1#2", c.last());
        assertEquals("K10#0", b.last(), "b's next frame is not a key frame of an encoder of its own");
        assertEquals(List.of(2, 1), streams.groupSizes(), "the larger group joined b's at b's key frame");
        assertEquals(1, opened.size());
        assertEquals(RATE, b.stream.bitRate());
        b.stream.close();
        assertTrue(opened.get(0).closed);
        c.stream.close();
        a.stream.missed();
        offer(frame(4), a);
        runPool();
        assertEquals("1#3", a.last());
        assertEquals(1, opened.size());
        a.stream.close();
        assertTrue(one.closed);
    }

    /**
     * A member whose client asks for less leaves at that rate; more comes only when every member asked for it, and
     * reaches the shared encoder at its next frame.
     */
    @Test
    void aLowerRateLeavesAndAHigherOneNeedsEveryMember() {
        HistoryEncoder one = new HistoryEncoder(1);
        Client a = join(one);
        Client b = join(new HistoryEncoder(2));
        Client c = join(new HistoryEncoder(3));
        offer(frame(1), a, b, c);
        runPool();
        assertEquals(List.of(3), streams.groupSizes());
        c.stream.report(20, 3, -40, 1); // drops: c wants a quarter less
        assertEquals(List.of(2, 1), streams.groupSizes());
        assertEquals(RATE * 3 / 4, c.stream.bitRate());
        a.stream.report(20, 0, 200, 1); // time to spare: a wants a tenth more
        assertEquals(RATE, b.stream.bitRate(), "raised before every member asked");
        b.stream.report(20, 0, 20, 1); // no time to spare
        a.stream.report(20, 0, 200, 2);
        assertEquals(RATE, a.stream.bitRate(), "raised while b had no time to spare");
        b.stream.report(20, 0, 200, 3);
        assertEquals(RATE * 11 / 10, a.stream.bitRate());
        assertEquals(RATE * 11 / 10, b.stream.bitRate());
        offer(frame(2), a, b, c);
        runPool();
        assertEquals(List.of(RATE * 11 / 10), one.rates);
        assertEquals("K1#1", a.last(), "the shared encoder's new rate (FfmpegEncoder's new context)");
        assertEquals("K10#0", c.last());
        assertEquals(RATE * 3 / 4, c.stream.bitRate());
        assertEquals(List.of(2, 1), streams.groupSizes(), "c joined a group at a rate far above its own");
        a.stream.close();
        b.stream.close();
        c.stream.close();
    }

    /**
     * A stream that ends leaves its group; the last one ends the encoder, at once or, while a frame of it encodes,
     * when that frame is done (never sent).
     */
    @Test
    void theLastMemberEndsTheEncoderOnceNoFrameEncodes() {
        HistoryEncoder one = new HistoryEncoder(1);
        Client a = join(one);
        Client b = join(new HistoryEncoder(2));
        offer(frame(1), a, b);
        runPool();
        a.stream.close();
        assertFalse(one.closed, "closed while b streams");
        offer(frame(2), a, b);
        runPool();
        assertEquals("1#1", b.last());
        assertEquals(1, a.frames.size(), "a frame reached a stream that ended");
        offer(frame(3), b);
        assertEquals(1, pool.size());
        b.stream.close();
        assertFalse(one.closed, "closed while a frame encodes");
        runPool();
        assertTrue(one.closed);
        assertEquals(2, b.frames.size(), "a frame sent after the stream ended");
        assertEquals(0, streams.counts()[0], "groups left");
    }

    /** A frame two members offer is encoded once, also when the second offer comes after the encode. */
    @Test
    void aFrameEveryMemberOffersIsEncodedOnceAndOnlyTheNewestWaits() {
        Client a = join(new HistoryEncoder(1));
        Client b = join(new HistoryEncoder(2));
        offer(frame(1), a, b);
        runPool();
        Frame two = frame(2);
        offer(two, a);
        runPool();
        offer(two, b); // b's event loop was behind a's
        assertTrue(pool.isEmpty(), "frame 2 encoded again");
        offer(frame(3), a);
        offer(frame(4), b);
        offer(frame(5), a);
        assertEquals(1, pool.size());
        runPool();
        assertEquals(List.of(1, 2, 3, 5), a.frames.stream().map(f -> (int) f[9]).toList(),
                "not the newest waiting frame after the one encoding");
        assertEquals(a.frames.size(), b.frames.size());
        a.stream.close();
        b.stream.close();
    }

    /**
     * A frame that waited while the one before encoded starts only once the one before is posted to every member:
     * with workers that start at once (here: on the thread that submits), a frame started first reached the loops
     * first, and a client took an inter frame before the key frame it refers to.
     */
    @Test
    void eachMembersFramesArriveInTheEncodersOrder() {
        SharedStreams inline = new SharedStreams(Runnable::run, (codec, area, rate, who) -> null);
        HistoryEncoder one = new HistoryEncoder(1);
        Client a = new Client();
        a.stream = inline.join(VideoCodec.VP8, one, AREA, RATE, Runnable::run, 0, a::take, "a");
        one.during = () -> a.stream.offer(frame(2), 0); // frame 2 arrives while frame 1 encodes
        a.stream.offer(frame(1), 0);
        assertEquals(List.of("K1#0", "1#1"), a.frames.stream().map(b -> (b[0] == 0 ? "K" : "") + b[1] + "#" + b[2])
                .toList());
        a.stream.close();
        assertTrue(one.closed);
    }
}
