package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code spice usb-share} against QEMU's usb-redir device (on qemu-xhci, through a spicevmc chardev): our client
 * shares an emulated USB device holding a boot sector built here that prints a message through int 10h and to port
 * 0x402: a CD-ROM with an El Torito ISO (xorriso) whose no-emulation boot image is that sector, and a disk whose
 * MBR is that sector. For each, QEMU's monitor lists the redirected device; after a system_reset SeaBIOS enumerates
 * it, its boot menu (ESC) lists it ("DVD/CD [USB MSC Drive SPICEJVM USB CD-ROM 1.0]", "USB MSC Drive SPICEJVM USB
 * DISK 1.0"), and choosing it boots the sector. SeaBIOS's own output and the boot sector's go to an isa-debugcon
 * log, which the checks read; the screenshots are kept next to it. QEMU runs with SPICE_DEBUG_ALLOW_MC=1 so that
 * send-keys and screenshot connect beside the sharing client instead of replacing it. A missing QEMU or xorriso
 * fails the test.
 */
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class QemuUsbRedirIT {
    static final String CD_MESSAGE = "SPICE-JVM-CD-BOOT";
    static final String DISK_MESSAGE = "SPICE-JVM-DISK-BOOT";

    /**
     * A 512-byte boot sector (0x55 0xAA at 510): prints {@code message} with int 10h teletype output and writes each
     * character to port 0x402 too, then halts. Position-independent (call/pop), so either 0:7c00 or 7c0:0 works: the
     * BIOS loads an MBR to 0:7c00, an El Torito no-emulation image where its catalog says.
     */
    static byte[] bootSector(String message) {
        int[] code = {
            0xE8, 0x00, 0x00, // call next
            0x5E, // next: pop si
            0x83, 0xC6, 0x1D, // add si, msg - next
            0x0E, 0x1F, // push cs; pop ds
            0xFC, // cld
            0xBA, 0x02, 0x04, // mov dx, 0x402
            0xAC, // loop: lodsb
            0x08, 0xC0, // or al, al
            0x74, 0x0A, // jz done
            0xB4, 0x0E, // mov ah, 0x0e
            0xEE, // out dx, al
            0xBB, 0x07, 0x00, // mov bx, 7
            0xCD, 0x10, // int 0x10
            0xEB, 0xF1, // jmp loop
            0xFA, // done: cli
            0xF4, // hlt
            0xEB, 0xFD}; // jmp hlt
        byte[] sector = new byte[512];
        for (int i = 0; i < code.length; i++) {
            sector[i] = (byte) code[i];
        }
        byte[] msg = (message + "\r\n\0").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(msg, 0, sector, code.length, msg.length); // msg: right after the code
        sector[510] = 0x55;
        sector[511] = (byte) 0xAA;
        return sector;
    }

    @Test
    void qemuBootsFromTheCdRomOurClientShares() throws Exception {
        Path dir = Peers.workDir(QemuUsbRedirIT.class, "cdrom");
        Path content = Files.createDirectories(dir.resolve("iso"));
        Files.write(content.resolve("boot.img"), Arrays.copyOf(bootSector(CD_MESSAGE), 2048));
        Files.writeString(content.resolve("README.TXT"), "spice-jvm usbredir test\n");
        Path iso = dir.resolve("test.iso");
        Peers.runOk(dir, "xorriso", "xorriso", "-as", "mkisofs", "-quiet", "-o", iso.toString(), "-b", "boot.img",
                "-no-emul-boot", "-boot-load-size", "4", content.toString());
        assertTrue(Files.size(iso) > 2048 * 16, "no ISO written");
        bootFromSharedDevice(dir, new SharedBoot("--usb-cdrom", iso, "USB CD-ROM",
                "DVD/CD \\[USB MSC Drive SPICEJVM USB CD-ROM 1.0\\]", "Booting from DVD/CD", CD_MESSAGE));
    }

    @Test
    void qemuBootsFromTheDiskOurClientShares() throws Exception {
        Path dir = Peers.workDir(QemuUsbRedirIT.class, "disk");
        byte[] disk = new byte[1 << 20]; // 2048 sectors, an MBR without partitions
        System.arraycopy(bootSector(DISK_MESSAGE), 0, disk, 0, 512);
        Path img = Files.write(dir.resolve("test.img"), disk);
        bootFromSharedDevice(dir, new SharedBoot("--usb-disk", img, "USB disk",
                "\\d+\\. USB MSC Drive SPICEJVM USB DISK 1.0", "Booting from Hard Disk", DISK_MESSAGE));
        assertArrayEquals(disk, Files.readAllBytes(img), "booting wrote to the disk image");
    }

    /**
     * One device to boot from: the usb-share option and file, how usb-share describes it, the boot menu line, what
     * SeaBIOS says when it boots it, and the boot sector's message.
     */
    record SharedBoot(String option, Path file, String kind, String menuLine, String booting, String message) {
    }

    /**
     * QEMU with usb-redir, {@code usb-share} sharing the device, then: {@code info usb} lists it, a reset makes
     * SeaBIOS's boot menu list it, and choosing it prints its message.
     */
    private static void bootFromSharedDevice(Path dir, SharedBoot boot) throws Exception {
        int port = Peers.freePort();
        String uri = "spice://127.0.0.1:" + port;
        Path mon = dir.resolve("mon.sock");
        Path debug = dir.resolve("debugcon.log");
        try (Proc qemu = startQemu(dir, port, "")) {
            List<String> prefix = List.of(Peers.binary("timeout"), "-k", "5",
                    Long.toString(Peers.MAX_PEER_LIFETIME.toSeconds()));
            try (Proc share = Spice.command(prefix, "usb-share", "--timeout", "60", boot.option(),
                    boot.file().toString(), uri).start(dir, "usb-share")) {
                share.awaitStdout("^sharing " + boot.kind() + " .* on usbredir:0$", Duration.ofSeconds(90));

                String usb = "";
                for (int i = 0; i < 60 && !usb.contains("Speed 480 Mb/s"); i++) {
                    Proc.sleep(500);
                    usb = Hmp.run(mon, "info usb");
                }
                Files.writeString(dir.resolve("info-usb.txt"), usb);
                assertTrue(usb.contains("Speed 480 Mb/s") && usb.contains("ID: r1"),
                        "info usb does not list the redirected high-speed device: " + usb);

                // SeaBIOS enumerated USB before the device came; a reset makes it find the device
                long mark = Files.size(debug);
                Hmp.run(mon, "system_reset");
                awaitDebug(debug, mark, "Press ESC for boot menu", qemu, 120);
                share.awaitStdout("^the guest configured " + boot.kind(), Duration.ofSeconds(120));
                assertEquals(0, spice(dir, "send-keys-esc", "send-keys", uri, "ESC"), "send-keys ESC failed");
                String menu = awaitDebug(debug, mark, boot.menuLine(), qemu, 60);
                assertTrue(menu.contains("Select boot device:"), menu);
                Proc.sleep(1000);
                screenshot(dir, uri, "boot-menu");

                int entry = menuEntry(menu.substring(menu.lastIndexOf("Select boot device:")));
                assertEquals(0, spice(dir, "send-keys-entry", "send-keys", uri, Integer.toString(entry)),
                        "send-keys " + entry + " failed");
                String booted = awaitDebug(debug, mark, boot.message(), qemu, 60);
                assertTrue(booted.contains(boot.booting()), booted);
                Proc.sleep(1000);
                screenshot(dir, uri, "booted");
                assertTrue(share.isAlive(), "usb-share ended: " + share.describe());
            }
        }
    }

    /**
     * QEMU's usb-redir filter (its rules written with ':' between fields) refuses our device: QEMU sends the filter
     * and a filter_reject, and usb-share says so and fails.
     */
    @Test
    void qemusUsbRedirFilterRefusesOurDisk() throws Exception {
        Path dir = Peers.workDir(QemuUsbRedirIT.class, "filter");
        Path img = Files.write(dir.resolve("test.img"), new byte[1 << 16]);
        int port = Peers.freePort();
        try (Proc qemu = startQemu(dir, port, ",filter=0x08:-1:-1:-1:0|-1:-1:-1:-1:1")) {
            Proc.Result r = Spice.command(List.of(), "usb-share", "--timeout", "60", "--seconds", "60",
                    "--usb-disk", img.toString(), "spice://127.0.0.1:" + port).run(dir, "usb-share",
                            Duration.ofSeconds(120));
            assertEquals(1, r.exitCode(), r.describe());
            assertTrue(r.stderr().contains("was refused by the server's USB filter"), r.describe());
            assertTrue(qemu.isAlive(), "QEMU ended: " + qemu.describe());
            String usb = Hmp.run(dir.resolve("mon.sock"), "info usb");
            assertFalse(usb.contains("Speed 480 Mb/s"), "QEMU attached the refused device: " + usb);
            String said = Files.readString(dir.resolve("qemu.err"));
            assertTrue(said.contains("Device 1209:0001 rejected by device filter"), said);
        }
    }

    /**
     * QEMU (TCG, SeaBIOS boot menu) with qemu-xhci and a usb-redir device {@code r1} on a spicevmc chardev
     * ({@code usbRedirOptions} appended to it), an isa-debugcon log at DIR/debugcon.log and an HMP monitor at
     * DIR/mon.sock; SPICE_DEBUG_ALLOW_MC=1 lets screenshot and send-keys connect beside the sharing client.
     */
    private static Proc startQemu(Path dir, int port, String usbRedirOptions) {
        List<String> args = List.of("-machine", "accel=tcg", "-m", "128", "-vga", "qxl", "-display", "none",
                "-nodefaults", "-no-user-config", "-boot", "menu=on,splash-time=60000",
                "-spice", "port=" + port + ",addr=127.0.0.1,disable-ticketing=on",
                "-device", "qemu-xhci", "-chardev", "spicevmc,name=usbredir,id=ur",
                "-device", "usb-redir,chardev=ur,id=r1" + usbRedirOptions,
                "-chardev", "file,id=dbg,path=" + dir.resolve("debugcon.log"),
                "-device", "isa-debugcon,iobase=0x402,chardev=dbg",
                "-monitor", "unix:" + dir.resolve("mon.sock") + ",server,nowait");
        Proc qemu = Proc.of(Peers.bounded("qemu-system-x86_64", args.toArray(String[]::new)))
                .env("SPICE_DEBUG_ALLOW_MC", "1").dir(dir).start(dir, "qemu");
        Peers.awaitListening(port, qemu, Duration.ofSeconds(60));
        return qemu;
    }

    /** The number SeaBIOS's menu gives the shared device, from lines such as "2. DVD/CD [USB MSC Drive ...]". */
    static int menuEntry(String menu) {
        for (String line : menu.split("\r?\n")) {
            if (line.contains("USB MSC Drive SPICEJVM")) {
                return Integer.parseInt(line.trim().substring(0, line.trim().indexOf('.')));
            }
        }
        return fail("no shared USB device in the boot menu: " + menu);
    }

    /** Runs {@code ./spice ARGS} to its end; returns its exit code (its output is in DIR/NAME.*). */
    private static int spice(Path dir, String name, String... args) {
        Proc.Result r = Spice.command(List.of(), args).run(dir, name, Duration.ofSeconds(90));
        if (r.exitCode() != 0) {
            System.out.println(r.describe());
        }
        return r.exitCode();
    }

    private static void screenshot(Path dir, String uri, String name) throws IOException {
        Path png = dir.resolve(name + ".png");
        assertEquals(0, spice(dir, "screenshot-" + name, "screenshot", uri, png.toString()), "screenshot failed");
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(720, img.getWidth(), "not VGA text mode");
        assertEquals(400, img.getHeight(), "not VGA text mode");
    }

    /** Waits until the debugcon log, from byte {@code from} on, matches {@code regex}; returns that text. */
    static String awaitDebug(Path log, long from, String regex, Proc qemu, int seconds) throws IOException {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String text = "";
        while (System.nanoTime() < deadline) {
            byte[] all = Files.readAllBytes(log);
            text = new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                    StandardCharsets.ISO_8859_1);
            if (p.matcher(text).find()) {
                return text;
            }
            if (!qemu.isAlive()) {
                fail("QEMU ended: " + qemu.describe());
            }
            Proc.sleep(250);
        }
        return fail("the SeaBIOS debug log shows no /" + regex + "/ within " + seconds + " s:\n" + text);
    }
}
