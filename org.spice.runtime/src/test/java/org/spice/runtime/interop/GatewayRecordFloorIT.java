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
 * --record-floor first}, A a 440 Hz tone, B, starting while A has the floor, a 660 Hz tone that goes on after A's
 * ends. The VM must hear A's tone, then B's from when A stopped, and nothing of B before: B's first seconds, while
 * A held the floor, are not in the VM's recording. The gateway logs each floor change and B recording without it.
 *
 * <p>spice-gtk sends a microphone only from a GStreamer/PulseAudio source, and the machines this runs on have no
 * sound server, so both viewers are ours.
 */
class GatewayRecordFloorIT {
    private static final int A_SECONDS = 14;
    private static final int B_SECONDS = 12;

    @Test
    void theVmHearsOnlyTheViewerWithTheFloor() throws Exception {
        Path dir = Peers.workDir(getClass(), "first");
        Path deploy = Files.createDirectories(dir.resolve("vm-deploy"));
        Path heard = Files.createDirectories(dir.resolve("vm-heard"));
        Files.writeString(deploy.resolve("org.spice.record.sink.cfg"), "directory = " + heard + "\n");
        Wav.write(dir.resolve("a.wav"), Pcm.tone(440, 0.3, 48000, 2, 48000 * A_SECONDS));
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
            CompletableFuture<Proc.Result> a = listen(dir, "a", 20, port);
            Matcher holderA = gateway.awaitStderr("gateway: viewer 0x(\\p{XDigit}+) has the record floor \\(rule"
                    + " first\\)", Duration.ofSeconds(60));
            String viewerA = holderA.group(1);
            CompletableFuture<Proc.Result> b = listen(dir, "b", 25, port);
            Matcher without = gateway.awaitStderr("gateway: viewer 0x(\\p{XDigit}+) records without the floor"
                    + " \\(rule first: viewer 0x(\\p{XDigit}+) has it\\); its audio is not sent to the VM",
                    Duration.ofSeconds(60));
            String viewerB = without.group(1);
            assertNotEquals(viewerA, viewerB);
            assertEquals(viewerA, without.group(2));
            for (CompletableFuture<Proc.Result> l : List.of(a, b)) {
                Proc.Result r = l.join();
                assertEquals(0, r.exitCode(), r::describe);
                assertTrue(r.stdout().contains("record: mode opus, 2 channels at 48000 Hz"), r::describe);
            }
            // A's tone ended (it stopped sending) before B's: the floor went to B.
            List<String> holders = new ArrayList<>();
            Matcher m = Pattern.compile("gateway: viewer 0x(\\p{XDigit}+) has the record floor \\(rule first\\)")
                    .matcher(gateway.stderr());
            while (m.find()) {
                holders.add(m.group(1));
            }
            assertEquals(List.of(viewerA, viewerB), holders, gateway::describe);
            assertTrue(gateway.stderr().contains("gateway: viewer 0x" + viewerA + " stopped recording (nothing for"
                    + " 500 ms); it no longer has the record floor"), gateway::describe);
            assertTrue(gateway.stderr().contains("gateway: viewer 0x" + viewerB + " left; it no longer has the record"
                    + " floor"), gateway::describe);
            // The VM's record channel closes with the gateway: the VM's WAV file is then complete.
            gateway.terminate(Duration.ofSeconds(20));
            Path wav = awaitRecording(vm, heard);
            assertTrue(vm.isAlive(), vm.describe());
            judge(Wav.read(wav));
        }
    }

    private static CompletableFuture<Proc.Result> listen(Path dir, String name, int seconds, int port) {
        return CompletableFuture.supplyAsync(() -> Spice.command(List.of(), "listen", "--timeout", "60", "--seconds",
                Integer.toString(seconds), "--audio-out", dir.resolve(name + "-heard.wav").toString(), "--mic",
                dir.resolve(name + ".wav").toString(), "spice://127.0.0.1:" + port)
                .run(dir, "listen-" + name, Duration.ofSeconds(seconds + 60)));
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
     * first, then B's, never A's after B's, about all of A's and only the part of B's after A stopped.
     */
    private static void judge(Pcm vm) {
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
                + " %s (%.1f s in all)", a, b, mixed, seen, vm.seconds());
        assertEquals("AB", seen, report);
        assertTrue(mixed <= 3, report);
        // A's tone whole, less what a loaded machine drops (cushions, the queue's bound after a stall).
        assertTrue(a > A_SECONDS - 3 && a <= A_SECONDS + 0.2, report);
        // B started recording while A had the floor: that part never reached the VM.
        assertTrue(b > 0.5 && b < B_SECONDS - 1, report);
    }
}
