package org.spice.gateway.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.spice.desktop.DisplaySource;
import org.spice.desktop.Frame;
import org.spice.desktop.Pointer;
import org.spice.desktop.Rect;
import org.spice.recording.Header;
import org.spice.recording.RecordingFormat;
import org.spice.recording.RecordingWriter;

/**
 * Writes each upstream session as a recording (docs/recording.md) in a directory: a listener of the
 * {@link GatewaySource} that only queues what changed (frames are immutable, so a queued change holds the frame,
 * not a copy) and a writer thread of its own that compresses and writes. The queue is bounded by the pixels of the
 * frames it holds: when the disk cannot keep up a change is dropped (logged) and the next one is written as the
 * whole picture, so the VM's session and the viewers never wait for the disk. A file that reaches the size limit is
 * ended and the next part starts with the whole picture and the pointer, so every file replays on its own.
 */
final class Recorder implements DisplaySource.Listener, AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.spice.gateway");
    /** The frames the queue may hold at most, in pixels (4 bytes each): 16 Mi pixels, eight 1920x1080 frames. */
    static final long MAX_QUEUED_PIXELS = 16L * 1024 * 1024;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
            .withZone(ZoneOffset.UTC);

    private sealed interface Item {
    }

    private record Start(String description, long nanos) implements Item {
    }

    private record Change(Frame frame, Rect area, long nanos) implements Item {
    }

    private record PointerChange(Pointer pointer, long nanos) implements Item {
    }

    private record Stop(long nanos) implements Item {
    }

    private final Path dir;
    private final String name;
    private final long maxBytes;
    private final long maxQueuedPixels;
    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    private final Thread thread;
    private long queuedPixels;
    private boolean recording;
    private boolean closed;
    /** Changes were dropped: the next change is queued as the whole picture. */
    private boolean whole;
    private long dropped;
    /** The latest change dropped, written whole once the queue has drained, so the recording ends on it. */
    private Change droppedLast;

    // The writer thread's state.
    private RecordingWriter writer;
    private Path file;
    private String description;
    private long fileStartNanos;
    private long lastMillis;
    private int part;
    private String sessionStamp;
    private Frame written;
    private Pointer pointer;

    Recorder(Path dir, String name, long maxBytes) throws IOException {
        this(dir, name, maxBytes, MAX_QUEUED_PIXELS);
    }

    Recorder(Path dir, String name, long maxBytes, long maxQueuedPixels) throws IOException {
        Files.createDirectories(dir);
        if (!Files.isWritable(dir)) {
            throw new IOException("cannot write recordings to " + dir);
        }
        this.dir = dir;
        this.name = name;
        this.maxBytes = maxBytes;
        this.maxQueuedPixels = maxQueuedPixels;
        thread = new Thread(this::run, "spice-gateway-record-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** A new upstream session begins: its changes go to a new recording. */
    void sessionStarted(String what) {
        synchronized (queue) {
            recording = true;
            whole = false;
            droppedLast = null;
            offer(new Start(what, System.nanoTime()), 0);
        }
    }

    /** The upstream session ended: its recording is ended and closed. */
    void sessionEnded() {
        synchronized (queue) {
            if (recording) {
                recording = false;
                if (droppedLast != null) {
                    offer(droppedLast, (long) droppedLast.frame().width() * droppedLast.frame().height());
                    droppedLast = null;
                }
                offer(new Stop(System.nanoTime()), 0);
            }
        }
    }

    @Override
    public void changed(Frame frame, Rect dirty) {
        long pixels = (long) frame.width() * frame.height();
        synchronized (queue) {
            if (!recording) {
                return;
            }
            Rect area = whole ? new Rect(0, 0, frame.width(), frame.height()) : dirty;
            if (queuedPixels + pixels > maxQueuedPixels && queuedPixels > 0) {
                droppedLast = new Change(frame, new Rect(0, 0, frame.width(), frame.height()), System.nanoTime());
                if (dropped++ == 0) {
                    LOG.log(Level.WARNING, "gateway: the recording in " + dir + " cannot keep up with the VM's"
                            + " display; dropping changes, the next one written is the whole picture");
                }
                whole = true;
                return;
            }
            if (dropped > 0) {
                LOG.log(Level.INFO, "gateway: the recording dropped " + dropped + " changes of the VM's display");
                dropped = 0;
            }
            whole = false;
            droppedLast = null;
            offer(new Change(frame, area, System.nanoTime()), pixels);
        }
    }

    @Override
    public void pointerChanged(Pointer p) {
        synchronized (queue) {
            if (recording && queue.size() < 4096) {
                offer(new PointerChange(p, System.nanoTime()), 0);
            }
        }
    }

    private void offer(Item item, long pixels) {
        queue.add(item);
        queuedPixels += pixels;
        queue.notifyAll();
    }

    private void run() {
        while (true) {
            Item item;
            synchronized (queue) {
                if (queue.isEmpty() && droppedLast != null) {
                    // The disk caught up: the picture the dropped changes led to, so the recording shows it.
                    Change c = droppedLast;
                    droppedLast = null;
                    whole = false;
                    queue.add(c);
                    queuedPixels += (long) c.frame().width() * c.frame().height();
                }
                while (queue.isEmpty() && !closed) {
                    try {
                        queue.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (queue.isEmpty()) {
                    break;
                }
                item = queue.poll();
                if (item instanceof Change c) {
                    queuedPixels -= (long) c.frame().width() * c.frame().height();
                }
            }
            try {
                write(item);
                boolean idle;
                synchronized (queue) {
                    idle = queue.isEmpty();
                }
                if (idle && writer != null) {
                    // What is written reaches the file whenever the writer catches up, so a gateway that is
                    // killed leaves a recording cut off where a record ends, which replays.
                    writer.flush();
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.ERROR, "gateway: cannot write the recording " + file + " (" + e
                        + "); this session is not recorded further");
                abandon();
            }
        }
        try {
            finish(System.nanoTime());
        } catch (IOException e) {
            LOG.log(Level.ERROR, "gateway: cannot end the recording " + file + ": " + e);
        }
    }

    private void write(Item item) throws IOException {
        if (item instanceof Start s) {
            finish(s.nanos());
            description = s.description();
            sessionStamp = STAMP.format(Instant.now());
            part = 0;
            written = null;
            pointer = null;
        } else if (item instanceof Stop s) {
            finish(s.nanos());
            description = null;
        } else if (item instanceof Change c) {
            if (description == null) {
                return;
            }
            if (writer == null) {
                open(c.nanos());
            }
            long t = millis(c.nanos());
            if (written == null || written.width() != c.frame().width() || written.height() != c.frame().height()) {
                writer.surface(t, c.frame().width(), c.frame().height());
                writer.region(t, c.frame(), new Rect(0, 0, c.frame().width(), c.frame().height()));
            } else {
                writer.region(t, c.frame(), c.area());
            }
            written = c.frame();
            rotateIfFull(c.nanos());
        } else if (item instanceof PointerChange p) {
            pointer = p.pointer();
            if (writer != null) {
                writer.pointer(millis(p.nanos()), p.pointer());
                rotateIfFull(p.nanos());
            }
        }
    }

    private void open(long nanos) throws IOException {
        part++;
        file = dir.resolve(String.format("%s-%s-%03d%s", name, sessionStamp, part, RecordingFormat.SUFFIX));
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), 1 << 16);
        fileStartNanos = nanos;
        lastMillis = 0;
        writer = new RecordingWriter(out, new Header(System.currentTimeMillis(), description));
        LOG.log(Level.INFO, "gateway: recording the VM's session to " + file);
        if (pointer != null) {
            writer.pointer(0, pointer);
        }
    }

    /** Ends a full file and starts the next part with the whole picture and the pointer. */
    private void rotateIfFull(long nanos) throws IOException {
        if (writer.size() < maxBytes) {
            return;
        }
        finish(nanos);
        open(nanos);
        if (written != null) {
            writer.surface(0, written.width(), written.height());
            writer.region(0, written, new Rect(0, 0, written.width(), written.height()));
        }
    }

    /**
     * The file's time of an item; never before the last record's, since a change written late (the picture after
     * dropped changes) can follow pointer records queued after it.
     */
    private long millis(long nanos) {
        lastMillis = Math.max(lastMillis, TimeUnit.NANOSECONDS.toMillis(nanos - fileStartNanos));
        return lastMillis;
    }

    private void finish(long nanos) throws IOException {
        if (writer == null) {
            return;
        }
        RecordingWriter w = writer;
        writer = null;
        try {
            w.end(millis(nanos));
        } finally {
            w.close();
        }
        LOG.log(Level.INFO, "gateway: recording " + file + " ended (" + w.size() + " bytes)");
    }

    private void abandon() {
        description = null;
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException ignored) {
                // already failing; the error was logged
            }
            writer = null;
        }
    }

    /** Ends the current recording and stops the writer thread once it has written what is queued. */
    @Override
    public void close() {
        synchronized (queue) {
            recording = false;
            if (droppedLast != null) {
                queue.add(droppedLast);
                queuedPixels += (long) droppedLast.frame().width() * droppedLast.frame().height();
                droppedLast = null;
            }
            closed = true;
            queue.notifyAll();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
