package org.spice.tunnel.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;

/**
 * A bounded queue of byte chunks read as an InputStream; {@link #offer} refuses what exceeds the bound. A producer
 * that pauses itself when the queue is long learns from {@link #whenDrainedBelow} when to resume.
 */
final class ByteQueue extends InputStream {
    private final long limit;
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private long queued;
    private int pos;
    private boolean ended;
    private long lowWater = -1;
    private Runnable onLowWater;

    ByteQueue(long limit) {
        this.limit = limit;
    }

    /** Runs {@code r} once, on the reader's thread, as soon as a read leaves fewer than {@code bytes} queued. */
    synchronized void whenDrainedBelow(long bytes, Runnable r) {
        if (queued < bytes) {
            r.run();
        } else {
            lowWater = bytes;
            onLowWater = r;
        }
    }

    /** False when the bytes do not fit; they are then dropped. */
    synchronized boolean offer(byte[] b) {
        if (ended) {
            return true;
        }
        if (queued + b.length > limit) {
            return false;
        }
        if (b.length > 0) {
            chunks.add(b);
            queued += b.length;
            notifyAll();
        }
        return true;
    }

    synchronized void end() {
        ended = true;
        notifyAll();
    }

    synchronized long queued() {
        return queued;
    }

    @Override
    public synchronized int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (chunks.isEmpty() && !ended) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
            }
        }
        if (chunks.isEmpty()) {
            return -1;
        }
        int n = 0;
        while (n < len && !chunks.isEmpty()) {
            byte[] c = chunks.peek();
            int k = Math.min(len - n, c.length - pos);
            System.arraycopy(c, pos, b, off + n, k);
            n += k;
            pos += k;
            if (pos == c.length) {
                chunks.poll();
                pos = 0;
            }
        }
        queued -= n;
        if (onLowWater != null && queued < lowWater) {
            Runnable r = onLowWater;
            onLowWater = null;
            r.run();
        }
        return n;
    }

    @Override
    public synchronized int available() {
        return (int) Math.min(Integer.MAX_VALUE, queued);
    }

    @Override
    public void close() {
        synchronized (this) {
            chunks.clear();
            queued = 0;
        }
        end();
    }
}
