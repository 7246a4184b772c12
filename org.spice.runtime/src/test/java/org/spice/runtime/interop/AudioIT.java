package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spice.audio.Pcm;
import org.spice.audio.Wav;

/**
 * The playback and record channels against real peers and through the exported runtime (spice.jar): our
 * client and our server in separate JVMs, QEMU's audio channels, and spice-gtk's spicy playing our server's
 * tone. A missing peer fails these tests; scripts/install-peers.sh installs them.
 */
class AudioIT {
    private static final Path ROOT = Path.of(System.getProperty("spice.root", "..")).toAbsolutePath().normalize();
    private static final Path SPICE = ROOT.resolve("spice");

    /**
     * spicy's environment: debug logs, and GStreamer's openalsrc out of autoaudiosrc's choice. spice-gtk records
     * from a fixed "autoaudiosrc" pipeline; with gstreamer1.0-plugins-bad installed (install-peers.sh installs it)
     * autoaudiosrc picks openalsrc, which opens without a sound card but fails when it starts, so spicy sends no
     * record data at all. Without it autoaudiosrc falls back to its live silent test source, which these tests
     * record.
     */
    private static final Map<String, String> SPICY_ENV = Map.of("SPICE_DEBUG", "1", "G_MESSAGES_DEBUG", "all",
            "GST_PLUGIN_FEATURE_RANK", "openalsrc:NONE");

