package org.spice.record.internal;

import org.spice.protocol.wire.AudioMessages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.spice.audio.AudioModes;
import org.spice.audio.Pcm;
import org.spice.audio.Wav;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.LeakCheck;
import org.spice.protocol.LogCapture;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.internal.engine.ClientEngine;
import org.spice.protocol.internal.engine.ServerEngine;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ClientChannelContext;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.wire.SpiceMessage;
import org.spice.record.api.AudioSink;
import org.spice.record.api.ClientRecord;
import org.spice.record.internal.client.RecordClientFactory;
import org.spice.record.internal.server.RecordServerFactory;
import org.spice.record.internal.sink.WavSink;
import org.spice.record.internal.wire.RecordMessages;

/** Our record client on our record server in one JVM, on loopback. */
@ExtendWith(LeakCheck.class)
class RecordTest {
    private ServerEngine server;
    private ClientEngine client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
            client = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Keeps what arrives in memory. */
    static final class MemorySink implements AudioSink {
        volatile short[] samples = new short[0];
        volatile int rate;
        volatile int channels;
        volatile boolean closed;

        @Override
        public Recording open(long connectionId, int r, int ch) {
            rate = r;
            channels = ch;
            return new Recording() {
                public synchronized void write(short[] s) {
                    short[] all = java.util.Arrays.copyOf(samples, samples.length + s.length);
                    System.arraycopy(s, 0, all, samples.length, s.length);
                    samples = all;
                }

                public void close() {
                    closed = true;
                }
            };
        }

        Pcm pcm() {
            return new Pcm(rate, channels, samples);
        }
    }

