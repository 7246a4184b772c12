package org.spice.runtime.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.osgi.util.tracker.ServiceTracker;
import org.spice.cli.ClientCommand;
import org.spice.desktop.Rect;
import org.spice.desktop.UsKeyboard;
import org.spice.display.api.ClientDisplay;
import org.spice.display.api.ClientDisplays;
import org.spice.inputs.api.ClientInput;
import org.spice.inputs.api.ClientInputs;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;

/**
 * The client side of {@code spice bench server}: N sessions of this runtime's client, each with main, display 0 and
 * inputs, that watch the server's display and type into it.
 *
 * <p>How an update is told to answer a key: the demo desktop redraws its text box ({@link #TEXT}) on every key it
 * types and on nothing else, and all clients see one desktop. Keys go one at a time, round robin over the clients,
 * at a steady rate, and the next key is sent only once every client has received an update of the text box after
 * the previous one was sent. So the first text-box update a client receives after a key was sent shows that key
 * (every earlier key's update has already arrived there), and each key gives every client a sample: key-down at its
 * sender to that client's update. The keys alternate 'a' and Backspace, so the text stays one character long.
 * Other updates (the video window) count as frames.
 *
 * <p>What a client costs: each one parses every message, decodes every image into its copy of the screen and acks
 * as a viewer does, but by default counts its video frames (stream data) as they arrive without decoding them
 * ({@link ClientDisplay#skipVideoDecoding}; timed and reported to the server as a viewer would): hundreds of sessions
 * decoding MJPEG in this one process would cost more CPU than the server they measure, and starve the links and
 * the key timing of the rest. With {@code decodeVideo} they decode and draw every frame in time, and the frames
 * counted are the display's changes outside the text box.
 *
 * <p>The inputs API is imported dynamically (spice-minimal has no inputs bundle): this class is loaded only when the
 * command runs.
 */
final class BenchServerClients implements AutoCloseable {
    /** The demo desktop's text box at its default size (DemoSource.TEXT of org.spice.desktop.sources). */
    static final Rect TEXT = new Rect(74, 184, 492, 162);
    /** How many sessions link at once: each link makes the server generate an RSA key. */
    private static final int LINKING_AT_ONCE = 8;
    /**
     * How long a key may wait for its updates at every client before it counts as missed where it did not come:
     * long, because a missed key's late update could be taken for the next key's (at a load average of 25 on two
     * cores a first key took more than 2 s).
     */
    private static final long KEY_TIMEOUT_MS = 10_000;

    private final Runtime rt;
    private final boolean decodeVideo;
    private final boolean keepLatencies;
    private final List<Viewer> viewers = new ArrayList<>();
    private final ServiceTracker<ClientDisplays, ClientDisplays> displays;
    private final ServiceTracker<ClientInputs, ClientInputs> inputs;
    private volatile Key pending;
    private long keysSent;
    private long keysMissed;

    /** One key on its way: when it was sent and how many clients have yet to see it. */
    private static final class Key {
        final long sentAt;
        final AtomicInteger waiting;
        final CountDownLatch seen = new CountDownLatch(1);

        Key(long sentAt, int clients) {
            this.sentAt = sentAt;
            this.waiting = new AtomicInteger(clients);
        }
    }

    /** One client session and what it saw. */
    final class Viewer implements Consumer<Rect> {
        final int number;
        final ClientSession session;
        ClientInput input;
        ClientDisplay display;
        final LongAdder frames = new LongAdder();
        /** Pixels of the updates counted in {@link #frames}: a frame may come in bands, so this says how much. */
        final LongAdder pixels = new LongAdder();
        /** Key-down to this client's update, in nanoseconds, for every key it saw (when kept: see the constructor). */
        private long[] latencies = new long[64];
        /** Entries of {@link #latencies} in use; both guarded by this viewer. */
        private int latencyCount;
        /** Keys this client saw answered, kept or not. */
        private final LongAdder keysSeen = new LongAdder();
        private Key answered;
        long framesAtStart;
        long bytesAtStart;
        long framesInWindow;
        long pixelsAtStart;
        long pixelsInWindow;
        long bytesInWindow;

        Viewer(int number, ClientSession session) {
            this.number = number;
            this.session = session;
        }

        /** A change of the primary surface, on the display channel's thread. */
        @Override
        public void accept(Rect r) {
            long now = System.nanoTime();
            if (!r.intersect(TEXT).isEmpty()) {
                Key k = pending;
                if (k != null && answered != k) {
                    answered = k;
                    keysSeen.increment();
                    if (keepLatencies) {
                        synchronized (this) {
                            if (latencyCount == latencies.length) {
                                latencies = Arrays.copyOf(latencies, 2 * latencyCount);
                            }
                            latencies[latencyCount++] = now - k.sentAt;
                        }
                    }
                    if (k.waiting.decrementAndGet() == 0) {
                        k.seen.countDown();
                    }
                }
            }
            if (!contains(TEXT, r)) {
                frames.increment();
                pixels.add((long) r.width() * r.height());
            }
        }

        long keysSeen() {
            return keysSeen.sum();
        }

        /** The latencies kept, sorted; none when the clients keep no latencies. */
        long[] latencies() {
            long[] sorted;
            synchronized (this) {
                sorted = Arrays.copyOf(latencies, latencyCount);
            }
            Arrays.sort(sorted);
            return sorted;
        }
    }

