package org.spice.audio;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** 16-bit PCM WAV files: a reader for whole files and a writer that keeps the header valid as it goes. */
public final class Wav {
    /** Files longer than this are refused by {@link #read}: ten minutes of 48 kHz stereo. */
    public static final long MAX_READ_BYTES = 10L * 60 * 48000 * 4;

    private Wav() {
    }

    /** Reads a PCM S16LE WAV file (format 1, or WAVE_FORMAT_EXTENSIBLE with PCM). */
    public static Pcm read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            ByteBuffer head = ByteBuffer.wrap(in.readNBytes(12)).order(ByteOrder.LITTLE_ENDIAN);
            if (head.remaining() < 12 || head.getInt(0) != 0x46464952 || head.getInt(8) != 0x45564157) {
                throw new IOException(file + ": not a RIFF/WAVE file");
            }
            int channels = -1;
            int rate = -1;
            while (true) {
                byte[] ch = in.readNBytes(8);
                if (ch.length < 8) {
                    throw new IOException(file + ": no data chunk");
                }
                ByteBuffer c = ByteBuffer.wrap(ch).order(ByteOrder.LITTLE_ENDIAN);
                int id = c.getInt(0);
                long size = c.getInt(4) & 0xffffffffL;
                if (id == 0x20746d66) { // "fmt "
                    if (size < 16 || size > 1024) {
                        throw new IOException(file + ": fmt chunk of " + size + " bytes");
                    }
                    ByteBuffer f = ByteBuffer.wrap(in.readNBytes((int) size)).order(ByteOrder.LITTLE_ENDIAN);
                    int format = f.getShort(0) & 0xffff;
                    channels = f.getShort(2) & 0xffff;
                    rate = f.getInt(4);
                    int bits = f.getShort(14) & 0xffff;
                    if ((format != 1 && format != 0xfffe) || bits != 16 || channels < 1 || channels > 8
                            || rate < 1000 || rate > 384000) {
                        throw new IOException(file + ": only 16-bit PCM is read (format " + format + ", " + bits
                                + " bits, " + channels + " channels, " + rate + " Hz)");
                    }
                    if ((size & 1) != 0) {
                        in.skipNBytes(1);
                    }
                } else if (id == 0x61746164) { // "data"
                    if (channels < 0) {
                        throw new IOException(file + ": data before fmt");
                    }
                    if (size == 0xffffffffL || size > MAX_READ_BYTES) {
                        size = Math.min(MAX_READ_BYTES, Files.size(file));
                    }
                    byte[] data = in.readNBytes((int) size);
                    int usable = data.length - data.length % (2 * channels);
                    return new Pcm(rate, channels, Pcm.fromBytes(java.util.Arrays.copyOf(data, usable)));
                } else {
                    in.skipNBytes(size + (size & 1));
                }
            }
        }
    }

    /** Writes a whole sound. */
    public static void write(Path file, Pcm pcm) throws IOException {
        try (Writer w = new Writer(file, pcm.rate(), pcm.channels())) {
            w.write(pcm.samples(), 0, pcm.samples().length);
        }
    }

    /** Appends samples to a new WAV file; the header is rewritten on {@link #flush()} and {@link #close()}. */
    public static final class Writer implements Closeable {
        private final Path file;
        private final FileChannel ch;
        private final int rate;
        private final int channels;
        private long dataBytes;

        public Writer(Path file, int rate, int channels) throws IOException {
            this.file = file;
            this.rate = rate;
            this.channels = channels;
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            writeHeader();
        }

        public Path file() {
            return file;
        }

        public int rate() {
            return rate;
        }

        public int channels() {
            return channels;
        }

        /** Samples per channel written so far. */
        public long frames() {
            return dataBytes / 2 / channels;
        }

        public synchronized void write(short[] s, int off, int len) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(Pcm.toBytes(s, off, len));
            ch.position(44 + dataBytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            dataBytes += len * 2L;
        }

        public synchronized void flush() throws IOException {
            writeHeader();
        }

        private void writeHeader() throws IOException {
            ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
            long riff = Math.min(0xffffffffL, 36 + dataBytes);
            h.putInt(0x46464952).putInt((int) riff).putInt(0x45564157);
            h.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) channels).putInt(rate)
                    .putInt(rate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
            h.putInt(0x61746164).putInt((int) Math.min(0xffffffffL, dataBytes));
            h.flip();
            ch.position(0);
            while (h.hasRemaining()) {
                ch.write(h);
            }
        }

        @Override
        public synchronized void close() throws IOException {
            if (ch.isOpen()) {
                try {
                    writeHeader();
                } finally {
                    ch.close();
                }
            }
        }
    }
}
