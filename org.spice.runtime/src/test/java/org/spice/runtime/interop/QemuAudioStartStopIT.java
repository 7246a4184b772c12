package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * QEMU's start and stop messages on the playback and record channels, as our client records them.
 *
 * <p>spice-server sends start only when a guest sound card opens its output or input, and firmware alone opens
 * neither (AudioIT shows QEMU's intel-hda then sends only the mode). So the VM boots a 512-byte guest program that
 * drives an AC97 card the simplest way a driver can: it finds the card on PCI bus 0, enables its I/O and bus
 * mastering, and then, once a second, sets and clears the run bit of PCM out and then of PCM in — which QEMU turns
 * into SPICE playback start/stop and record start/stop. Each round ends with a '.' on the debug console.
 */
class QemuAudioStartStopIT {

    /** The guest program, assembled from the source in the comments (GNU as, .code16, loaded at 0:7c00). */
    static byte[] bootSector() {
        int[] code = {
            0x31, 0xC0, //             xor ax, ax
            0x8E, 0xD8, //             mov ds, ax
            0x8E, 0xD0, //             mov ss, ax
            0xBC, 0x00, 0x7C, //       mov sp, 0x7c00
            0xFB, //                   sti                      (int 15h waits need interrupts)
            0x66, 0xB9, 0x00, 0x00, 0x00, 0x80, // mov ecx, 0x80000000   (PCI config: bus 0, device 0)
            0x66, 0x89, 0xC8, //       find: mov eax, ecx
            0xBA, 0xF8, 0x0C, //       mov dx, 0xcf8
            0x66, 0xEF, //             out dx, eax
            0xBA, 0xFC, 0x0C, //       mov dx, 0xcfc
            0x66, 0xED, //             in eax, dx
            0x66, 0x3D, 0x86, 0x80, 0x15, 0x24, // cmp eax, 0x24158086   (Intel 82801AA AC97)
            0x74, 0x13, //             je found
            0x66, 0x81, 0xC1, 0x00, 0x08, 0x00, 0x00, // add ecx, 0x800  (next device)
            0x66, 0x81, 0xF9, 0x00, 0x00, 0x01, 0x80, // cmp ecx, 0x80010000
            0x72, 0xDB, //             jb find
            0xF4, //                   halt: hlt                (no AC97: nothing on the debug console)
            0xEB, 0xFD, //             jmp halt
            0x67, 0x66, 0x8D, 0x41, 0x04, // found: lea eax, [ecx+4]  (command register)
            0xBA, 0xF8, 0x0C, //       mov dx, 0xcf8
            0x66, 0xEF, //             out dx, eax
            0xBA, 0xFC, 0x0C, //       mov dx, 0xcfc
            0xED, //                   in ax, dx
            0x83, 0xC8, 0x05, //       or ax, 5                 (I/O space + bus master)
            0xEF, //                   out dx, ax
            0x67, 0x66, 0x8D, 0x41, 0x14, // lea eax, [ecx+0x14]   (BAR1: bus master I/O base)
            0xBA, 0xF8, 0x0C, //       mov dx, 0xcf8
            0x66, 0xEF, //             out dx, eax
            0xBA, 0xFC, 0x0C, //       mov dx, 0xcfc
            0x66, 0xED, //             in eax, dx
            0x83, 0xE0, 0xFE, //       and ax, 0xfffe
            0x89, 0xC3, //             mov bx, ax
            0x8D, 0x57, 0x1B, //       again: lea dx, [bx+0x1b]  (PCM out control)
            0xB0, 0x01, //             mov al, 1                (run)
            0xEE, //                   out dx, al
            0xE8, 0x1A, 0x00, //       call pause
            0xB0, 0x00, //             mov al, 0                (halt)
            0xEE, //                   out dx, al
            0x8D, 0x57, 0x0B, //       lea dx, [bx+0x0b]        (PCM in control)
            0xB0, 0x01, //             mov al, 1
            0xEE, //                   out dx, al
            0xE8, 0x0E, 0x00, //       call pause
            0xB0, 0x00, //             mov al, 0
            0xEE, //                   out dx, al
            0xBA, 0x02, 0x04, //       mov dx, 0x402            (debug console)
            0xB0, 0x2E, //             mov al, '.'
            0xEE, //                   out dx, al
            0xE8, 0x02, 0x00, //       call pause
            0xEB, 0xDD, //             jmp again
            0x52, //                   pause: push dx
            0xB4, 0x86, //             mov ah, 0x86             (int 15h: wait CX:DX microseconds)
            0xB9, 0x0F, 0x00, //       mov cx, 0x000f
            0xBA, 0x40, 0x42, //       mov dx, 0x4240           (0xf4240 = 1 s)
            0xCD, 0x15, //             int 0x15
            0x5A, //                   pop dx
            0xC3}; //                  ret
        byte[] sector = new byte[512];
        for (int i = 0; i < code.length; i++) {
            sector[i] = (byte) code[i];
        }
        sector[510] = 0x55;
        sector[511] = (byte) 0xAA;
        return sector;
    }

    @Test
    void ourClientRecordsQemusPlaybackAndRecordStartAndStop() throws IOException {
        Path dir = Peers.workDir(getClass(), "ac97");
        Path disk = dir.resolve("ac97-toggle.img");
        Files.write(disk, bootSector());
        Path debug = dir.resolve("debugcon.log");
        int port = Peers.freePort();
        try (Proc qemu = Qemu.start(dir, "qemu", "port=" + port + ",addr=127.0.0.1,disable-ticketing=on",
                List.of("-boot", "menu=off", "-audiodev", "spice,id=a", "-device", "AC97,audiodev=a",
                        "-drive", "file=" + disk + ",format=raw,if=ide",
                        "-chardev", "file,id=dbg,path=" + debug, "-device", "isa-debugcon,iobase=0x402,chardev=dbg"),
                port)) {
            awaitRounds(debug, 1, qemu);
            Proc.Result listen = Spice.command(List.of(), "listen", "--seconds", "13", "--audio-out",
                    dir.resolve("qemu.wav").toString(), "spice://127.0.0.1:" + port)
                    .run(dir, "listen", Duration.ofSeconds(60));
            assertEquals(0, listen.exitCode(), listen.describe());
            // Thirteen seconds hold two whole rounds of the guest's three-second loop also when the channels link
            // late or the guest runs slowly on a busy machine (seven seconds once gave started 2x, stopped 1x).
            assertCounts(listen.stdout(), "playback", 2);
            assertCounts(listen.stdout(), "record", 2);
            assertTrue(listen.stdout().contains("playback: mode opus, 2 channels at 48000 Hz"), listen.describe());
            assertTrue(listen.stdout().contains("record: mode opus, 2 channels at 48000 Hz"), listen.describe());
            assertTrue(qemu.isAlive(), qemu.describe());
        }
    }

    /** "…; started Nx, stopped Mx" on the channel's report line, with N and M at least {@code min}. */
    private static void assertCounts(String report, String channel, int min) {
        Matcher m = Pattern.compile("(?m)^" + channel + ": .*; started (\\d+)x, stopped (\\d+)x").matcher(report);
        assertTrue(m.find(), "no " + channel + " report:\n" + report);
        int starts = Integer.parseInt(m.group(1));
        int stops = Integer.parseInt(m.group(2));
        assertTrue(starts >= min && stops >= min, channel + " started " + starts + "x and stopped " + stops
                + "x; expected at least " + min + " of each:\n" + report);
        assertTrue(starts - stops <= 1 && stops - starts <= 1, "starts and stops do not alternate:\n" + report);
    }

    /** Waits until the guest has finished {@code rounds} rounds (its dots on the debug console). */
    private static void awaitRounds(Path debug, int rounds, Proc qemu) {
        long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            String text = read(debug);
            int boot = text.lastIndexOf("Booting from 0000:7c00");
            if (boot >= 0 && text.substring(boot).chars().filter(c -> c == '.').count() >= rounds) {
                return;
            }
            assertTrue(qemu.isAlive(), "QEMU ended: " + qemu.describe());
            assertTrue(System.nanoTime() < end, "the guest program did not run (debug console):\n" + text);
            Proc.sleep(200);
        }
    }

    private static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
