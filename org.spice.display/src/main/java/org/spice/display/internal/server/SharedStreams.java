package org.spice.display.internal.server;

import java.lang.System.Logger.Level;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;
import org.spice.display.video.VideoCodec;
import org.spice.display.video.VideoCodecException;
import org.spice.display.video.VideoEncoder;

/**
 * Streams of an encoder with a history and a bit rate (H.264, VP8, VP9) that share one encoder: a group of streams
 * of the same codec and area, in step (all streams here show one display source, that of the {@link
 * DisplayServerFactory} whose {@link VideoEncoders} keeps them, so one area is one picture). Every frame the group's
 * encoder makes goes to every member (later frames refer to earlier ones), so a member is in a group only from one of
 * its key frames on:
 *
 * <ul>
 *   <li>a new stream starts in a group of its own, with an encoder of its own, at the rate of the largest group
 *       streaming its codec and area (where there is one);
 *   <li>at a key frame of a group, the groups of the same codec and area with no more members and a rate within a
 *       tenth of its own join it: their members take this key frame and every frame after, and their encoders end;
 *   <li>a member leaves for a group of its own (a new encoder, so its next frame is a key frame) when its client
 *       could not take one of the group's frames (its ack window was full) or asks for a lower rate; the group's rate
 *       goes up only when every member's latest verdict asks for more;
 *   <li>a stream that ends leaves its group, and the last member's leaving ends the encoder (its native memory freed
 *       once no frame of it encodes).
 * </ul>
 *
 * Encodes run on the video workers, one frame at a time per group (the newest frame waiting, as {@link StreamEncoder}
 * does), never on an event loop; each member's frames go to its channel's event loop. Alone in its group, a stream is
 * what a stream with its own encoder was: a frame its client could not take is lost and the stream goes on.
 */
final class SharedStreams {
    private static final System.Logger LOG = System.getLogger("org.spice.display");
    /** Frames a group remembers, so that a member offering a frame another member offered before adds nothing. */
    private static final int RECENT = 4;

    /** Opens an encoder for a group (on a video worker). */
    interface Opener {
        /** An encoder of {@code codec} for {@code area} at {@code bitsPerSecond}, or null when none opens. */
        VideoEncoder open(VideoCodec codec, Rect area, long bitsPerSecond, String who);
    }

    private final Executor pool;
    private final Opener opener;
    /** Every open group; it, and every group's and member's state but the encoder's, are guarded by this. */
    private final List<Group> groups = new ArrayList<>();
    private long encodes;
    private long merges;

    SharedStreams(Executor pool, Opener opener) {
        this.pool = pool;
        this.opener = opener;
    }

    /**
     * The bit rate a new stream of {@code codec} over {@code area} starts at: that of the group with the most
     * members streaming them, so that it can join that group at its next key frame; {@code otherwise} when none does.
     */
    synchronized long startRate(VideoCodec codec, Rect area, long otherwise) {
        Group best = null;
        for (Group g : groups) {
            if (g.codec == codec && g.area.equals(area) && (best == null || g.members.size() > best.members.size())) {
                best = g;
            }
        }
        return best == null ? otherwise : best.rate;
    }

    /**
     * A new stream over {@code area} of the frames, in a group of its own with {@code encoder}, just opened at
     * {@code bitRate} (so that its first frame is a key frame). Its encoded frames go to {@code sink} on {@code loop},
     * stamped on the session's clock, which reads {@code mmTimeNow} now.
     */
    synchronized Member join(VideoCodec codec, VideoEncoder encoder, Rect area, long bitRate, Executor loop,
            long mmTimeNow, Consumer<StreamEncoder.Encoded> sink, String who) {
        Member m = new Member(area, loop, mmTimeNow, sink, who);
        Group g = new Group(codec, area, encoder, bitRate, who);
        groups.add(g);
        g.add(m);
        return m;
    }

    /** Groups now, frames encoded and streams that joined another group, so far. */
    synchronized long[] counts() {
        return new long[] {groups.size(), encodes, merges};
    }

    /** The members of every group now, largest group first. */
    synchronized List<Integer> groupSizes() {
        return groups.stream().map(g -> g.members.size()).sorted((a, b) -> b - a).toList();
    }

    /** One encoder and the streams that take its every frame. */
    private final class Group {
        final VideoCodec codec;
        final Rect area;
        final String who;
        final List<Member> members = new ArrayList<>();
        /** The rate the members agreed on; the encoder takes it at its next frame. */
        long rate;
        boolean busy;
        boolean closed;
        Frame waiting;
        long waitingNanos;
        final ArrayDeque<WeakReference<int[]>> recent = new ArrayDeque<>();
        /** Guarded by itself: opened, rated, used and closed by one thread at a time. */
        private final Object encoding = new Object();
        private VideoEncoder encoder;
        private long appliedRate;
        private boolean encoderClosed;
        private int failures;

