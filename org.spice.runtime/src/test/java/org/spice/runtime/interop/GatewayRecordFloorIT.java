package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.spice.audio.Pcm;
import org.spice.audio.Wav;

/**
 * The gateway's record floor: our server stands for the VM and writes what its record channel gets to a WAV file
 * (org.spice.record.sink); two of our clients ({@code ./spice listen --mic}) record through {@code ./spice gateway
 * --record-floor first}: A a long 440 Hz tone, B, starting while A has the floor, {@value #B_SECONDS} s of 660 Hz.
 * A is killed a while after B started: the floor goes to B. The VM must hear A's tone for as long as A held
 * the floor, then B's, and nothing of B's from before: the seconds B recorded without the floor are not in the VM's
 * recording. The gateway logs each floor change and B recording without it.
 *
 * <p>spice-gtk sends a microphone only from a GStreamer/PulseAudio source, and the machines this runs on have no
 * sound server, so both viewers are ours.
 */
class GatewayRecordFloorIT {
    private static final int B_SECONDS = 8;
    private static final Pattern LOG_TIME = Pattern.compile("^(\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d\\d\\d) ");

    @Test
    void theVmHearsOnlyTheViewerWithTheFloor() throws Exception {
        Path dir = Peers.workDir(getClass(), "first");
        Path deploy = Files.createDirectories(dir.resolve("vm-deploy"));
        Path heard = Files.createDirectories(dir.resolve("vm-heard"));
        Files.writeString(deploy.resolve("org.spice.record.sink.cfg"), "directory = " + heard + "\n");
        Wav.write(dir.resolve("a.wav"), Pcm.tone(440, 0.3, 48000, 2, 48000 * 120));
        Wav.write(dir.resolve("b.wav"), Pcm.tone(660, 0.3, 48000, 2, 48000 * B_SECONDS));
        int vmPort = Peers.freePort();
        int port = Peers.freePort();
        try (Proc vm = Spice.startServer(dir, Map.of("SPICE_DEPLOY_DIR", deploy.toString()), "--listen",
                "127.0.0.1:" + vmPort);
                Proc gateway = Spice.command(List.of(Peers.binary("timeout"), "-k", "5", "240"), "gateway",
                        "--target", "spice://127.0.0.1:" + vmPort, "--listen", "127.0.0.1:" + port,
                        "--record-floor", "first").start(dir, "gateway")) {
            gateway.awaitStdout("^SPICE server listening on spice://127.0.0.1:" + port + "$", Duration.ofSeconds(60));
            gateway.awaitStderr("gateway: the VM hears the viewer with the record floor \\(the gateway's record"
                    + " floor \\(rule first\\)\\)", Duration.ofSeconds(20));
            try (Proc a = listen(dir, "a", 150, port).start(dir, "listen-a")) {
                Matcher holderA = gateway.awaitStderr("^(.{12}) .*gateway: viewer 0x(\\p{XDigit}+) has the record"
                        + " floor \\(rule first\\)", Duration.ofSeconds(90));
                String viewerA = holderA.group(2);
                CompletableFuture<Proc.Result> b = CompletableFuture.supplyAsync(() -> listen(dir, "b", 40, port)
                        .run(dir, "listen-b", Duration.ofSeconds(120)));
                Matcher without = gateway.awaitStderr("^(.{12}) .*gateway: viewer 0x(\\p{XDigit}+) records without"
                        + " the floor \\(rule first: viewer 0x(\\p{XDigit}+) has it\\); its audio is not sent to the"
                        + " VM", Duration.ofSeconds(90));
                String viewerB = without.group(2);
                assertNotEquals(viewerA, viewerB);
                assertEquals(viewerA, without.group(3));
                Proc.sleep(2000); // B records without the floor for 2 s at least
                a.close();
                // A's process stops sending as it shuts down, or its channel closes first.
                Matcher left = gateway.awaitStderr("^(.{12}) .*gateway: viewer 0x" + viewerA + " (left|stopped"
                        + " recording \\(nothing for 500 ms\\)); it no longer has the record floor",
                        Duration.ofSeconds(30));
                Matcher holderB = gateway.awaitStderr("^(.{12}) .*gateway: viewer 0x" + viewerB + " has the record"
                        + " floor \\(rule first\\)", Duration.ofSeconds(10));
                Proc.Result rb = b.join();
                assertEquals(0, rb.exitCode(), rb::describe);
                assertTrue(rb.stdout().contains("record: mode opus, 2 channels at 48000 Hz"), rb::describe);
                assertTrue(rb.stdout().contains("(to its end)"), rb::describe);
                // The VM's record channel closes with the gateway: the VM's WAV file is then complete.
                gateway.terminate(Duration.ofSeconds(20));
                Path wav = awaitRecording(vm, heard);
                assertTrue(vm.isAlive(), vm.describe());
                double aHeld = seconds(left.group(1)) - seconds(holderA.group(1));
                double bWithout = seconds(holderB.group(1)) - seconds(without.group(1));
                judge(Wav.read(wav), aHeld, B_SECONDS - bWithout);
            }
        }
    }