    private ClientSession connect(RecordServerFactory serverSide, ClientChannelFactory clientSide) throws Exception {
        server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0), null, null,
                Set.of(), null, "record", UUID.randomUUID(), 2, Duration.ofSeconds(5))).start();
        server.addFactory(serverSide);
        client = new ClientEngine(t -> t == ChannelType.RECORD ? clientSide : null);
        return client.connect(new SpiceUri("127.0.0.1", server.plainAddress().orElseThrow().getPort(), -1, null),
                ClientOptions.defaults()).get(10, TimeUnit.SECONDS);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Half a second of a tone with noise, 48 kHz stereo, the channels different. */
    static Pcm micSound() {
        Random r = new Random(7);
        Pcm tone = Pcm.tone(440, 0.3, 48000, 2, 24000);
        short[] s = tone.samples().clone();
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (s[i] / (i % 2 == 0 ? 1 : 2) + r.nextInt(200) - 100);
        }
        return new Pcm(48000, 2, s);
    }

    private ClientRecord record(Path mic, boolean opus, AudioSink sink) throws Exception {
        RecordClientFactory records = RecordClientFactory.of(new RecordClientFactory.Settings(mic, opus));
        ClientSession s = connect(RecordServerFactory.of(RecordServerFactory.Settings.DEFAULTS, sink), records);
        await("the record channel", () -> records.record(s) != null);
        ClientRecord r = records.record(s);
        await("the whole file", r::sourceEnded);
        assertEquals(48000, r.rate());
        assertEquals(2, r.channels());
        assertArrayEquals(new int[] {65535, 65535}, r.volume());
        assertFalse(r.muted());
        return r;
    }

    @Test
    void aRawMicFileArrivesSampleForSample(@TempDir Path dir) throws Exception {
        Pcm sent = micSound();
        Wav.write(dir.resolve("mic.wav"), sent);
        MemorySink sink = new MemorySink();
        ClientRecord r = record(dir.resolve("mic.wav"), false, sink);
        assertEquals(AudioModes.MODE_RAW, r.mode());
        assertEquals(50, r.packets());
        await("everything at the server", () -> sink.samples.length == sent.samples().length);
        assertEquals(48000, sink.rate);
        assertArrayEquals(sent.samples(), sink.samples);
    }

    @Test
    void anOpusMicFileArrivesWithinOpusTolerance(@TempDir Path dir) throws Exception {
        Pcm sent = Pcm.tone(440, 0.25, 48000, 2, 48000);
        Wav.write(dir.resolve("mic.wav"), sent);
        MemorySink sink = new MemorySink();
        ClientRecord r = record(dir.resolve("mic.wav"), true, sink);
        assertEquals(AudioModes.MODE_OPUS, r.mode());
        await("everything at the server", () -> sink.samples.length == sent.samples().length);
        Pcm got = sink.pcm().slice(4800, 48000);
        for (int c = 0; c < 2; c++) {
            assertEquals(440, got.zeroCrossingHz(c), 1.0);
        }
        assertEquals(sent.rms(), got.rms(), sent.rms() * 0.1);
    }

    @Test
    void aMonoMicFileAt44kIsConverted(@TempDir Path dir) throws Exception {
        Wav.write(dir.resolve("mic.wav"), Pcm.tone(1000, 0.2, 44100, 1, 22050));
        MemorySink sink = new MemorySink();
        record(dir.resolve("mic.wav"), true, sink);
        await("half a second at the server", () -> sink.samples.length >= 24000 * 2);
        assertEquals(1000, sink.pcm().slice(4800, 24000).zeroCrossingHz(1), 2.0);
    }

    @Test
    void theWavSinkWritesOneFilePerSession(@TempDir Path dir) throws Exception {
        Pcm sent = micSound();
        Wav.write(dir.resolve("mic.wav"), sent);
        Path out = dir.resolve("recordings");
        record(dir.resolve("mic.wav"), false, WavSink.in(out));
        Thread.sleep(200);
        stop();
        List<Path> files;
        try (Stream<Path> l = Files.list(out)) {
            files = l.toList();
        }
        assertEquals(1, files.size(), files.toString());
        assertTrue(files.get(0).getFileName().toString().matches("record-[0-9a-f]+-[0-9-]+\\.wav"));
        assertArrayEquals(sent.samples(), Wav.read(files.get(0)).samples());
    }

    @Test
    void theServersVolumeActsOnTheMic(@TempDir Path dir) throws Exception {
        Pcm sent = Pcm.tone(440, 0.4, 48000, 2, 24000);
        Wav.write(dir.resolve("mic.wav"), sent);
        MemorySink sink = new MemorySink();
        RecordClientFactory records = RecordClientFactory.of(new RecordClientFactory.Settings(dir.resolve("mic.wav"),
                false));
        connect(RecordServerFactory.of(new RecordServerFactory.Settings(true, true, 16384, false), sink), records);
        await("everything at the server", () -> sink.samples.length == sent.samples().length);
        assertEquals(sent.rms() / 4, sink.pcm().rms(), 0.002);
    }

    @Test
    void withoutAMicTheClientSendsNothingButASourceSetLaterIsSent() throws Exception {
        RecordClientFactory records = RecordClientFactory.of(new RecordClientFactory.Settings(null, true));
        MemorySink sink = new MemorySink();
        ClientSession s = connect(RecordServerFactory.of(RecordServerFactory.Settings.DEFAULTS, sink), records);
        await("the record channel", () -> records.record(s) != null);
        ClientRecord record = records.record(s);
        await("the server's start", () -> record.rate() != 0);
        // a quarter second of recording: a client that sent silence would have sent 25 packets by then
        Thread.sleep(250);
        assertEquals(0, record.packets());
        assertEquals(0, sink.samples.length);
        assertEquals("nothing (no microphone)", record.source());
        // the channel still sends what a source set on it gives, in Opus
        Pcm sent = micSound();
        java.util.concurrent.atomic.AtomicInteger at = new java.util.concurrent.atomic.AtomicInteger();
        record.source(new ClientRecord.Source() {
            @Override
            public boolean read(short[] frame, int rate, int channels) {
                if (at.get() >= sent.samples().length) {
                    return false;
                }
                System.arraycopy(sent.samples(), at.getAndAdd(frame.length), frame, 0, frame.length);
                return true;
            }
        });
        await("the source's sound at the server", () -> sink.samples.length >= sent.samples().length);
        assertEquals(AudioModes.MODE_OPUS, record.mode());
        assertTrue(record.packets() > 0);
        // past the codec's first frames, the tone's loudness
        assertEquals(sent.rms(), sink.pcm().slice(4800, 24000).rms(), sent.rms() * 0.15);
    }

    @Test
    void aSourceSetOnTheChannelIsSentAndItsGapsAreNot() throws Exception {
        RecordClientFactory records = RecordClientFactory.of(new RecordClientFactory.Settings(null, false));
        MemorySink sink = new MemorySink();
        ClientSession s = connect(RecordServerFactory.of(RecordServerFactory.Settings.DEFAULTS, sink), records);
        await("the record channel", () -> records.record(s) != null);
        Pcm sent = micSound();
        java.util.concurrent.atomic.AtomicInteger at = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger pulls = new java.util.concurrent.atomic.AtomicInteger();
        ClientRecord.Source source = new ClientRecord.Source() {
            @Override
            public boolean read(short[] frame, int rate, int channels) {
                assertEquals(48000, rate);
                assertEquals(2, channels);
                // Every other pull has nothing: nothing is sent for it.
                if (pulls.getAndIncrement() % 2 == 1 || at.get() >= sent.samples().length) {
                    return false;
                }
                System.arraycopy(sent.samples(), at.getAndAdd(frame.length), frame, 0, frame.length);
                return true;
            }

            @Override
            public String toString() {
                return "the test's source";
            }
        };
        // No microphone file: nothing arrives before the source is set, then only the source's frames.
        records.record(s).source(source);
        assertEquals("the test's source", records.record(s).source());
        await("the source to its end", () -> at.get() >= sent.samples().length);
        await("the source's last frame at the server", () -> sink.samples.length > 0
                && sink.samples[sink.samples.length - 1] == sent.samples()[sent.samples().length - 1]);
        Thread.sleep(100);
        assertArrayEquals(sent.samples(), sink.samples);
    }

    /** A sink that wants sound only when told to, as a gateway wants it while its VM records. */
    static final class DemandSink implements AudioSink {
        final MemorySink memory = new MemorySink();
        final java.util.List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile boolean wanted;

        void want(boolean now) {
            wanted = now;
            listeners.forEach(Runnable::run);
        }

        @Override
        public Recording open(long connectionId, int rate, int channels) {
            return memory.open(connectionId, rate, channels);
        }

        @Override
        public boolean wantsSound() {
            return wanted;
        }

        @Override
        public void addDemandListener(Runnable listener) {
            listeners.add(listener);
        }

        @Override
        public void removeDemandListener(Runnable listener) {
            listeners.remove(listener);
        }
    }

    @Test
    void theClientRecordsOnlyWhileTheSinkWantsSound(@TempDir Path dir) throws Exception {
        Wav.write(dir.resolve("mic.wav"), micSound());
        RecordClientFactory records = RecordClientFactory.of(new RecordClientFactory.Settings(dir.resolve("mic.wav"),
                true));
        DemandSink sink = new DemandSink();
        ClientSession s = connect(RecordServerFactory.of(RecordServerFactory.Settings.DEFAULTS, sink), records);
        await("the record channel", () -> records.record(s) != null);
        ClientRecord r = records.record(s);
        Thread.sleep(300);
        assertEquals(0, r.starts(), "started while the sink wants no sound");
        assertEquals(0, sink.memory.samples.length);

        sink.want(true);
        await("a start", () -> r.recording() && r.starts() == 1);
        await("sound", () -> sink.memory.samples.length >= 4800 * 2);

        sink.want(false);
        await("a stop", () -> !r.recording() && r.stops() == 1);
        Thread.sleep(100); // data sent before the stop arrived may still come, and is dropped
        int after = sink.memory.samples.length;
        Thread.sleep(300);
        assertEquals(after, sink.memory.samples.length, "sound after the stop");

        sink.want(true);
        await("a second start", () -> r.recording() && r.starts() == 2);
        assertTrue(records.record(s) == r && !s.closed().isDone(), "the channel stays open through stop and start");
        client.close();
        client = null;
        await("the channel's close", () -> sink.listeners.isEmpty());
    }

    /** A client that answers the server's start with {@code messages}. */
    private static ClientChannelFactory lying(List<SpiceMessage> messages) {
        return new ClientChannelFactory() {
            public int channelType() {
                return ChannelType.RECORD;
            }

            public Capabilities channelCapabilities() {
                return Capabilities.of(RecordMessages.CAP_OPUS);
            }

            public ChannelHandler open(ClientChannelContext ctx) {
                messages.forEach(ctx::send);
                return (type, body) -> body.skipBytes(body.readableBytes());
            }
        };
    }

    private void badInputClosesOnlyRecord(RecordServerFactory.Settings settings, String expectedLog,
            SpiceMessage... messages) throws Exception {
        try (LogCapture log = new LogCapture("org.spice.protocol")) {
            MemorySink sink = new MemorySink();
            ClientSession s = connect(RecordServerFactory.of(settings, sink), lying(List.of(messages)));
            log.await(expectedLog);
            await("the record channel to go", () -> s.channels().stream()
                    .noneMatch(c -> c.type() == ChannelType.RECORD));
            assertFalse(s.closed().isDone(), "the session lives on");
            assertEquals(1, server.clients().size());
            stop();
        }
    }

    @Test
    void opusGarbageClosesOnlyRecord() throws Exception {
        badInputClosesOnlyRecord(RecordServerFactory.Settings.DEFAULTS, "Opus",
                new AudioMessages.Mode(RecordMessages.C_MODE, 0, AudioModes.MODE_OPUS, new byte[0]),
                new AudioMessages.Data(RecordMessages.C_DATA, 0, new byte[] {(byte) 0xff, 0}));
    }

    @Test
    void badModesAndSizesCloseOnlyRecord() throws Exception {
        badInputClosesOnlyRecord(RecordServerFactory.Settings.DEFAULTS, "celt",
                new AudioMessages.Mode(RecordMessages.C_MODE, 0, AudioModes.MODE_CELT_0_5_1, new byte[0]));
        badInputClosesOnlyRecord(RecordServerFactory.Settings.DEFAULTS, "unknown(77)",
                new AudioMessages.Mode(RecordMessages.C_MODE, 0, 77, new byte[0]));
        badInputClosesOnlyRecord(new RecordServerFactory.Settings(true, false, 65535, false), "not announced",
                new AudioMessages.Mode(RecordMessages.C_MODE, 0, AudioModes.MODE_OPUS, new byte[0]));
        badInputClosesOnlyRecord(RecordServerFactory.Settings.DEFAULTS, "not whole",
                new AudioMessages.Data(RecordMessages.C_DATA, 0, new byte[6]));
        badInputClosesOnlyRecord(new RecordServerFactory.Settings(false, true, 65535, false), "before the server",
                new AudioMessages.Data(RecordMessages.C_DATA, 0, new byte[8]));
        badInputClosesOnlyRecord(RecordServerFactory.Settings.DEFAULTS, "truncated", new SpiceMessage() {
            public int type() {
                return RecordMessages.C_START_MARK;
            }

            public void encode(io.netty.buffer.ByteBuf out) {
                out.writeShortLE(1);
            }
        });
        badInputClosesOnlyRecord(RecordServerFactory.Settings.DEFAULTS, "exceed the limit",
                new AudioMessages.Data(RecordMessages.C_DATA, 0, new byte[AudioMessages.MAX_DATA + 4]));
    }

    @Test
    void aFailingSinkClosesOnlyRecord(@TempDir Path dir) throws Exception {
        AudioSink broken = (id, r, ch) -> {
            throw new IOException("disk full");
        };
        try (LogCapture log = new LogCapture("org.spice.protocol")) {
            Wav.write(dir.resolve("mic.wav"), micSound());
            RecordClientFactory records = RecordClientFactory.of(new RecordClientFactory.Settings(
                    dir.resolve("mic.wav"), false));
            ClientSession s = connect(RecordServerFactory.of(RecordServerFactory.Settings.DEFAULTS, broken), records);
            log.await("disk full");
            await("the record channel to go", () -> records.record(s) == null);
            assertFalse(s.closed().isDone());
        }
    }
}
