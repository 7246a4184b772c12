package org.spice.display.api;

import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;
import java.util.List;
import java.util.function.Consumer;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;

/** What the client has decoded on one display channel. */
@ProviderType
public interface ClientDisplay {
    /** A copy of the primary surface, or null before the server created one. */
    Frame primary();

    /**
     * The heads (monitors) of this channel in the order of its last MONITORS_CONFIG, head {@code i} being
     * remote-viewer's monitor id {@code i}: each the area of the primary surface it shows, clamped to the surface;
     * a disabled head (zero size, on another surface or wholly outside the primary one) is an empty rectangle. Without
     * a MONITORS_CONFIG the whole primary surface is the one head; empty before a primary surface exists.
     */
    default List<Rect> heads() {
        Frame f = primary();
        return f == null ? List.of() : List.of(new Rect(0, 0, f.width(), f.height()));
    }

    /** How many display marks (the server's "the picture is complete") arrived so far. */
    int marks();

    /**
     * Completes with this display once it has a primary surface and a display mark arrived; fails when the channel
     * closes before.
     */
    CompletableFuture<ClientDisplay> complete();

    /** Nanotime of the last change to the primary surface. */
    long lastChangeNanos();

    /** Draw operations or image types met that this client cannot render yet; empty when the picture is exact. */
    List<String> unsupported();

    /**
     * Calls {@code listener} after each change of the primary surface with the area that changed (the whole
     * surface when it is created), on the channel's thread and while the display is locked: a viewer only
     * schedules its repaint there and reads {@link #primary()} later.
     */
    void addChangeListener(Consumer<Rect> listener);

    void removeChangeListener(Consumer<Rect> listener);

    /** How many images of each type (LZ4, GLZ_RGB, QUIC...) were decoded so far, in the order first met. */
    default java.util.Map<String, Long> imageTypes() {
        return java.util.Map.of();
    }

    /**
     * How many surfaces of each format (32_xRGB, 8_A...) the server created so far (SURFACE_CREATE; a MODE's
     * surface is not counted), in the order first met.
     */
    default java.util.Map<String, Long> surfaceFormats() {
        return java.util.Map.of();
    }

    /** How many video streams of each codec (MJPEG, H264, VP8...) showed at least one decoded frame so far. */
    default java.util.Map<String, Long> streamCodecs() {
        return java.util.Map.of();
    }

    /**
     * The codecs (MJPEG, H264, VP8...) of the video streams live now (created and not yet destroyed), each once;
     * empty while none plays.
     */
    default List<String> liveStreamCodecs() {
        return List.of();
    }

    /** How many video frames (stream data messages) arrived so far, over all streams. */
    default long streamFrames() {
        return 0;
    }

    /**
     * From now on, this channel's video frames are received, parsed, timed against the session's clock, reported to
     * the server (STREAM_REPORT, when it asked for reports) and counted in {@link #streamFrames()}, but not decoded
     * or drawn: the primary surface keeps what was under each stream. For load generators ({@code spice bench
     * server}), whose many sessions in one process would otherwise spend their CPU on decoding instead of measuring
     * the server. Streams decoding now stop decoding; it cannot be undone (a decoder of H.264, VP8 or VP9 that
     * skipped frames has lost its reference pictures).
     */
    default void skipVideoDecoding() {
        throw new UnsupportedOperationException("this display cannot skip decoding video");
    }

    /**
     * Calls {@code listener} each time the last live video stream of this channel ends (STREAM_DESTROY or
     * STREAM_DESTROY_ALL) with the picture the video left: the primary surface with the last frame each of the
     * ended streams showed in its place. That is what the screen held before the server's lossless redraw of the
     * stopped streams, which spice-server sends just before it destroys them (and a client behind the stream meets
     * back to back with the last frames). Called on the channel's thread while the display is locked; only then are
     * the streams' last frames kept and the picture made.
     */
    default void addVideoEndListener(Consumer<Frame> listener) {
    }

    default void removeVideoEndListener(Consumer<Frame> listener) {
    }
}