    @TempDir
    Path tmp;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : processes) {
            stop(p);
        }
    }

    /** Ends a process and everything it started (xvfb-run starts Xvfb and spicy), by pid, never by name. */
    private static void stop(Process p) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        tree.add(p.toHandle());
        for (ProcessHandle h : tree) {
            h.destroy();
        }
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
    }

    private static void requirePeer(String command) {
        boolean found = Stream.of(System.getenv("PATH").split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, command)));
        assertTrue(found, command + " is not installed: run scripts/install-peers.sh");
    }

    private static void requireRuntime() {
        assertTrue(Files.isRegularFile(ROOT.resolve("org.spice.runtime/target/spice.jar")),
                "org.spice.runtime/target/spice.jar is missing: build with ./mvnw package first");
    }

    private Process start(String name, Map<String, String> env, String... command) throws IOException {
        ProcessBuilder b = new ProcessBuilder(command).directory(ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(tmp.resolve(name + ".log").toFile());
        b.environment().putAll(env);
        Process p = b.start();
        processes.add(p);
        return p;
    }

    private String log(String name) throws IOException {
        Path f = tmp.resolve(name + ".log");
        return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
    }

    private void awaitLog(String name, String text, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!log(name).contains(text)) {
            assertTrue(System.nanoTime() < end, name + " did not print '" + text + "' within " + seconds + " s:\n"
                    + log(name));
            Thread.sleep(100);
        }
    }

    private static void awaitPort(int port, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                assertTrue(System.nanoTime() < end, "nothing listens on 127.0.0.1:" + port);
                Thread.sleep(100);
            }
        }
    }

    /** Runs a command to its end (bounded) and returns its exit code; its output goes to NAME.log. */
    private int run(String name, int seconds, Map<String, String> env, String... command) throws Exception {
        Process p = start(name, env, command);
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            stop(p);
            throw new AssertionError(String.join(" ", command) + " did not end within " + seconds + " s:\n"
                    + log(name));
        }
        return p.exitValue();
    }

    /** Our runtime as a server in its own JVM, its recordings going to tmp/spice-record. */
    private int ourServer() throws Exception {
        return ourServer(Map.of());
    }

    /** The same, with extra environment (e.g. SPICE_DEPLOY_DIR holding configuration files). */
    private int ourServer(Map<String, String> env) throws Exception {
        requireRuntime();
        int port = Peers.freePort();
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("SPICE_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp);
        start("server", all, SPICE.toString(), "server", "--listen", "127.0.0.1:" + port);
        awaitLog("server", "SPICE server listening on spice://127.0.0.1:" + port, 60);
        return port;
    }

    private List<Path> recordings() throws IOException {
        Path dir = tmp.resolve("spice-record");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> l = Files.list(dir)) {
            return l.sorted().toList();
        }
    }

    /**
     * sox, as an outside judge of a WAV our client wrote: the demo's tone is 440 Hz at a quarter of full scale, so
     * its left channel (after the first 0.1 s, where Opus settles) has a spectrum peaking in the FFT bin of 440 Hz,
     * a rough frequency of 440 and an RMS amplitude of 0.25/sqrt(2).
     */
    private void assertSoxSeesTheTone(Path wav, double rmsTolerance) throws Exception {
        requirePeer("sox");
        String name = "sox-" + wav.getFileName();
        assertEquals(0, run(name, 60, Map.of(), "sox", wav.toString(), "-n", "trim", "0.1", "remix", "1", "stat",
                "-freq"), log(name));
        String stat = log(name);
        Matcher rough = Pattern.compile("Rough\\s+frequency:\\s+(\\d+)").matcher(stat);
        Matcher rms = Pattern.compile("RMS\\s+amplitude:\\s+([\\d.]+)").matcher(stat);
        assertTrue(rough.find() && rms.find(), stat);
        assertEquals(440, Integer.parseInt(rough.group(1)), 440 * 0.02, "sox's rough frequency");
        assertEquals(0.25 / Math.sqrt(2), Double.parseDouble(rms.group(1)), rmsTolerance, "sox's RMS amplitude");
        double peakHz = 0;
        double peak = -1;
        for (String line : stat.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[0].matches("[\\d.]+") && f[1].matches("[\\d.eE+-]+")
                    && Double.parseDouble(f[1]) > peak) {
                peak = Double.parseDouble(f[1]);
                peakHz = Double.parseDouble(f[0]);
            }
        }
        // sox's spectrum has bins of 48000/8192 = 5.86 Hz.
        assertEquals(440, peakHz, 48000 / 8192.0, "the peak of sox's spectrum");
    }

    @Test
    void ourClientPlaysAndRecordsWithOurServerThroughTheRuntime() throws Exception {
        int port = ourServer();
        Pcm mic = Pcm.tone(660, 0.2, 48000, 2, 48000);
        Wav.write(tmp.resolve("mic.wav"), mic);
        String uri = "spice://127.0.0.1:" + port;

        // Raw both ways: the tone arrives exactly, the microphone file sample for sample.
        // 5 s of listening for at least 2 s of sound: slack for a loaded machine, where linking takes a while.
        assertEquals(0, run("listen-raw", 60, Map.of(), SPICE.toString(), "listen", "--no-opus", "--seconds", "5",
                "--audio-out", tmp.resolve("raw.wav").toString(), "--mic", tmp.resolve("mic.wav").toString(), uri),
                log("listen-raw"));
        assertTrue(log("listen-raw").contains("playback: mode raw, 2 channels at 48000 Hz"), log("listen-raw"));
        assertTrue(log("listen-raw").contains("record: mode raw"), log("listen-raw"));
        assertTrue(log("listen-raw").contains("(to its end)"), log("listen-raw"));
        Pcm raw = Wav.read(tmp.resolve("raw.wav"));
        assertTrue(raw.seconds() > 2, "seconds " + raw.seconds());
        assertEquals(440, raw.zeroCrossingHz(0), 0.5);
        assertEquals(0.25 / Math.sqrt(2), raw.rms(), 0.003);
        assertSoxSeesTheTone(tmp.resolve("raw.wav"), 0.003);
        awaitLog("server", "recorded ", 10);
        List<Path> rec = recordings();
        assertEquals(1, rec.size(), rec.toString());
        assertArrayEquals(mic.samples(), Wav.read(rec.get(0)).samples());

        // Opus both ways: the same within the codec's tolerance.
        // (Longer: a cold JVM encodes Opus slower than real time for its first second or so.)
        assertEquals(0, run("listen-opus", 60, Map.of(), SPICE.toString(), "listen", "--seconds", "6",
                "--audio-out", tmp.resolve("opus.wav").toString(), "--mic", tmp.resolve("mic.wav").toString(), uri),
                log("listen-opus"));
        assertTrue(log("listen-opus").contains("playback: mode opus, 2 channels at 48000 Hz"), log("listen-opus"));
        assertTrue(log("listen-opus").contains("record: mode opus"), log("listen-opus"));
        assertTrue(log("listen-opus").contains("(to its end)"), log("listen-opus"));
        Pcm opus = Wav.read(tmp.resolve("opus.wav"));
        Pcm steady = opus.slice(4800, opus.frames());
        assertEquals(440, steady.zeroCrossingHz(0), 1.0);
        assertEquals(0.25 / Math.sqrt(2), steady.rms(), 0.25 / Math.sqrt(2) * 0.1);
        assertSoxSeesTheTone(tmp.resolve("opus.wav"), 0.25 / Math.sqrt(2) * 0.1);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (recordings().size() < 2 && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        rec = recordings();
        assertEquals(2, rec.size(), rec.toString());
        Pcm got = Wav.read(rec.get(1));
        assertEquals(mic.frames(), got.frames());
        Pcm gotSteady = got.slice(4800, got.frames());
        assertEquals(660, gotSteady.zeroCrossingHz(1), 1.0);
        assertEquals(mic.rms(), gotSteady.rms(), mic.rms() * 0.1);
        assertFalse(log("server").contains("protocol error"), log("server"));
    }

    @Test
    void ourClientLinksQemusPlaybackAndRecord() throws Exception {
        requirePeer("qemu-system-x86_64");
        requireRuntime();
        int port = Peers.freePort();
        start("qemu", Map.of(), "qemu-system-x86_64", "-machine", "accel=tcg", "-m", "128", "-vga", "qxl",
                "-display", "none", "-nodefaults", "-no-user-config", "-spice",
                "port=" + port + ",addr=127.0.0.1,disable-ticketing=on", "-audiodev", "spice,id=a",
                "-device", "intel-hda", "-device", "hda-duplex,audiodev=a");
        awaitPort(port, 30);
        String uri = "spice://127.0.0.1:" + port;
        assertEquals(0, run("probe", 60, Map.of(), SPICE.toString(), "probe", uri), log("probe"));
        // QEMU (spice-server) announces volume and Opus on both: playback [1, 3], record [1, 2].
        assertTrue(log("probe").contains("channel playback:0 common-caps [0, 1, 3] channel-caps [1, 3]"), log("probe"));
        assertTrue(log("probe").contains("channel record:0 common-caps [0, 1, 3] channel-caps [1, 2]"), log("probe"));

        // Linked for a few seconds without a protocol error. The firmware plays nothing, so QEMU sends the
        // playback mode (Opus, as we announce it) and no start.
        assertEquals(0, run("listen", 60, Map.of(), SPICE.toString(), "listen", "--seconds", "4", "--audio-out",
                tmp.resolve("qemu.wav").toString(), uri), log("listen"));
        String l = log("listen");
        assertTrue(l.contains("playback: mode opus"), l);
        assertTrue(l.contains("record: mode "), l);
        assertFalse(l.contains("playback: not linked") || l.contains("record: not linked"), l);
        assertFalse(l.contains("protocol error") || l.contains("handler failed"), l);
        assertFalse(l.matches("(?s).*(playback|record):0 to [^\\n]* closed: (?!session closed by the user|the main"
                + " channel closed).*"), l);
    }

    /**
     * Waits until the server's recording file holds {@code seconds} of 48 kHz 16-bit stereo (the sink flushes it
     * as it records); fails after {@code timeout} with what it holds.
     */
    private void awaitRecording(double seconds, Duration timeout) throws Exception {
        long want = 44 + (long) (seconds * 48_000 * 4);
        long end = System.nanoTime() + timeout.toNanos();
        long size = 0;
        while (System.nanoTime() < end) {
            List<Path> rec = recordings();
            size = rec.isEmpty() ? 0 : Files.size(rec.get(0));
            if (size >= want) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the recording holds " + size + " bytes after " + timeout.toSeconds()
                + " s, expected " + want + " (" + seconds + " s):\n" + log("server"));
    }

    /**
     * The audio messages of a capture as "PROTOCOL|INFO|mode|channels|frequency|latency" lines (Wireshark's SPICE
     * dissector decodes them): what the peers agreed on, read from the wire rather than from one spice-gtk
     * release's debug wording. Audio data modes (spice-protocol): 1 raw, 3 Opus.
     */
    private static List<String> audioControl(Capture cap) {
        return cap.frames("spice.audio_mode || spice.audio_frequency || spice.audio_latency", "_ws.col.Protocol",
                "_ws.col.Info", "spice.audio_mode", "spice.audio_channels", "spice.audio_frequency",
                "spice.audio_latency");
    }

    /** Whether a frame whose info names {@code info} carries a value matching {@code value} in {@code field}. */
    private static boolean has(List<String> lines, String info, AudioField field, String value) {
        return lines.stream().map(l -> l.split("\\|", -1)).anyMatch(f -> f[0].contains(info)
                && f.length > field.ordinal() + 2
                && Arrays.stream(f[field.ordinal() + 2].split(",")).anyMatch(v -> v.matches(value)));
    }

    /** The fields {@link #audioControl} prints after the protocol and info columns, in that order. */
    private enum AudioField { MODE, CHANNELS, FREQUENCY, LATENCY }

    /** One message of the record channel as it crossed the wire: its direction, type and body. */
    private record WireMessage(boolean fromServer, int type, ByteBuffer body) {
        @Override
        public String toString() {
            return (fromServer ? "server" : "client") + " type " + type + " body " + HexFormat.of().formatHex(
                    body.array(), body.arrayOffset(), body.arrayOffset() + body.limit());
        }
    }

    /**
     * The record channel's messages of the frames carrying a message of type 101 or 102, parsed from the frames'
     * TCP payload (mini headers: type u16, size u32, then the body; little-endian). Wireshark 4.0 names the record
     * messages but does not dissect a server START's body and misreads a client MODE (see
     * {@link Capture#attributable}), so their fields are read here from the bytes spice.proto lays out.
     */
    private static List<WireMessage> recordMessages(Capture cap, int port) {
        List<WireMessage> out = new ArrayList<>();
        for (String line : cap.frames("spice.message_type == 101 || spice.message_type == 102", "_ws.col.Protocol",
                "tcp.srcport", "tcp.payload")) {
            String[] f = line.split("\\|", -1);
            if (f.length < 3 || !f[0].contains("RECORD")) {
                continue;
            }
            ByteBuffer b = ByteBuffer.wrap(HexFormat.of().parseHex(f[2])).order(ByteOrder.LITTLE_ENDIAN);
            while (b.remaining() >= 6) {
                int type = Short.toUnsignedInt(b.getShort());
                long size = Integer.toUnsignedLong(b.getInt());
                if (size > b.remaining()) {
                    break;
                }
                ByteBuffer body = b.slice(b.position(), (int) size).order(ByteOrder.LITTLE_ENDIAN);
                b.position(b.position() + (int) size);
                out.add(new WireMessage(f[1].equals(String.valueOf(port)), type, body));
            }
        }
        return out;
    }

    @Test
    void spiceGtkPlaysOurServersToneRaw() throws Exception {
        requirePeer("spicy");
        requirePeer("xvfb-run");
        requirePeer("tshark");
        // playback compression off, as spice-server's playback-compression=off: raw PCM even to Opus clients
        Path deploy = tmp.resolve("deploy-raw");
        Files.createDirectories(deploy);
        Files.writeString(deploy.resolve("org.spice.playback.cfg"), "compression = false\n");
        int port = ourServer(Map.of("SPICE_DEPLOY_DIR", deploy.toString()));
        try (Capture cap = Capture.start(tmp, "audio-raw", port)) {
            Process spicy = start("spicy-raw", SPICY_ENV, "xvfb-run",
                    "-a", "spicy", "-h", "127.0.0.1", "-p", String.valueOf(port));
            // one second of the tone: 100 packets of 10 ms
            cap.awaitFrames("playback data messages", l -> l.contains("PLAYBACK") && l.contains("Server DATA"), 100,
                    Duration.ofSeconds(90), "spice");
            stop(spicy);
            cap.stop();
            List<String> audio = audioControl(cap);
            assertTrue(has(audio, "PLAYBACK", AudioField.MODE, "1"), "our server sent playback mode raw:\n" + audio);
            assertTrue(has(audio, "PLAYBACK", AudioField.CHANNELS, "2")
                    && has(audio, "PLAYBACK", AudioField.FREQUENCY, "48000"),
                    "playback start 2 channels 48 kHz:\n" + audio);
            assertEquals(List.of(), Capture.attributable(cap.frames("_ws.malformed && tcp.srcport==" + port)),
                    "malformed SPICE frames");
        }
        assertFalse(log("spicy-raw").contains("snd_codec_decode() error"), log("spicy-raw"));
    }

    @Test
    void spiceGtkPlaysOurServersToneInOpus() throws Exception {
        requirePeer("spicy");
        requirePeer("xvfb-run");
        requirePeer("tshark");
        int port = ourServer();
        try (Capture cap = Capture.start(tmp, "audio", port)) {
            Process spicy = start("spicy", SPICY_ENV, "xvfb-run", "-a",
                    "spicy", "-h", "127.0.0.1", "-p", String.valueOf(port));
            // Until 3 s of the tone (300 packets of 10 ms) went out and 4.5 s of spicy's microphone were written.
            cap.awaitFrames("playback data messages", l -> l.contains("PLAYBACK") && l.contains("Server DATA"), 300,
                    Duration.ofSeconds(90), "spice");
            awaitRecording(4.5, Duration.ofSeconds(90));
            stop(spicy);
            cap.stop();
            // Both sides announced Opus, so our server plays Opus, spice-gtk records in Opus, 2 channels at 48 kHz.
            List<String> audio = audioControl(cap);
            assertTrue(has(audio, "PLAYBACK", AudioField.MODE, "3"), "our server sent playback mode Opus:\n" + audio);
            assertTrue(has(audio, "PLAYBACK", AudioField.CHANNELS, "2")
                    && has(audio, "PLAYBACK", AudioField.FREQUENCY, "48000"),
                    "playback start 2 channels 48 kHz:\n" + audio);
            assertTrue(has(audio, "PLAYBACK", AudioField.LATENCY, "\\d+"), "playback latency:\n" + audio);
            // spice.proto: the server's record START (101) is channels u32, format u16, frequency u32; the client's
            // record MODE (102) is time u32, mode u16, data.
            List<WireMessage> record = recordMessages(cap, port);
            assertTrue(record.stream().anyMatch(m -> m.fromServer() && m.type() == 101 && m.body().limit() == 10
                    && m.body().getInt(0) == 2 && m.body().getInt(6) == 48000),
                    "record start 2 channels 48 kHz:\n" + record);
            assertTrue(record.stream().anyMatch(m -> !m.fromServer() && m.type() == 102 && m.body().limit() >= 6
                    && m.body().getShort(4) == 3), "spice-gtk's record mode Opus:\n" + record);
            // What our server sent must dissect cleanly (Capture.attributable drops Wireshark 4.0's own quirk
            // with spice-gtk's record MODE message and packets the capture itself lost).
            assertEquals(List.of(), Capture.attributable(cap.frames("_ws.malformed && tcp.srcport==" + port)),
                    "malformed SPICE frames");
        }
        assertFalse(log("spicy").contains("snd_codec_decode() error"), log("spicy"));
        assertFalse(log("server").contains("protocol error"), log("server"));
        // spicy recorded too (GStreamer's fallback source: silence), in Opus, which our server decoded.
        awaitLog("server", "recorded ", 10);
        List<Path> rec = recordings();
        assertEquals(1, rec.size(), rec.toString());
        assertTrue(Wav.read(rec.get(0)).seconds() > 4, "seconds recorded from spicy");
    }
}
