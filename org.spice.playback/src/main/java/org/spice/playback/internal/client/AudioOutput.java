package org.spice.playback.internal.client;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;
import org.spice.audio.Pcm;
import org.spice.audio.Wav;

/** Where a client's playback goes. Called on the channel's thread; never blocks it for long. */
abstract class AudioOutput implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.spice.playback");

    abstract void start(int rate, int channels) throws IOException;

    abstract void write(short[] pcm) throws IOException;

    /** Playback stopped: make what was written durable. */
    abstract void stop() throws IOException;

    abstract String describe();

    Path file() {
        return null;
    }

    @Override
    public abstract void close() throws IOException;

    /** Drops the sound. */
    static final class None extends AudioOutput {
        void start(int rate, int channels) {
        }

        void write(short[] pcm) {
        }

        void stop() {
        }

        String describe() {
            return "none";
        }

        public void close() {
        }
    }

    /** Writes one WAV file; a later start with another format is refused. */
    static final class WavFile extends AudioOutput {
        private final Path path;
        private Wav.Writer writer;
        private int unflushed;

        WavFile(Path path) {
            this.path = path;
        }

        void start(int rate, int channels) throws IOException {
            if (writer == null) {
                writer = new Wav.Writer(path, rate, channels);
            } else if (writer.rate() != rate || writer.channels() != channels) {
                throw new IOException(path + " holds " + writer.channels() + " channels at " + writer.rate()
                        + " Hz; the server restarted playback with " + channels + " at " + rate);
            }
        }

        void write(short[] pcm) throws IOException {
            writer.write(pcm, 0, pcm.length);
            if (++unflushed >= 50) {
                writer.flush();
                unflushed = 0;
            }
        }

        void stop() throws IOException {
            if (writer != null) {
                writer.flush();
            }
        }

        String describe() {
            return path.toString();
        }

        @Override
        Path file() {
            return path;
        }

        public void close() throws IOException {
            if (writer != null) {
                writer.close();
            }
        }
    }

    /** The default javax.sound.sampled device, fed from a thread of its own through a short queue. */
    static final class Device extends AudioOutput {
        private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(32);
        private SourceDataLine line;
        private Thread feeder;
        private long dropped;

        /** The device for this format, or null when there is none. */
        static Device open(int rate, int channels) {
            try {
                AudioFormat f = new AudioFormat(rate, 16, channels, true, false);
                SourceDataLine l = AudioSystem.getSourceDataLine(f);
                l.open(f, rate * channels * 2 / 5); // 200 ms
                l.start();
                Device d = new Device();
                d.line = l;
                return d;
            } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
                LOG.log(Level.DEBUG, "no audio device: " + e);
                return null;
            }
        }

        void start(int rate, int channels) throws IOException {
            AudioFormat f = line.getFormat();
            if ((int) f.getSampleRate() != rate || f.getChannels() != channels) {
                throw new IOException("the device plays " + f + "; the server restarted with " + channels
                        + " channels at " + rate + " Hz");
            }
            if (feeder == null) {
                feeder = new Thread(this::feed, "spice-playback-device");
                feeder.setDaemon(true);
                feeder.start();
            }
        }

        private void feed() {
            try {
                while (true) {
                    byte[] b = queue.take();
                    if (b.length == 0) {
                        return;
                    }
                    line.write(b, 0, b.length);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void write(short[] pcm) {
            if (!queue.offer(Pcm.toBytes(pcm, 0, pcm.length))) {
                dropped++;
            }
        }

        void stop() {
        }

        String describe() {
            return "device: " + line.getLineInfo();
        }

        public void close() {
            if (feeder != null) {
                queue.clear();
                queue.offer(new byte[0]);
                try {
                    feeder.join(TimeUnit.SECONDS.toMillis(1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                feeder.interrupt();
            }
            line.stop();
            line.close();
            if (dropped > 0) {
                LOG.log(Level.DEBUG, "audio device: " + dropped + " packets dropped");
            }
        }
    }
}
