package org.spice.gateway.internal;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.spice.audio.AudioModes;
import org.spice.record.api.AudioSink;
import org.spice.record.api.ClientRecord;

/**
 * The viewers' microphones as the VM hears them: registered as the record channel's {@link AudioSink} (ranked
 * above the record bundle's WAV files), it gets every viewer's decoded audio, passes only the floor holder's
 * ({@link RecordFloor}) into a queue of at most {@value #QUEUE_MS} ms, from which the VM's record channel, as the
 * gateway's client, takes every whole 10 ms frame at each of its ticks ({@link ClientRecord.Source}), encoding it as
 * that channel negotiated. So the VM gets the holder's sound at the pace the holder sends it, and nothing while it
 * sends nothing; audio the VM does not take (it is not recording, or the channel's thread is stuck) is dropped,
 * oldest first, with a log line. Viewers are asked to record (START) only while the VM records, and told to stop
 * when it stops ({@link #wantsSound()}).
 */
final class GatewayRecord implements AudioSink, ClientRecord.Source {
    private static final System.Logger LOG = System.getLogger("org.spice.gateway");
    /** Room for the VM side's thread to stall (seen up to half a second on a loaded 2-core machine). */
    static final int QUEUE_MS = 1000;
    /**
     * A viewer that sent nothing for this long has stopped recording (spice-gtk and ours send every 10 ms); long
     * enough that a viewer whose process stalls for a moment keeps the floor.
     */
    static final long IDLE_NANOS = 2_000_000_000L;
    private static final int SAMPLES_PER_MS = AudioModes.RATE * AudioModes.CHANNELS / 1000;

    private final RecordFloor floor;
    private final LongSupplier clock;
    private final short[] queue = new short[QUEUE_MS * SAMPLES_PER_MS];
    private long written;
    private long read;
    private boolean attached;
    private boolean toldDropping;
    private boolean toldUnattached;
    private boolean toldFormat;
    private volatile boolean vmRecording;
    private final List<Runnable> demandListeners = new CopyOnWriteArrayList<>();

    GatewayRecord(RecordFloor floor, LongSupplier clock) {
        this.floor = floor;
        this.clock = clock;
    }

    /** The VM's record channel pulls from now on (true), or is gone (false: what is queued is dropped). */
    synchronized void attached(boolean now) {
        attached = now;
        read = written;
        if (now) {
            toldUnattached = false;
        } else {
            vmRecording(false);
        }
    }

    /** Whether the VM's record channel records now (its START came and no STOP after it): viewers follow. */
    void vmRecording(boolean now) {
        if (now == vmRecording) {
            return;
        }
        vmRecording = now;
        LOG.log(Level.INFO, "gateway: the VM " + (now ? "starts" : "stops") + " recording; viewers are asked to "
                + (now ? "start" : "stop"));
        demandListeners.forEach(Runnable::run);
    }

    @Override
    public boolean wantsSound() {
        return vmRecording;
    }

    @Override
    public void addDemandListener(Runnable listener) {
        demandListeners.add(listener);
    }

    @Override
    public void removeDemandListener(Runnable listener) {
        demandListeners.remove(listener);
    }

    @Override
    public Recording open(long connectionId, int rate, int channels) {
        boolean format = rate == AudioModes.RATE && channels == AudioModes.CHANNELS;
        if (!format) {
            LOG.log(Level.WARNING, "gateway: viewer 0x" + Long.toHexString(connectionId) + " records " + channels
                    + " channels at " + rate + " Hz; only " + AudioModes.CHANNELS + " at " + AudioModes.RATE
                    + " Hz is relayed to the VM");
        }
        return new Recording() {
            @Override
            public void write(short[] samples) {
                if (format && floor.heard(connectionId, clock.getAsLong())) {
                    queue(connectionId, samples);
                }
            }

            @Override
            public void close() {
                floor.left(connectionId, clock.getAsLong());
            }
        };
    }

    private synchronized void queue(long viewer, short[] samples) {
        if (!attached) {
            if (!toldUnattached) {
                toldUnattached = true;
                LOG.log(Level.INFO, "gateway: viewer 0x" + Long.toHexString(viewer) + " has the record floor but the"
                        + " VM's record channel is not linked; its audio is dropped");
            }
            return;
        }
        int from = Math.max(0, samples.length - queue.length);
        long overflow = written + (samples.length - from) - read - queue.length;
        if (overflow > 0) {
            read += overflow;
            if (!toldDropping) {
                toldDropping = true;
                LOG.log(Level.WARNING, "gateway: the VM takes record audio slower than viewer 0x"
                        + Long.toHexString(viewer) + " sends it (or is not recording); dropping the oldest (the queue"
                        + " holds " + QUEUE_MS + " ms)");
            }
        }
        for (int i = from; i < samples.length; i++) {
            queue[(int) (written++ % queue.length)] = samples[i];
        }
    }

    @Override
    public boolean read(short[] frame, int rate, int channels) {
        if (rate != AudioModes.RATE || channels != AudioModes.CHANNELS) {
            synchronized (this) {
                if (!toldFormat) {
                    toldFormat = true;
                    LOG.log(Level.WARNING, "gateway: the VM records " + channels + " channels at " + rate + " Hz;"
                            + " only " + AudioModes.CHANNELS + " at " + AudioModes.RATE + " Hz is relayed, so the VM"
                            + " hears nothing from the viewers");
                }
            }
            return false;
        }
        synchronized (this) {
            if (written - read < frame.length) {
                return false;
            }
            for (int i = 0; i < frame.length; i++) {
                frame[i] = queue[(int) (read++ % queue.length)];
            }
            if (written - read < queue.length / 2) {
                toldDropping = false;
            }
            return true;
        }
    }

    /** Queued samples not yet taken by the VM (for tests). */
    synchronized long queued() {
        return written - read;
    }

    @Override
    public String toString() {
        return "the gateway's record floor (rule " + floor.rule().configName() + ")";
    }
}
