package org.spice.display.internal.server;

import org.spice.desktop.Frame;

/**
 * One client's video stream as its display channel drives it, on the channel's event loop: frames in, encoded
 * frames out to the channel, the client's reports and the ack window steering the bit rate. A stream has an encoder
 * of its own ({@link StreamEncoder}) or shares one with streams of other clients ({@link SharedStreams}).
 */
interface VideoStream {
    /** A new frame, to be shown at {@code mmTime} on the session's multimedia clock. */
    void offer(Frame f, long mmTime);

    /** An encoded frame of this stream that the client could not take (its ack window was full). */
    void missed();

    /** A STREAM_REPORT of the client. */
    void report(long frames, long drops, int lastFrameDelayMs, long nanoTime);

    /** The ack window's verdict on a frame: {@code raise} for a client without STREAM_REPORT. */
    void paced(boolean sent, boolean raise, long nanoTime);

    /** The rate the stream's encoder aims at now (bits a second). */
    long bitRate();

    /** Frames of this stream dropped before they reached the channel. */
    long dropped();

    /** Ends the stream; its encoder is freed once no other stream uses it and no frame of it encodes. */
    void close();
}
