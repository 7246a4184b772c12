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
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spice.audio.Pcm;
import org.spice.audio.Wav;

/**
 * The gateway's record floor: our server stands for the VM and writes what its record channel gets to a WAV file
 * (org.spice.record.sink); two of our clients ({@code ./spice listen --mic}) record through {@code ./spice gateway
 * --record-floor first}, and with the default {@code controller}: A a long 440 Hz tone, B, starting while A has the
 * floor, {@value #B_STEPS} steps of half a second, each a tone of its own ({@link #stepHz}). A is killed 6 s after B
 * started: the floor goes to B. The VM must hear A's tone, then B's steps from some step on to B's last, in order,
 * and not B's first step, which B sent while A held the floor. (Durations by the clock say little here: on a loaded
 * machine a viewer's process stalls and sends its file later, so what B sent without the floor is told by which of
 * its steps arrived.) The gateway logs each floor change and B recording without it.
 *
 * <p>spice-gtk sends a microphone only from a GStreamer/PulseAudio source, and the machines this runs on have no
 * sound server, so both viewers are ours.
 */
class GatewayRecordFloorIT {
    private static final int B_STEPS = 24;

    /**
     * {@code first}, and {@code controller}, the default with {@code --control first}: A, connected first, controls;
     * when it leaves, B does.
     */
    @ParameterizedTest
    @ValueSource(strings = {"first", "controller"})
    void theVmHearsOnlyTheViewerWithTheFloor(String rule) throws Exception {
        Path dir = Peers.workDir(getClass(), rule);
        Path deploy = Files.createDirectories(dir.resolve("vm-deploy"));
        Path heard = Files.createDirectories(dir.resolve("vm-heard"));
        Files.writeString(deploy.resolve("org.spice.record.sink.cfg"), "directory = " + heard + "\n");
        Wav.write(dir.resolve("a.wav"), Pcm.tone(440, 0.3, 48000, 2, 48000 * 120));
        short[] b = new short[B_STEPS * 24000 * 2];
        for (int k = 0; k < B_STEPS; k++) {
            System.arraycopy(Pcm.tone(stepHz(k), 0.3, 48000, 2, 24000).samples(), 0, b, k * 48000, 48000);
        }
        Wav.write(dir.resolve("b.wav"), new Pcm(48000, 2, b));
        int vmPort = Peers.freePort();
        int port = Peers.freePort();
        try (Proc vm = Spice.startServer(dir, Map.of("SPICE_DEPLOY_DIR", deploy.toString()), "--listen",
                "127.0.0.1:" + vmPort);
                Proc gateway = Spice.command(List.of(Peers.binary("timeout"), "-k", "5", "240"),
                        Stream.concat(Stream.of("gateway", "--target", "spice://127.0.0.1:" + vmPort, "--listen",
                                "127.0.0.1:" + port), rule.equals("controller") ? Stream.of()
                                        : Stream.of("--record-floor", rule)).toArray(String[]::new))
                        .start(dir, "gateway")) {
            gateway.awaitStdout("^SPICE server listening on spice://127.0.0.1:" + port + "$", Duration.ofSeconds(60));
            gateway.awaitStderr("gateway: the VM hears the viewer with the record floor \\(the gateway's record"
                    + " floor \\(rule " + rule + "\\)\\)", Duration.ofSeconds(20));
            try (Proc a = listen(dir, "a", 150, port).start(dir, "listen-a")) {
                Matcher holderA = gateway.awaitStderr("^(.{12}) .*gateway: viewer 0x(\\p{XDigit}+) has the record"
                        + " floor \\(rule " + rule + "\\)", Duration.ofSeconds(90));
                String viewerA = holderA.group(2);
                CompletableFuture<Proc.Result> listenB = CompletableFuture.supplyAsync(() -> listen(dir, "b", 40, port)
                        .run(dir, "listen-b", Duration.ofSeconds(120)));
                // (A may also be logged recording without the floor, for a while after its process stalled.)
                Matcher without = gateway.awaitStderr("^(.{12}) .*gateway: viewer 0x(?!" + viewerA + " )"
                        + "(\\p{XDigit}+) records without the floor \\(rule " + rule + "(: viewer 0x(\\p{XDigit}+) has"
                        + " it)?\\); its audio is not sent to the VM", Duration.ofSeconds(90));
                String viewerB = without.group(2);
                assertNotEquals(viewerA, viewerB);
                // B records without the floor for 6 s at least: on a loaded machine a fresh viewer's process may send
                // little in its first seconds (seen: only 0.7 s of B's sound handled by the gateway in 5 s), and its
                // first step must be sent by the time A goes.
                Proc.sleep(6000);
                a.close();
                // A's process stops sending as it shuts down, or its channel closes first, or (controller) control
                // passes to B with A's main channel before A's record channel closes.
                gateway.awaitStderr("^(.{12}) .*gateway: viewer 0x" + viewerA + " ((left|stopped recording \\(nothing"
                        + " for 2000 ms\\)); it )?no longer has the record floor", Duration.ofSeconds(30));
                gateway.awaitStderr("^(.{12}) .*gateway: viewer 0x" + viewerB + " has the record"
                        + " floor \\(rule " + rule + "\\)", Duration.ofSeconds(10));
                Proc.Result rb = listenB.join();
                assertEquals(0, rb.exitCode(), rb::describe);
                assertTrue(rb.stdout().contains("record: mode opus, 2 channels at 48000 Hz"), rb::describe);
                assertTrue(rb.stdout().contains("(to its end)"), rb::describe);
                // The VM's record channel closes with the gateway: the VM's WAV file is then complete.
                gateway.terminate(Duration.ofSeconds(20));
                Path wav = awaitRecording(vm, heard);
                assertTrue(vm.isAlive(), vm.describe());
                judge(Wav.read(wav));
            }
        }
    }

