package org.spice.playback.internal;

import org.spice.protocol.wire.AudioMessages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.spice.audio.AudioModes;
import org.spice.audio.Pcm;
import org.spice.audio.Wav;
import org.spice.playback.api.AudioSource;
import org.spice.playback.api.ClientPlayback;
import org.spice.playback.internal.client.PlaybackClientFactory;
import org.spice.playback.internal.server.PlaybackServerFactory;
import org.spice.playback.internal.source.ToneSource;
import org.spice.playback.internal.wire.PlaybackMessages;
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
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.spi.ServerChannelFactory;
import org.spice.protocol.wire.SpiceMessage;

/** Our playback client on our playback server in one JVM, on loopback. */
@ExtendWith(LeakCheck.class)
class PlaybackTest {
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

    private ClientSession connect(ServerChannelFactory serverSide, PlaybackClientFactory clientSide)
            throws Exception {
        server = new ServerEngine(new ServerEngine.Settings(new InetSocketAddress("127.0.0.1", 0), null, null,
                Set.of(), null, "playback", UUID.randomUUID(), 2, Duration.ofSeconds(5))).start();
        server.addFactory(serverSide);
        client = new ClientEngine(t -> t == ChannelType.PLAYBACK ? clientSide : null);
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

    /** Plays one second of the demo tone to a client announcing (or not) Opus; returns what it wrote. */
    private Pcm playTone(Path wav, boolean opus, int expectedMode) throws Exception {
        PlaybackClientFactory playbacks = PlaybackClientFactory.of(new PlaybackClientFactory.Settings(wav, opus,
                false));
        ClientSession s = connect(PlaybackServerFactory.of(PlaybackServerFactory.Settings.DEFAULTS,
                new ToneSource()), playbacks);
        await("the playback channel", () -> playbacks.playback(s) != null);
        ClientPlayback p = playbacks.playback(s);
        await("a second of sound", () -> p.frames() >= AudioModes.RATE);
        assertTrue(p.playing());
        assertEquals(expectedMode, p.mode());
        assertEquals(48000, p.rate());
        assertEquals(2, p.channels());
        assertArrayEquals(new int[] {65535, 65535}, p.volume());
        assertEquals(100, p.latencyMs());
        assertEquals(wav.toAbsolutePath(), p.wavFile());
        s.close();
        await("the channel to close", () -> playbacks.playback(s) == null);
        return Wav.read(wav);
    }

    @Test
    void rawToneArrivesSampleForSample(@TempDir Path dir) throws Exception {
        Pcm got = playTone(dir.resolve("raw.wav"), false, AudioModes.MODE_RAW);
        assertEquals(48000, got.rate());
        assertEquals(2, got.channels());
        assertTrue(got.frames() >= AudioModes.RATE);
        short[] expected = new short[got.samples().length];
        AudioSource.Stream ref = new ToneSource().open();
        short[] frame = new short[AudioSource.FRAME_SAMPLES * AudioSource.CHANNELS];
        for (int off = 0; off < expected.length; off += frame.length) {
            ref.read(frame);
            System.arraycopy(frame, 0, expected, off, Math.min(frame.length, expected.length - off));
        }
        assertArrayEquals(expected, got.samples());
        assertEquals(440, got.zeroCrossingHz(0), 0.5);
        assertEquals(0.25 / Math.sqrt(2), got.rms(), 0.002);
    }

    @Test
    void opusToneArrivesWithItsPitchAndLevel(@TempDir Path dir) throws Exception {
        Pcm got = playTone(dir.resolve("opus.wav"), true, AudioModes.MODE_OPUS);
        Pcm steady = got.slice(AudioModes.RATE / 10, got.frames());
        for (int c = 0; c < 2; c++) {
            assertEquals(440, steady.zeroCrossingHz(c), 1.0);
        }
        assertEquals(0.25 / Math.sqrt(2), steady.rms(), 0.25 / Math.sqrt(2) * 0.1);
    }

    @Test
    void theVolumeAndMuteTheServerSendsApply(@TempDir Path dir) throws Exception {
        PlaybackClientFactory playbacks = PlaybackClientFactory.of(new PlaybackClientFactory.Settings(
                dir.resolve("half.wav"), false, false));
        ClientSession s = connect(PlaybackServerFactory.of(new PlaybackServerFactory.Settings(true, 32768, false,
                40), new ToneSource()), playbacks);
        await("some sound", () -> playbacks.playback(s) != null && playbacks.playback(s).frames() >= 9600);
        assertEquals(40, playbacks.playback(s).latencyMs());
        s.close();
        await("the channel to close", () -> playbacks.playback(s) == null);
        assertEquals(0.25 / Math.sqrt(2) / 2, Wav.read(dir.resolve("half.wav")).rms(), 0.002);
    }

    @Test
    void aSourceThatEndsStopsPlayback(@TempDir Path dir) throws Exception {
        PlaybackClientFactory playbacks = PlaybackClientFactory.of(new PlaybackClientFactory.Settings(
                dir.resolve("short.wav"), true, false));
        ClientSession s = connect(PlaybackServerFactory.of(PlaybackServerFactory.Settings.DEFAULTS,
                ToneSource.ending(440, 0.25, 10)), playbacks);
        await("the playback channel", () -> playbacks.playback(s) != null);
        ClientPlayback p = playbacks.playback(s);
        await("ten frames and a stop", () -> p.packets() == 10 && !p.playing());
        Thread.sleep(100);
        assertEquals(4800, p.frames());
    }

    /** A server that sends {@code messages} on the playback channel, then nothing. */
    private static ServerChannelFactory lying(List<SpiceMessage> messages) {
        return new ServerChannelFactory() {
            public int channelType() {
                return ChannelType.PLAYBACK;
            }

            public Capabilities channelCapabilities() {
                return Capabilities.of(PlaybackMessages.CAP_OPUS);
            }

            public ChannelHandler open(ServerChannelContext ctx) {
                messages.forEach(ctx::send);
                return (type, body) -> {
                };
            }
        };
    }

    private void badInputClosesOnlyPlayback(String expectedLog, SpiceMessage... messages) throws Exception {
        try (LogCapture log = new LogCapture("org.spice.protocol")) {
            PlaybackClientFactory playbacks = PlaybackClientFactory.of(new PlaybackClientFactory.Settings(null,
                    true, false));
            ClientSession s = connect(lying(List.of(messages)), playbacks);
            log.await(expectedLog);
            await("the playback channel to go", () -> s.channels().stream()
                    .noneMatch(c -> c.type() == ChannelType.PLAYBACK));
            assertNull(playbacks.playback(s));
            assertTrue(!s.closed().isDone(), "the session lives on");
            assertNotNull(s.main());
            stop();
        }
    }

    static SpiceMessage start() {
        return new PlaybackMessages.Start(2, AudioModes.FMT_S16, 48000, 0);
    }

    @Test
    void opusGarbageClosesOnlyPlayback() throws Exception {
        badInputClosesOnlyPlayback("Opus",
                new AudioMessages.Mode(PlaybackMessages.MODE, 0, AudioModes.MODE_OPUS, new byte[0]), start(),
                new AudioMessages.Data(PlaybackMessages.DATA, 1, new byte[] {(byte) 0xff, 0}));
    }

    @Test
    void rawDataOfHalfASampleClosesOnlyPlayback() throws Exception {
        badInputClosesOnlyPlayback("not whole frames",
                new AudioMessages.Mode(PlaybackMessages.MODE, 0, AudioModes.MODE_RAW, new byte[0]), start(), new AudioMessages.Data(PlaybackMessages.DATA, 1, new byte[7]));
    }

    @Test
    void unknownModesCloseOnlyPlayback() throws Exception {
        badInputClosesOnlyPlayback("unknown(9)", new AudioMessages.Mode(PlaybackMessages.MODE, 0, 9, new byte[0]));
        badInputClosesOnlyPlayback("celt",
                new AudioMessages.Mode(PlaybackMessages.MODE, 0, AudioModes.MODE_CELT_0_5_1, new byte[0]));
    }

    @Test
    void otherFormatsAndTruncatedMessagesCloseOnlyPlayback() throws Exception {
        badInputClosesOnlyPlayback("audio format 2", new PlaybackMessages.Start(2, 2, 48000, 0));
        badInputClosesOnlyPlayback("truncated", new SpiceMessage() {
            public int type() {
                return PlaybackMessages.START;
            }

            public void encode(io.netty.buffer.ByteBuf out) {
                out.writeIntLE(2).writeShortLE(1);
            }
        });
        badInputClosesOnlyPlayback("data before start", new AudioMessages.Data(PlaybackMessages.DATA, 1, new byte[4]));
        badInputClosesOnlyPlayback("audio volume", new SpiceMessage() {
            public int type() {
                return PlaybackMessages.VOLUME;
            }

            public void encode(io.netty.buffer.ByteBuf out) {
                out.writeByte(3).writeShortLE(1); // three channels, one volume
            }
        });
    }
}
