package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Linux guest plays a known tone (/share/tone.wav: 1000 Hz for 2 s, peak half of full scale, so -9.03 dBFS
 * rms) with aplay through its kernel's driver of QEMU's intel-hda with hda-duplex, and of AC97, after unmuting its
 * mixer at 100 % (0 dB; ALSA starts muted). {@code ./spice listen --audio-out F.wav} writes that tone, in Opus and
 * in raw mode: its frequency within 2 % and its level within 1 dB of the tone at the mixer's gain. On intel-hda the guest
 * sets Master to 50 % after the first tone: our client gets QEMU's VOLUME (the codec's amplifier step scaled
 * linearly to 0..255, times 257: QEMU's mapping, not the mixer's dB) and the second tone comes out at that volume;
 * then the guest mutes Master and our client gets MUTE.
 *
 * <p>Record, in the same intel-hda boot and the Opus session before the tone: {@code ./spice listen --mic F.wav}
 * sends a 700 Hz tone (peak half of full scale, -9.03 dBFS rms) while the guest records with arecord (capture at
 * 100 %, 0 dB); the file, copied out over its serial port, holds the tone at 700 Hz (±2 %) and at the mic file's
 * level (±1 dB).
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class GuestSoundIT {
    static final double TONE_HZ = 1000;
    /** The length of /share/tone.wav (scripts/guest/media.py). */
    static final double TONE_SECONDS = 2;
    static final double TONE_DBFS = 20 * Math.log10(0.5 / Math.sqrt(2));
    static final double MIC_HZ = 700;
    /** QEMU's hda-codec amplifier steps (QEMU_HDA_AMP_STEPS). */
    static final int HDA_AMP_STEPS = 0x4a;
    /** The longest a listen session may take; the test ends it earlier, once it heard what it waits for. */
    static final int LISTEN_SECONDS = 120;

    @ParameterizedTest
    @ValueSource(strings = {"hda", "ac97"})
    void aplaysToneReachesOurClient(String card) {
        Path dir = Peers.workDir(getClass(), card);
        boolean hda = card.equals("hda");
        Path mic = dir.resolve("mic.wav");
        if (hda) {
            writeTone(mic, MIC_HZ, 0.5, 48000, 14);
        }
        List<String> devices = hda
                ? List.of("-audiodev", "spice,id=a", "-device", "intel-hda", "-device", "hda-duplex,audiodev=a")
                : List.of("-audiodev", "spice,id=a", "-device", "AC97,audiodev=a");
        try (Guest g = Guest.test("playback").param("seconds", "4").qemu(devices.toArray(String[]::new)).boot(dir)) {
            Matcher mixer = g.await("playback mixer Playback (\\d+) \\[(\\d+)%\\] \\[(-?[\\d.]+)dB\\] \\[(on|off)\\]",
                    Duration.ofSeconds(60));
            assertEquals("100", mixer.group(2), g::describe);
            assertEquals("on", mixer.group(4), g::describe);
            double mixerDb = Double.parseDouble(mixer.group(3));
            double captureDb = 0;
            if (hda) {
                Matcher capture = g.ask("capture", "record mixer Capture \\d+ \\[(\\d+)%\\] \\[(-?[\\d.]+)dB\\] "
                        + "\\[(on|off)\\]", Duration.ofSeconds(60));
                assertEquals("100", capture.group(1), g::describe);
                captureDb = Double.parseDouble(capture.group(2));
            }
            int plays = 0;
            int volume = 65535; // what QEMU last sent as VOLUME, which our client applies
            for (boolean opus : new boolean[] {true, false}) {
                String mode = opus ? "opus" : "raw";
                // the guest records in the intel-hda Opus session
                boolean records = hda && opus;
                Path wav = dir.resolve(mode + ".wav");
                // Until the 2 s tone has played and the mixer change has come, and before them the guest's 4 s
                // recording where it records (one after the other: the guest is slow enough under TCG): the test
                // closes listen's stdin then (at most LISTEN_SECONDS)
                List<String> args = new ArrayList<>(List.of("listen", "--audio-out", wav.toString(), "--seconds",
                        Integer.toString(LISTEN_SECONDS), "--until-eof"));
                if (records) {
                    args.addAll(List.of("--mic", mic.toString()));
                }
                if (!opus) {
                    args.add("--no-opus");
                }
                args.add(g.uri());
                try (Proc listen = Spice.command(List.of(), args.toArray(String[]::new)).pipedInput()
                        .start(dir, "listen-" + mode)) {
                    listen.awaitStdout("^connected to", Duration.ofSeconds(60));
                    listen.awaitStdout("^playback: linked", Duration.ofSeconds(60));
                    if (records) {
                        listen.awaitStdout("^record: linked", Duration.ofSeconds(60));
                        g.ask("record", "record done", Duration.ofSeconds(60));
                    }
                    g.send("play");
                    plays++;
                    g.await("playback played " + plays, Duration.ofSeconds(60));
                    // On intel-hda, after the first tone Master goes to 50 % (the second tone plays at that volume),
                    // after the second it is muted.
                    int playedAt = volume;
                    // the whole tone came (QEMU stops the stream after the guest's last samples)
                    listen.awaitStdout("(?s)^event: playback started \\d+$.*^event: playback stopped \\d+$",
                            Duration.ofSeconds(60));
                    if (hda && opus) {
                        g.send("volume");
                        Matcher half = g.await("playback mixer Playback (\\d+) \\[50%\\] .*\\[on\\]",
                                Duration.ofSeconds(30));
                        volume = Integer.parseInt(half.group(1)) * 255 / HDA_AMP_STEPS * 257;
                        listen.awaitStdout("^event: playback volume " + volume + " " + volume + "$",
                                Duration.ofSeconds(60));
                    } else if (hda) {
                        g.send("mute");
                        g.await("playback mixer Playback \\d+ \\[50%\\] .*\\[off\\]", Duration.ofSeconds(30));
                        listen.awaitStdout("^event: playback mute on$", Duration.ofSeconds(60));
                    }
                    listen.closeStdin();
                    assertEquals(0, listen.awaitExit(Duration.ofSeconds(90)), listen::describe);
                    String out = listen.stdout();
                    assertTrue(out.contains("playback: mode " + mode + ", 2 channels at 48000 Hz"), listen::describe);
                    double[] tone = analyse(wav);
                    double expectedDb = TONE_DBFS + mixerDb + 20 * Math.log10(playedAt / 65535.0);
                    System.out.printf("interop: guest %s via %s: %.1f Hz, %.2f dBFS rms over %.2f s (expected %.2f)%n",
                            card, mode, tone[0], tone[1], tone[2], expectedDb);
                    assertEquals(TONE_HZ, tone[0], TONE_HZ * 0.02, "frequency\n" + listen.describe());
                    assertEquals(expectedDb, tone[1], 1.0, "level\n" + listen.describe());
                    assertTrue(tone[2] > TONE_SECONDS - 0.5, "seconds of tone\n" + listen.describe());
                    if (hda) {
                        Matcher v = Pattern.compile("volume \\[(\\d+), (\\d+)\\]( muted)?").matcher(out);
                        assertTrue(v.find(), listen::describe);
                        if (opus) {
                            assertEquals(volume, Integer.parseInt(v.group(1)), listen::describe);
                            assertEquals(volume, Integer.parseInt(v.group(2)), listen::describe);
                            assertEquals(null, v.group(3), listen::describe);
                        } else {
                            assertEquals(" muted", v.group(3), listen::describe);
                        }
                    }
                    if (records) {
                        assertTrue(out.contains("record: mode "), listen::describe);
                        arecordGotOurMicrophone(g, dir, captureDb);
                    }
                }
            }
        }
    }

    /** The guest's arecord file (4 s while our client sent the mic file) holds the mic's tone at its level. */
    private static void arecordGotOurMicrophone(Guest g, Path dir, double captureDb) {
        int mark = g.log().length();
        g.send("recorded");
        g.awaitAfter(mark, "record end", Duration.ofSeconds(90));
        byte[] wav = recorded(g);
        try {
            Files.write(dir.resolve("arecord.wav"), wav);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double[] tone = analyse(wav, "the guest's arecord file");
        System.out.printf("interop: guest arecord: %.1f Hz, %.2f dBFS rms over %.2f s%n", tone[0], tone[1], tone[2]);
        assertEquals(MIC_HZ, tone[0], MIC_HZ * 0.02, "frequency\n" + g.describe());
        assertEquals(TONE_DBFS + captureDb, tone[1], 1.0, "level\n" + g.describe());
        assertTrue(tone[2] > 1.5, "seconds of tone\n" + g.describe());
    }

    /** The base64 lines between "record data N bytes" and "record end", decoded; N checked. */
    private static byte[] recorded(Guest g) {
        Matcher m = Pattern.compile("(?s)" + Guest.MARK + "record data (\\d+) bytes\\r?\\n(.*?)" + Guest.MARK
                + "record end").matcher(g.log());
        assertTrue(m.find(), g::describe);
        byte[] wav = Base64.getMimeDecoder().decode(m.group(2).replace("\r", ""));
        assertEquals(Integer.parseInt(m.group(1)), wav.length, "bytes of the guest's file");
        return wav;
    }

    /** A 16-bit stereo sine tone WAV file. */
    static void writeTone(Path file, double hz, double peak, int rate, int seconds) {
        int frames = rate * seconds;
        ByteBuffer b = ByteBuffer.allocate(44 + frames * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + frames * 4)
                .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
                .putShort((short) 2).putInt(rate).putInt(rate * 4).putShort((short) 4).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(frames * 4);
        for (int i = 0; i < frames; i++) {
            short s = (short) Math.round(peak * 32767 * Math.sin(2 * Math.PI * hz * i / rate));
            b.putShort(s).putShort(s);
        }
        try {
            Files.write(file, b.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Frequency (zero crossings), level (dBFS rms) and length in seconds of the first channel of a 16-bit WAV file,
     * over the part where the tone plays (from the first to the last sample above 1/20 of full scale).
     */
    static double[] analyse(Path wav) {
        try {
            return analyse(Files.readAllBytes(wav), wav.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double[] analyse(byte[] b, String wav) {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        int rate = 0;
        int channels = 0;
        while (pos + 8 <= b.length) {
            int size = bb.getInt(pos + 4);
            String id = new String(b, pos, 4, StandardCharsets.US_ASCII);
            if (id.equals("fmt ")) {
                channels = bb.getShort(pos + 10);
                rate = bb.getInt(pos + 12);
                assertEquals(16, bb.getShort(pos + 22), "bits of " + wav);
            } else if (id.equals("data")) {
                assertTrue(channels > 0, "no fmt chunk before the data in " + wav);
                int frames = Math.min(size, b.length - pos - 8) / (2 * channels);
                short[] left = new short[frames];
                for (int i = 0; i < frames; i++) {
                    left[i] = bb.getShort(pos + 8 + 2 * channels * i);
                }
                int first = 0;
                while (first < frames && Math.abs(left[first]) < 1638) {
                    first++;
                }
                int last = frames - 1;
                while (last > first && Math.abs(left[last]) < 1638) {
                    last--;
                }
                assertTrue(last - first > rate / 10, "no tone in " + wav);
                double sum = 0;
                int crossings = 0;
                for (int i = first; i <= last; i++) {
                    sum += (double) left[i] * left[i];
                    if (i > first && (left[i - 1] < 0) != (left[i] < 0)) {
                        crossings++;
                    }
                }
                int n = last - first + 1;
                double rms = Math.sqrt(sum / n) / 32768;
                return new double[] {crossings / 2.0 * rate / n, 20 * Math.log10(rms), n / (double) rate};
            }
            pos += 8 + size + (size & 1);
        }
        throw new AssertionError("no data chunk in " + wav);
    }
}