    private static Proc.Builder listen(Path dir, String name, int seconds, int port) {
        return Spice.command(List.of(), "listen", "--timeout", "60", "--seconds", Integer.toString(seconds),
                "--audio-out", dir.resolve(name + "-heard.wav").toString(), "--mic", dir.resolve(name + ".wav")
                        .toString(), "spice://127.0.0.1:" + port);
    }

    /** B's step {@code k}'s tone: 600 Hz and up by 50 Hz, whole 10 Hz bins apart from each other and A's 440. */
    private static int stepHz(int k) {
        return 600 + 50 * k;
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
     * times any other's; silence and windows where one tone gives way to another are left out): A's first, then B's
     * steps from a step after the first on, in order, to B's last.
     */
    private static void judge(Pcm vm) {
        int window = vm.rate() / 10;
        List<Integer> tones = new ArrayList<>(); // -1: A's 440 Hz; k: B's step k
        int mixed = 0;
        for (int from = 0; from + window <= vm.frames(); from += window) {
            Pcm w = vm.slice(from, from + window);
            if (w.rms() < 0.05) {
                continue;
            }
            int best = -1;
            double bestPower = w.goertzel(0, 440);
            double second = 0;
            for (int k = 0; k < B_STEPS; k++) {
                double p = w.goertzel(0, stepHz(k));
                if (p > bestPower) {
                    second = bestPower;
                    bestPower = p;
                    best = k;
                } else {
                    second = Math.max(second, p);
                }
            }
            if (bestPower > 10 * second) {
                tones.add(best);
            } else {
                mixed++;
            }
        }
        List<Integer> runs = new ArrayList<>();
        for (int t : tones) {
            if (runs.isEmpty() || runs.get(runs.size() - 1) != t) {
                runs.add(t);
            }
        }
        long aWindows = tones.stream().filter(t -> t == -1).count();
        String report = String.format("the VM heard, in 100 ms windows, %d of A's tone, %d of B's, %d mixed; in the"
                + " order %s (-1: A, k: B's step k; %.1f s in all)", aWindows, tones.size() - aWindows, mixed, runs,
                vm.seconds());
        assertTrue(runs.size() >= 2 && runs.get(0) == -1, report);
        assertTrue(aWindows >= 30, "A held the floor for 6 s and more\n" + report);
        List<Integer> bSteps = runs.subList(1, runs.size());
        assertTrue(bSteps.get(0) >= 1, "B's first step, sent while A held the floor, reached the VM\n" + report);
        for (int i = 1; i < bSteps.size(); i++) {
            // In order; a step may be missing where a stalled machine made the gateway drop (it logs that).
            assertTrue(bSteps.get(i) > bSteps.get(i - 1), "B's steps in order\n" + report);
        }
        assertEquals(B_STEPS - 1, bSteps.get(bSteps.size() - 1), "B's last step\n" + report);
        assertTrue(mixed <= B_STEPS + 3, "at most one window where one step gives way to the next\n" + report);
    }
}
