package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Our client receives QEMU's cursor, shape and position. QEMU sends a SPICE client the cursor of a display device
 * with a hardware cursor; SeaBIOS has none, so the VM boots a floppy made here from svga-cursor.S (as, ld,
 * objcopy): it programs the VMware SVGA II device (-vga vmware) to define a 32x32 cursor with hot spot 3,5 and show
 * it at 100,80. QEMU's spice display sends the definition, then positions as the pointer plus the hot spot.
 */
class QemuCursorIT {

    /** The cursor svga-cursor.S defines: R = 8x, G = 8y, B = 0x40 where x < 16 and y < 24, transparent elsewhere. */
    static int[] expected() {
        int[] px = new int[32 * 32];
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                px[y * 32 + x] = x < 16 && y < 24 ? 0xff000000 | (8 * x) << 16 | (8 * y) << 8 | 0x40 : 0;
            }
        }
        return px;
    }

    /** Assembles the boot sector and writes it to a 1.44 MB floppy image. */
    static Path floppy(Path dir) {
        Path src = Peers.root().resolve("org.spice.runtime/src/test/resources/interop/svga-cursor.S");
        Peers.runOk(dir, "as", "as", "--32", "-o", "boot.o", src.toString());
        Peers.runOk(dir, "ld", "ld", "-m", "elf_i386", "-Ttext", "0x7c00", "-o", "boot.elf", "boot.o");
        Peers.runOk(dir, "objcopy", "objcopy", "-O", "binary", "-j", ".text", "boot.elf", "boot.bin");
        Path img = dir.resolve("floppy.img");
        try {
            byte[] boot = Files.readAllBytes(dir.resolve("boot.bin"));
            assertEquals(512, boot.length, "the boot sector must be 512 bytes");
            assertEquals(0x55, boot[510] & 0xff);
            try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
                f.setLength(1474560);
                f.write(boot);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return img;
    }

    @Test
    void ourClientReceivesQemusCursorShapeAndPosition() {
        Path dir = Peers.workDir(getClass(), "vmware");
        Path img = floppy(dir);
        int port = Peers.freePort();
        try (Proc qemu = Qemu.start(dir, "qemu", "vmware", "port=" + port + ",addr=127.0.0.1,disable-ticketing=on",
                List.of("-drive", "if=floppy,format=raw,file=" + img, "-boot", "order=a,menu=off,splash-time=0"), port)) {
            Path cursor = dir.resolve("cursor.png");
            Proc.Result r = Spice.command(List.of(), "screenshot", "--cursor", cursor.toString(),
                    "spice://127.0.0.1:" + port, dir.resolve("screen.png").toString())
                    .run(dir, "ours", Duration.ofSeconds(90));
            assertEquals(0, r.exitCode(), r::describe);
            assertTrue(r.stdout().contains("cursor: 103,85 hot 3,5 32x32 visible"),
                    () -> "not the position 100,80 plus the hot spot 3,5 of QEMU's cursor\n" + r.describe());
            assertArrayEquals(expected(), RemoteViewerCursorIT.argb(cursor),
                    "the cursor shape our client received is not the one the guest defined (see " + cursor + ")");
            assertTrue(qemu.isAlive(), qemu::describe);
        }
    }
}