    /**
     * {@code decodeVideo}: the clients decode and draw their video frames, not only count them. {@code keepLatencies}:
     * every key's latency at every client is kept for percentiles; a soak only counts keys, because a record that
     * grows with the run (8 bytes a key a viewer, in arrays that double) would be read as the clients' heap growing.
     */
    BenchServerClients(Runtime rt, boolean decodeVideo, boolean keepLatencies) {
        this.rt = rt;
        this.decodeVideo = decodeVideo;
        this.keepLatencies = keepLatencies;
        displays = new ServiceTracker<>(rt.context(), ClientDisplays.class, null);
        inputs = new ServiceTracker<>(rt.context(), ClientInputs.class, null);
        displays.open();
        inputs.open();
    }

    List<Viewer> viewers() {
        return viewers;
    }

    long keysSent() {
        return keysSent;
    }

    long keysMissed() {
        return keysMissed;
    }

    /**
     * Links {@code count} sessions (main, display 0, inputs), {@value #LINKING_AT_ONCE} at a time, and waits for each
     * one's complete picture; throws with the first failure, or when it all takes longer than {@code timeoutSeconds}.
     */
    void link(SpiceUri uri, int count, int timeoutSeconds) throws Exception {
        ClientDisplays d = displays.waitForService(20_000);
        ClientInputs in = inputs.waitForService(20_000);
        if (d == null || in == null) {
            throw new IllegalStateException("the display and inputs bundles (org.spice.display, org.spice.inputs)"
                    + " are not running");
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        // a link waits for the server's RSA key; with hundreds of links on a busy machine that takes a while
        ClientOptions options = ClientOptions.defaults().withConnectChannels(false)
                .withTimeout(java.time.Duration.ofSeconds(60));
        Semaphore linking = new Semaphore(LINKING_AT_ONCE);
        List<CompletableFuture<Viewer>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int number = i + 1;
            if (!linking.tryAcquire(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("only " + (number - 1) + " of " + count + " clients linked within "
                        + timeoutSeconds + " s");
            }
            CompletableFuture<Viewer> v = rt.client().connect(uri, options).thenCompose(s -> {
                Viewer viewer = new Viewer(number, s);
                synchronized (viewers) {
                    viewers.add(viewer);
                }
                return d.linked(s, 0).thenCompose(disp -> {
                    if (!decodeVideo) {
                        disp.skipVideoDecoding();
                    }
                    return disp.complete();
                }).thenCombine(in.linked(s), (disp, inp) -> {
                    viewer.input = inp;
                    viewer.display = disp;
                    disp.addChangeListener(viewer);
                    return viewer;
                });
            });
            v.whenComplete((x, e) -> linking.release());
            all.add(v);
        }
        for (CompletableFuture<Viewer> v : all) {
            try {
                v.get(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("not every client had its picture within " + timeoutSeconds + " s");
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("a client failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
        synchronized (viewers) {
            viewers.sort((a, b) -> Integer.compare(a.number, b.number));
        }
    }

    /**
     * The frames a viewer saw so far: its display's changes outside the text box, which with decodeVideo include the
     * video frames it showed, and otherwise the video frames it received (counted, not drawn).
     */
    private long frames(Viewer v) {
        return decodeVideo ? v.frames.sum() : v.frames.sum() + v.display.streamFrames();
    }

    /** Marks the start of the measured window: frames and bytes count from here. */
    void startWindow() {
        for (Viewer v : viewers) {
            v.framesAtStart = frames(v);
            v.pixelsAtStart = v.pixels.sum();
            v.bytesAtStart = v.session.bytesReceived();
        }
    }

    /** Marks its end. */
    void endWindow() {
        for (Viewer v : viewers) {
            v.framesInWindow = frames(v) - v.framesAtStart;
            v.pixelsInWindow = v.pixels.sum() - v.pixelsAtStart;
            v.bytesInWindow = v.session.bytesReceived() - v.bytesAtStart;
        }
    }

    /**
     * Types until {@code endNanos}: {@code keysPerSecond} keys a second in all, one at a time as the class comment
     * says; a key that some clients did not see within {@value #KEY_TIMEOUT_MS} ms counts as missed there.
     */
    void type(double keysPerSecond, long endNanos) throws InterruptedException {
        long interval = (long) (1e9 / keysPerSecond);
        long next = System.nanoTime();
        int sender = 0;
        while (true) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            long now = System.nanoTime();
            if (now >= endNanos) {
                break;
            }
            next = Math.max(next + interval, now);
            Viewer v = viewers.get(sender);
            sender = (sender + 1) % viewers.size();
            int code = keysSent % 2 == 0 ? UsKeyboard.stroke('a').code() : UsKeyboard.BACKSPACE;
            Key k = new Key(now, viewers.size());
            pending = k;
            v.input.keyDown(code);
            v.input.keyUp(code);
            keysSent++;
            if (!k.seen.await(KEY_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                keysMissed += Math.max(0, k.waiting.get());
            }
        }
        pending = null;
    }

    static long[] all(List<Viewer> viewers) {
        return viewers.stream().flatMapToLong(v -> Arrays.stream(v.latencies())).sorted().toArray();
    }

    private static boolean contains(Rect outer, Rect r) {
        return r.x() >= outer.x() && r.y() >= outer.y() && r.right() <= outer.right()
                && r.bottom() <= outer.bottom();
    }

    @Override
    public void close() {
        List<ClientSession> sessions;
        synchronized (viewers) {
            sessions = viewers.stream().map(v -> v.session).toList();
        }
        sessions.forEach(ClientSession::close);
        for (ClientSession s : sessions) {
            ClientCommand.closeAndWait(s);
        }
        displays.close();
        inputs.close();
    }
}