    private static Proc.Builder listen(Path dir, String name, int seconds, int port) {
        return Spice.command(List.of(), "listen", "--timeout", "60", "--seconds", Integer.toString(seconds),
                "--audio-out", dir.resolve(name + "-heard.wav").toString(), "--mic", dir.resolve(name + ".wav")
                        .toString(), "spice://127.0.0.1:" + port);
    }

    /** Seconds since midnight of a log line's time, HH:MM:SS.mmm. */
    private static double seconds(String time) {
        Matcher m = LOG_TIME.matcher(time + " ");
        assertTrue(m.find(), time);
        return Integer.parseInt(m.group(1)) * 3600 + Integer.parseInt(m.group(2)) * 60 + Integer.parseInt(m.group(3))
                + Integer.parseInt(m.group(4)) / 1000.0;
    }

    /** The one WAV file the VM wrote, once it says it is complete. */
    private static Path awaitRecording(Proc vm, Path heard) throws Exception {
        for (long end = System.nanoTime() + Duration.ofSeconds(20).toNanos(); ; ) {
            if (vm.stderr().contains("recorded ") || vm.stdout().contains("recorded ")) {
                break;
            }
            assertTrue(System.nanoTime() < end, "the VM did not close its recording\n" + vm.describe());
            Proc.sleep(100);
        }
        try (Stream<Path> files = Files.list(heard)) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), "one session with the VM, one recording: " + all);
            return all.get(0);
        }
    }

    /**
     * Cuts what the VM heard into 100 ms windows and names each by the tone that dominates it (Goertzel power ten
     * times the other's; silence and the window where one tone gives way to the other are left out): A's tone
     * first, then B's, never A's after B's; A's for as long as it held the floor and B's only for the part it sent
     * with the floor (both by the gateway's log, within a second: a loaded machine stalls the viewers).
     */
    private static void judge(Pcm vm, double aHeld, double bWithFloor) {
        int window = vm.rate() / 10;
        double a = 0;
        double b = 0;
        int mixed = 0;
        List<Character> order = new ArrayList<>();
        for (int from = 0; from + window <= vm.frames(); from += window) {
            Pcm w = vm.slice(from, from + window);
            if (w.rms() < 0.05) {
                continue;
            }
            double p440 = w.goertzel(0, 440);
            double p660 = w.goertzel(0, 660);
            if (p440 > 10 * p660) {
                a += 0.1;
                order.add('a');
            } else if (p660 > 10 * p440) {
                b += 0.1;
                order.add('b');
            } else {
                mixed++;
            }
        }
        String seen = order.stream().map(String::valueOf).reduce("", String::concat)
                .replaceAll("a+", "A").replaceAll("b+", "B");
        String report = String.format("the VM heard %.1f s of A's tone, %.1f s of B's, %d mixed windows, in the order"
                + " %s (%.1f s in all); by the gateway's log A held the floor %.1f s, B %.1f s of its %d s",
                a, b, mixed, seen, vm.seconds(), aHeld, bWithFloor, B_SECONDS);
        assertEquals("AB", seen, report);
        assertTrue(mixed <= 3, report);
        assertEquals(aHeld, a, 1.0, report);
        // B recorded 2 s and more without the floor: that part never reached the VM.
        assertTrue(bWithFloor < B_SECONDS - 1.9, report);
        assertEquals(bWithFloor, b, 1.0, report);
    }
}