        Group(VideoCodec codec, Rect area, VideoEncoder encoder, long rate, String who) {
            this.codec = codec;
            this.area = area;
            this.encoder = encoder;
            this.rate = rate;
            this.appliedRate = rate;
            this.who = who;
        }

        void add(Member m) {
            members.add(m);
            m.group = this;
            m.wantsRaise = false;
        }

        /** A member's frame (under the lock): encoded unless a member offered it before. */
        void offer(Frame f, long nanos) {
            if (closed) {
                return;
            }
            for (WeakReference<int[]> r : recent) {
                if (r.get() == f.rgb()) {
                    return;
                }
            }
            recent.addLast(new WeakReference<>(f.rgb()));
            if (recent.size() > RECENT) {
                recent.removeFirst();
            }
            if (busy) {
                waiting = f; // a frame already waiting is dropped: no member was sent anything of it
                waitingNanos = nanos;
                return;
            }
            start(f, nanos);
        }

        /** Under the lock. */
        void start(Frame f, long nanos) {
            busy = true;
            try {
                pool.execute(() -> encode(this, f, nanos));
            } catch (RejectedExecutionException e) {
                busy = false; // every worker taken and the queue full: this frame is late anyway, for every member
            }
        }

        /** The frame's data (worker thread, one at a time); null when the group closed meanwhile. */
        byte[] encodeFrame(Frame f, long target) {
            synchronized (encoding) {
                if (encoderClosed) {
                    return null;
                }
                if (encoder == null) {
                    encoder = opener.open(codec, area, target, who);
                    if (encoder == null) {
                        throw new VideoCodecException("no " + codec + " encoder for " + area.width() + "x"
                                + area.height());
                    }
                    appliedRate = target;
                }
                if (target != appliedRate) {
                    encoder.bitRate(target);
                    appliedRate = target;
                }
                return encoder.encode(f.rgb(), area.y() * f.width() + area.x(), f.width());
            }
        }

        void closeEncoder() {
            synchronized (encoding) {
                if (!encoderClosed) {
                    encoderClosed = true;
                    if (encoder != null) {
                        encoder.close();
                    }
                }
            }
        }

        /** Under the lock: no member left. True when the caller closes the encoder (no frame of it encodes). */
        boolean close() {
            closed = true;
            waiting = null;
            groups.remove(this);
            return !busy;
        }

