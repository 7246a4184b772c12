package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./spice listen --mic F.wav} sends a 700 Hz tone (peak half of full scale, -9.03 dBFS rms) to QEMU's
 * intel-hda/hda-duplex; the Linux guest records it with arecord (capture at 100 %, 0 dB) and copies the file out
 * over its serial port: it holds the tone at 700 Hz (±2 %) and at the mic file's level (±1 dB).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class GuestRecordIT {
    static final double MIC_HZ = 700;

    @Test
    void arecordGetsOurMicrophone() throws IOException {
        Path dir = Peers.workDir(getClass(), "hda");
        Path mic = dir.resolve("mic.wav");
        writeTone(mic, MIC_HZ, 0.5, 48000, 14);
        try (Guest g = Guest.test("record").param("seconds", "4")
                .qemu("-audiodev", "spice,id=a", "-device", "intel-hda", "-device", "hda-duplex,audiodev=a")
                .boot(dir)) {
            Matcher mixer = g.await("record mixer Capture \\d+ \\[(\\d+)%\\] \\[(-?[\\d.]+)dB\\] \\[(on|off)\\]",
                    Duration.ofSeconds(60));
            assertEquals("100", mixer.group(1), g::describe);
            double captureDb = Double.parseDouble(mixer.group(2));
            try (Proc listen = Spice.command(List.of(), "listen", "--mic", mic.toString(), "--seconds", "14",
                    g.uri()).start(dir, "listen")) {
                listen.awaitStdout("^connected to", Duration.ofSeconds(60));
                listen.awaitStdout("^record: linked", Duration.ofSeconds(60));
                g.send("record");
                g.await("record end", Duration.ofSeconds(90));
                assertEquals(0, listen.awaitExit(Duration.ofSeconds(60)), listen::describe);
                assertTrue(listen.stdout().contains("record: mode "), listen::describe);
            }
            byte[] wav = recorded(g);
            Files.write(dir.resolve("arecord.wav"), wav);
            double[] tone = GuestPlaybackIT.analyse(wav, "the guest's arecord file");
            System.out.printf("interop: guest arecord: %.1f Hz, %.2f dBFS rms over %.2f s%n", tone[0], tone[1],
                    tone[2]);
            assertEquals(MIC_HZ, tone[0], MIC_HZ * 0.02, "frequency\n" + g.describe());
            assertEquals(GuestPlaybackIT.TONE_DBFS + captureDb, tone[1], 1.0, "level\n" + g.describe());
            assertTrue(tone[2] > 1.5, "seconds of tone\n" + g.describe());
        }
    }

    /** The base64 lines between "record data N bytes" and "record end", decoded; N checked. */
    private static byte[] recorded(Guest g) {
        String log = g.log();
        Matcher m = java.util.regex.Pattern.compile("(?s)" + Guest.MARK + "record data (\\d+) bytes\\r?\\n(.*?)"
                + Guest.MARK + "record end").matcher(log);
        assertTrue(m.find(), g::describe);
        byte[] wav = Base64.getMimeDecoder().decode(m.group(2).replace("\r", ""));
        assertEquals(Integer.parseInt(m.group(1)), wav.length, "bytes of the guest's file");
        return wav;
    }

    /** A 16-bit stereo sine tone WAV file. */
    static void writeTone(Path file, double hz, double peak, int rate, int seconds) {
        int frames = rate * seconds;
        ByteBuffer b = ByteBuffer.allocate(44 + frames * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + frames * 4)
                .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
                .putShort((short) 2).putInt(rate).putInt(rate * 4).putShort((short) 4).putShort((short) 16)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(frames * 4);
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
}
