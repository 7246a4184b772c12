package org.spice.display.internal.server;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.spice.display.internal.codec.JpegEncoder;
import org.spice.display.video.VideoCodec;
import org.spice.display.video.VideoCodecException;
import org.spice.display.video.VideoCodecProvider;
import org.spice.display.video.VideoEncoder;

/**
 * The video encoders of a server: MJPEG built in, the others from registered {@link VideoCodecProvider}s, and the
 * bounded worker pool every stream encodes on, off the channels' event loops.
 */
final class VideoEncoders implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.spice.display");
    /** Encoding threads: video encoders are CPU-bound; more threads than cores only queue. */
    static final int THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    /** Encodes waiting for a thread; each stream has at most one, so this bounds the streams served at once. */
    static final int QUEUE = 256;

    private final List<VideoCodecProvider> providers = new CopyOnWriteArrayList<>();
    private final ThreadPoolExecutor pool;
    /** MJPEG frames, the same for every stream of the same area at the built-in encoder's fixed quality. */
    private final SharedFrames mjpeg = new SharedFrames();
    /** Streams of the other codecs, in groups that share an encoder. */
    private final SharedStreams streams;

    VideoEncoders() {
        pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "spice-video-encoder");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        streams = new SharedStreams(pool, (codec, area, bitsPerSecond, who) -> open(codec, area.width(),
                area.height(), DisplayServerChannel.STREAM_FPS, bitsPerSecond, who));
    }

    /** Where streams of H.264, VP8 and VP9 share encoders. */
    SharedStreams streams() {
        return streams;
    }

    ThreadPoolExecutor pool() {
        return pool;
    }

    /**
     * Where streams of {@code encoder} share their encoded frames: the built-in MJPEG encoder's output depends on
     * the pixels alone; null for the others (a bit rate and a history: they share whole encoders, {@link #streams}).
     */
    SharedFrames shared(VideoEncoder encoder) {
        return encoder instanceof MjpegEncoder ? mjpeg : null;
    }

    void add(VideoCodecProvider p) {
        providers.add(p);
    }

    void remove(VideoCodecProvider p) {
        providers.remove(p);
    }

    /** What encodes here now. */
    Set<VideoCodec> codecs() {
        Set<VideoCodec> out = EnumSet.of(VideoCodec.MJPEG);
        providers.forEach(p -> out.addAll(p.encodes()));
        return out;
    }

    /**
     * The codec a stream uses: the server's list ({@code configured}) reordered by the client's preference (codecs
     * it prefers first, in its order), the first one the client announces ({@code clientDecodes}) and this server
     * encodes; MJPEG when none is left, as spice-server falls back to its built-in MJPEG encoder.
     */
    static VideoCodec choose(List<VideoCodec> configured, List<VideoCodec> clientPrefers, Set<VideoCodec> clientDecodes,
            Set<VideoCodec> encodable) {
        List<VideoCodec> order = new ArrayList<>();
        for (VideoCodec c : clientPrefers) {
            if (configured.contains(c)) {
                order.add(c);
            }
        }
        for (VideoCodec c : configured) {
            if (!order.contains(c)) {
                order.add(c);
            }
        }
        for (VideoCodec c : order) {
            if (clientDecodes.contains(c) && encodable.contains(c)) {
                return c;
            }
        }
        return VideoCodec.MJPEG;
    }

    /** An encoder for one stream; null when the codec's provider fails to open one (logged). */
    VideoEncoder open(VideoCodec codec, int width, int height, int fps, long bitsPerSecond, String who) {
        if (codec != VideoCodec.MJPEG) {
            for (VideoCodecProvider p : providers) {
                if (p.encodes().contains(codec)) {
                    try {
                        return p.encoder(codec, width, height, fps, bitsPerSecond);
                    } catch (VideoCodecException e) {
                        LOG.log(Level.WARNING, who + ": no " + codec + " encoder for " + width + "x" + height
                                + " (" + e.getMessage() + "); streaming MJPEG");
                        return null;
                    }
                }
            }
            return null;
        }
        return new MjpegEncoder(width, height);
    }

    /** MJPEG: each frame one JPEG image of the display's JPEG encoder. */
    static final class MjpegEncoder implements VideoEncoder {
        private final int width;
        private final int height;

        MjpegEncoder(int width, int height) {
            this.width = width;
            this.height = height;
        }

        @Override
        public byte[] encode(int[] argb, int offset, int stride) {
            return JpegEncoder.encode(width, height, argb, offset, stride, JpegEncoder.DEFAULT_QUALITY);
        }

        @Override
        public void bitRate(long bitsPerSecond) {
            // fixed quality: MJPEG follows the client by dropping frames only
        }

        @Override
        public void close() {
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