        boolean allWantRaise() {
            for (Member m : members) {
                if (!m.wantsRaise) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Worker thread. */
    private void encode(Group g, Frame f, long nanos) {
        long target;
        boolean closed;
        synchronized (this) {
            target = g.rate;
            closed = g.closed;
        }
        byte[] data = null;
        try {
            data = closed ? null : g.encodeFrame(f, target);
        } catch (RuntimeException e) {
            g.failures++;
            LOG.log(g.failures == 1 ? Level.WARNING : Level.DEBUG, g.who + ": encoding a video frame failed"
                    + (g.failures == 1 ? "" : " (" + g.failures + " so far)") + ": " + e);
        }
        List<Member> to = List.of();
        List<Group> ended = new ArrayList<>();
        synchronized (this) {
            if (!g.closed && data != null && data.length > 0) {
                encodes++;
                if (KeyFrames.isKey(g.codec, data)) {
                    takeIn(g, ended);
                }
                to = List.copyOf(g.members);
            }
        }
        ended.forEach(Group::closeEncoder);
        byte[] frame = data;
        // Every member's frames are posted to its loop in the encoder's order: the next frame starts encoding only
        // once this one is posted (a next frame started first, on another worker, could reach a loop first).
        for (Member m : to) {
            try {
                m.loop.execute(() -> m.deliver(g, nanos, frame));
            } catch (RejectedExecutionException channelGone) {
                // that member's channel has ended: nothing to send to
            }
        }
        boolean closeNow;
        synchronized (this) {
            g.busy = false;
            closeNow = g.closed; // closed while this frame encoded: its closer left the encoder to this worker
            if (!g.closed && g.waiting != null) {
                Frame next = g.waiting;
                g.waiting = null;
                g.start(next, g.waitingNanos);
            }
        }
        if (closeNow) {
            g.closeEncoder();
        }
    }

    /**
     * At a key frame of {@code g} (under the lock): the groups of its codec and area with no more members and a rate
     * within a tenth of its own join it; those whose encoders can end now go to {@code ended}.
     */
    private void takeIn(Group g, List<Group> ended) {
        for (Group h : List.copyOf(groups)) {
            if (h == g || h.codec != g.codec || !h.area.equals(g.area) || h.members.size() > g.members.size()
                    || Math.abs(h.rate - g.rate) * 10 > g.rate) {
                continue;
            }
            int joined = h.members.size();
            for (Member m : h.members) {
                g.add(m);
            }
            boolean first = false;
            for (Member m : g.members) {
                first |= !m.shared;
                m.shared = true;
            }
            merges += joined;
            h.members.clear();
            if (h.close()) {
                ended.add(h);
            }
            int size = g.members.size();
            // at INFO once a stream: a client whose ack window fills now and then leaves and joins again
            Level level = first ? Level.INFO : Level.DEBUG;
            LOG.log(level, () -> g.who + ": " + size + " streams share this stream's " + g.codec + " encoder from"
                    + " this key frame on (" + joined + " joined)");
        }
    }

    /** One client's stream in a group. */
    final class Member implements VideoStream {
        final Executor loop;
        private final Consumer<StreamEncoder.Encoded> sink;
        private final String who;
        private final RateControl control;
        /** The session's multimedia clock minus System.nanoTime() in milliseconds (event loop). */
        private long mmOffset;
        private long dropped;
        /** Guarded by the lock of SharedStreams. */
        private Group group;
        private boolean wantsRaise;
        private long wantedRate;
        /** Whether it has shared an encoder yet. */
        private boolean shared;
        private boolean closed;

        private Member(Rect area, Executor loop, long mmTimeNow, Consumer<StreamEncoder.Encoded> sink, String who) {
            this.loop = loop;
            this.sink = sink;
            this.who = who;
            this.control = new RateControl(area, who);
            this.mmOffset = mmTimeNow - System.nanoTime() / 1_000_000;
        }

        @Override
        public void offer(Frame f, long mmTime) {
            long now = System.nanoTime();
            mmOffset = mmTime - now / 1_000_000;
            synchronized (SharedStreams.this) {
                if (!closed) {
                    group.offer(f, now);
                }
            }
        }

        /** A frame of {@code from}, first offered at {@code nanos} (event loop). */
        private void deliver(Group from, long nanos, byte[] data) {
            synchronized (SharedStreams.this) {
                if (closed || group != from) {
                    dropped++; // it left that group (or moved to another) since: a frame of another history
                    return;
                }
            }
            sink.accept(new StreamEncoder.Encoded(nanos / 1_000_000 + mmOffset, data));
        }

        /** Its client missed a frame the others took: it goes on alone, from a key frame of its own. */
        @Override
        public void missed() {
            synchronized (SharedStreams.this) {
                if (!closed && group.members.size() > 1) {
                    leave(group.rate, "its client fell behind");
                }
            }
        }

        @Override
        public void report(long frames, long drops, int lastFrameDelayMs, long nanoTime) {
            synchronized (SharedStreams.this) {
                if (!closed) {
                    long want = control.report(group.rate, frames, drops, lastFrameDelayMs, nanoTime);
                    verdict(want, true);
                }
            }
        }

        @Override
        public void paced(boolean sent, boolean raise, long nanoTime) {
            synchronized (SharedStreams.this) {
                if (!closed) {
                    verdict(control.paced(group.rate, sent, raise, nanoTime), false);
                }
            }
        }

        /**
         * What the client asks of the group's rate (under the lock): alone, it sets it; less, it leaves; more, it
         * votes for a raise, which comes when every member has. The same rate withdraws a report's vote ({@code
         * fromReport}: the client has no time to spare); a pacing window that changes nothing leaves it.
         */
        private void verdict(long want, boolean fromReport) {
            Group g = group;
            if (want == g.rate) {
                if (fromReport) {
                    wantsRaise = false;
                }
            } else if (g.members.size() == 1) {
                g.rate = want;
            } else if (want < g.rate) {
                leave(want, "its client asks for " + want / 1000 + " kbit/s, the group's rate is " + g.rate / 1000);
            } else {
                wantsRaise = true;
                wantedRate = want;
                if (g.allWantRaise()) {
                    long r = Long.MAX_VALUE;
                    for (Member m : g.members) {
                        r = Math.min(r, m.wantedRate);
                        m.wantsRaise = false;
                    }
                    g.rate = r;
                }
            }
        }

        /** Under the lock: to a new group of its own at {@code rate}, whose encoder opens at its first frame. */
        private void leave(long rate, String why) {
            Group from = group;
            from.members.remove(this);
            Group own = new Group(from.codec, from.area, null, rate, who);
            groups.add(own);
            own.add(this);
            LOG.log(Level.DEBUG, () -> who + ": stream left the " + from.codec + " encoder of " + from.who + " ("
                    + why + "); a key frame of its own next");
        }

        @Override
        public long bitRate() {
            synchronized (SharedStreams.this) {
                return group.rate;
            }
        }

        @Override
        public long dropped() {
            return dropped;
        }

        /** The number of streams of its group now. */
        int groupSize() {
            synchronized (SharedStreams.this) {
                return closed ? 0 : group.members.size();
            }
        }

        @Override
        public void close() {
            Group last;
            synchronized (SharedStreams.this) {
                if (closed) {
                    return;
                }
                closed = true;
                group.members.remove(this);
                last = group.members.isEmpty() && group.close() ? group : null;
            }
            if (last != null) {
                last.closeEncoder();
            }
        }
    }
}
