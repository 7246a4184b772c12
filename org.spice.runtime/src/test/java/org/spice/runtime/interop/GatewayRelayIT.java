package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The channels {@code ./spice gateway} relays from the controlling viewer only, against a firmware-only QEMU 7.2 (no
 * guest boot). Port: the VM's HMP monitor on a spiceport chardev is offered to viewers under its name; the viewer
 * connected first ({@code --control first}) sends {@code info version} through the gateway and gets QEMU's answer,
 * a watcher's port channel is closed by the gateway with the reason logged and gets no answer. Smartcard: the
 * controller's emulated PIV card ({@code spice smartcard-share} to the gateway) reaches QEMU's usb-ccid passthru
 * card, which reports its ATR, and a watcher's card does not; with our own server in the VM's place, APDUs sent there
 * ({@code spice:apdu} in its shell) are answered by the viewer's card through the gateway. USB: the controller's
 * emulated disk ({@code spice usb-share} to the gateway) is listed by QEMU's {@code info usb}, and after a reset
 * SeaBIOS boots the sector it reads from it through the gateway; a watcher's disk is refused (usb-share says the
 * server's filter refused it). A missing QEMU fails.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GatewayRelayIT {

    @Test
    void theControllerUsesTheVmsMonitorPortAndAWatcherIsRefused() {
        Path dir = Peers.workDir(getClass(), "port");
        int vmPort = Peers.freePort();
        int port = Peers.freePort();
        try (Proc qemu = Qemu.start(dir, "qemu", "port=" + vmPort + ",addr=127.0.0.1,disable-ticketing=on",
                List.of("-chardev", "spiceport,id=mon,name=" + QemuPortIT.MONITOR, "-mon", "chardev=mon"), vmPort);
                Proc gateway = Spice.command(List.of(Peers.binary("timeout"), "-k", "5", "150"), "gateway",
                        "--target", "spice://127.0.0.1:" + vmPort, "--listen", "127.0.0.1:" + port,
                        "--control", "first").start(dir, "gateway")) {
            gateway.awaitStdout("^SPICE server listening on spice://127.0.0.1:" + port + "$", Duration.ofSeconds(60));
            gateway.awaitStderr("gateway: the VM's port " + QemuPortIT.MONITOR.replace(".", "\\.")
                    + " is offered to viewers", Duration.ofSeconds(30));
            String uri = "spice://127.0.0.1:" + port;
            Path in = Peers.write(dir.resolve("hmp-in.txt"), "info version\n");
            // The controller stays (stdin open) until the watcher is done: were it gone, the watcher would control.
            try (Proc controller = Spice.command(List.of(), "port", "--wait", "3", uri, QemuPortIT.MONITOR)
                    .pipedInput().start(dir, "controller")) {
                gateway.awaitStderr("gateway: viewer 0x\\p{XDigit}+ uses the VM's port " + QemuPortIT.MONITOR
                        .replace(".", "\\."), Duration.ofSeconds(40));
                controller.send("info version");
                Proc.Result watcher = Spice.command(List.of(), "port", "--timeout", "3", "--wait", "1", uri,
                        QemuPortIT.MONITOR).input(in).run(dir, "watcher", Duration.ofSeconds(60));
                gateway.awaitStderr("gateway: refusing viewer 0x\\p{XDigit}+ the port " + QemuPortIT.MONITOR
                        .replace(".", "\\.") + ": viewer 0x\\p{XDigit}+ watches \\(control first: viewer"
                        + " 0x\\p{XDigit}+ controls\\)", Duration.ofSeconds(10));
                assertFalse(watcher.stdout().lines().anyMatch(l -> l.matches("\\d+\\.\\d+\\.\\d+.*")),
                        () -> "the watcher got an answer from the VM's monitor\n" + watcher.describe());
                // Told once: the port closed where the session stayed, so it is not opened again and again.
                assertEquals(1, watcher.exitCode(), watcher::describe);
                assertTrue(watcher.stderr().contains("error: the server closed port " + QemuPortIT.MONITOR),
                        watcher::describe);
                assertFalse(watcher.stderr().contains(" open again on "), watcher::describe);
                assertTrue(controller.isAlive(), controller::describe);

                controller.closeStdin();
                assertEquals(0, controller.awaitExit(Duration.ofSeconds(60)), controller::describe);
                // The answer to info version is QEMU's version: only the VM's monitor writes it.
                String version = QemuPortIT.qemuVersion(dir);
                assertTrue(controller.stdout().lines().anyMatch(l -> l.equals(version)
                        || l.startsWith(version + " ")
                        || l.matches(java.util.regex.Pattern.quote(version) + "[^0-9.].*")),
                        () -> "no version line of QEMU " + version + " through the gateway\n"
                                + controller.describe());
            }
            assertTrue(qemu.isAlive(), qemu::describe);
            assertTrue(gateway.isAlive(), gateway::describe);
            // The gateway runtime's own echo port is not offered as if it were the VM's.
            assertFalse(gateway.stderr().contains("port org.spice.echo offered"), gateway::describe);
        }
    }

    @Test
    void theControllersCardReachesQemuAndAWatchersDoesNot() throws Exception {
        Path dir = Peers.workDir(getClass(), "ccid");
        OurServerSmartcardIT.pkcs12(dir);
        int vmPort = Peers.freePort();
        int port = Peers.freePort();
        String uri = "spice://127.0.0.1:" + port;
        try (Proc qemu = Qemu.start(dir, "qemu", "port=" + vmPort + ",addr=127.0.0.1,disable-ticketing=on",
                List.of("-device", "qemu-xhci", "-device", "usb-ccid", "-chardev",
                        "spicevmc,id=ccid,name=smartcard", "-device", "ccid-card-passthru,chardev=ccid,debug=4"),
                vmPort);
                Proc gateway = startGateway(dir, vmPort, port)) {
            gateway.awaitStderr("gateway: the controlling viewer's smart cards are presented to the VM",
                    Duration.ofSeconds(30));
            try (Proc controller = share(dir, uri, "controller", 90)) {
                controller.awaitStdout("^sharing emulated PIV card .* \\(reader id 0\\)$", Duration.ofSeconds(60));
                gateway.awaitStderr("gateway: viewer 0x\\p{XDigit}+'s card in reader 'SPICE JVM virtual PIV reader'"
                        + " is presented to the VM \\(reader id 0, ATR \\p{XDigit}+\\)", Duration.ofSeconds(20));
                // QEMU's own account: the card's ATR arrived whole and passed its check.
                qemu.awaitStdout("ccid-card-passthru: VSC_ATR 17$", Duration.ofSeconds(10));
                qemu.awaitStdout("atr passes check: 17 total length, 12 historical", Duration.ofSeconds(10));

                Proc.Result watcher = Spice.command(List.of(), share(dir, uri).toArray(String[]::new))
                        .run(dir, "watcher", Duration.ofSeconds(90));
                assertEquals(0, watcher.exitCode(), watcher::describe); // the gateway's server took its reader
                gateway.awaitStderr("gateway: viewer 0x\\p{XDigit}+'s card in reader 'SPICE JVM virtual PIV reader'"
                        + " is not presented to the VM: viewer 0x\\p{XDigit}+ watches \\(control first: viewer"
                        + " 0x\\p{XDigit}+ controls\\)", Duration.ofSeconds(10));
                assertEquals(1, qemu.stdout().lines().filter(l -> l.endsWith("VSC_ATR 17")).count(),
                        () -> "QEMU got another card than the controller's\n" + qemu.describe());
                assertTrue(controller.isAlive(), controller::describe);
            }
            assertTrue(qemu.isAlive(), qemu::describe);
            assertTrue(gateway.isAlive(), gateway::describe);
        }
    }

    @Test
    void apdusFromTheVmAreAnsweredByTheControllersCard() throws Exception {
        Path dir = Peers.workDir(getClass(), "apdu");
        OurServerSmartcardIT.pkcs12(dir);
        int vmPort = Peers.freePort();
        int port = Peers.freePort();
        List<String> prefix = List.of(Peers.binary("timeout"), "-k", "5", "150");
        try (Proc vm = Spice.command(prefix, "shell", "--listen", "127.0.0.1:" + vmPort).pipedInput()
                .start(dir, "vm-shell")) {
            vm.awaitStdout("channels: .* smartcard:0( |$)", Duration.ofSeconds(40));
            try (Proc gateway = startGateway(dir, vmPort, port);
                    Proc controller = awaitPresented(gateway, share(dir, "spice://127.0.0.1:" + port, "controller",
                            60))) {
                vm.awaitStderr("smartcard reader 'SPICE JVM virtual PIV reader' added as 0", Duration.ofSeconds(10));
                // SELECT PIV, sent by the "VM" (our server) and answered by the viewer's card behind the gateway.
                byte[] select = OurServerSmartcardIT.apdu(vm, "00A4040005A000000308", "61[0-9A-F]*9000");
                assertEquals("61114f0600001000010079074f05a0000003089000", java.util.HexFormat.of().formatHex(select));
                assertTrue(controller.isAlive(), controller::describe);
            }
        }
    }

    @Test
    void theControllersUsbDiskReachesQemuAndAWatchersIsRefused() throws Exception {
        Path dir = Peers.workDir(getClass(), "usb");
        byte[] disk = new byte[1 << 20]; // an MBR whose code prints DISK_MESSAGE, no partitions
        System.arraycopy(QemuUsbRedirIT.bootSector(QemuUsbRedirIT.DISK_MESSAGE), 0, disk, 0, 512);
        Path img = java.nio.file.Files.write(dir.resolve("boot.img"), disk);
        Path other = java.nio.file.Files.write(dir.resolve("other.img"), new byte[1 << 16]);
        Path mon = dir.resolve("mon.sock");
        Path debug = dir.resolve("debugcon.log");
        int vmPort = Peers.freePort();
        int port = Peers.freePort();
        String uri = "spice://127.0.0.1:" + port;
        // No boot menu: after a reset SeaBIOS boots the first disk it finds, the shared one.
        List<String> args = List.of("-machine", "accel=tcg", "-m", "128", "-vga", "qxl", "-display", "none",
                "-nodefaults", "-no-user-config", "-boot", "menu=off",
                "-spice", "port=" + vmPort + ",addr=127.0.0.1,disable-ticketing=on",
                "-device", "qemu-xhci", "-chardev", "spicevmc,name=usbredir,id=ur",
                "-device", "usb-redir,chardev=ur,id=r1",
                "-chardev", "file,id=dbg,path=" + debug, "-device", "isa-debugcon,iobase=0x402,chardev=dbg",
                "-monitor", "unix:" + mon + ",server,nowait");
        try (Proc qemu = Proc.of(Peers.bounded("qemu-system-x86_64", args.toArray(String[]::new))).dir(dir)
                .start(dir, "qemu")) {
            Peers.awaitListening(vmPort, qemu, Duration.ofSeconds(60));
            try (Proc gateway = startGateway(dir, vmPort, port)) {
                gateway.awaitStderr("gateway: the controlling viewer's USB devices are shared with the VM",
                        Duration.ofSeconds(30));
                try (Proc controller = Spice.command(List.of(Peers.binary("timeout"), "-k", "5", "150"), "usb-share",
                        "--timeout", "60", "--usb-disk", img.toString(), uri).start(dir, "controller")) {
                    controller.awaitStdout("^sharing USB disk .* on usbredir:0$", Duration.ofSeconds(90));
                    gateway.awaitStderr("gateway: viewer 0x\\p{XDigit}+'s USB 1209:0001 is shared with the VM on"
                            + " usbredir:0", Duration.ofSeconds(30));
                    String usb = "";
                    for (int i = 0; i < 60 && !usb.contains("Speed 480 Mb/s"); i++) {
                        Proc.sleep(500);
                        usb = Hmp.run(mon, "info usb");
                    }
                    assertTrue(usb.contains("Speed 480 Mb/s") && usb.contains("ID: r1"),
                            "info usb does not list the relayed high-speed device: " + usb);
                    // SeaBIOS enumerated USB before the device came; after a reset it reads the viewer's disk
                    // through the gateway and runs its boot sector.
                    long mark = java.nio.file.Files.size(debug);
                    Hmp.run(mon, "system_reset");
                    QemuUsbRedirIT.awaitDebug(debug, mark, QemuUsbRedirIT.DISK_MESSAGE, qemu, 120);
                    controller.awaitStdout("^the guest configured USB disk", Duration.ofSeconds(10));

                    Proc.Result watcher = Spice.command(List.of(), "usb-share", "--timeout", "30", "--seconds", "5",
                            "--usb-disk", other.toString(), uri).run(dir, "watcher", Duration.ofSeconds(90));
                    assertEquals(1, watcher.exitCode(), watcher::describe);
                    assertTrue(watcher.stderr().contains("was refused by the server's USB filter"),
                            watcher::describe);
                    gateway.awaitStderr("gateway: refusing viewer 0x\\p{XDigit}+'s USB 1209:0001: viewer"
                            + " 0x\\p{XDigit}+ watches \\(control first: viewer 0x\\p{XDigit}+ controls\\)",
                            Duration.ofSeconds(10));
                    assertTrue(controller.isAlive(), controller::describe);
                }
                assertTrue(gateway.isAlive(), gateway::describe);
            }
            assertTrue(qemu.isAlive(), qemu::describe);
        }
    }

    private static Proc startGateway(Path dir, int vmPort, int port) {
        Proc gateway = Spice.command(List.of(Peers.binary("timeout"), "-k", "5", "150"), "gateway",
                "--target", "spice://127.0.0.1:" + vmPort, "--listen", "127.0.0.1:" + port, "--control", "first")
                .start(dir, "gateway");
        gateway.awaitStdout("^SPICE server listening on spice://127.0.0.1:" + port + "$", Duration.ofSeconds(60));
        return gateway;
    }

    private static Proc awaitPresented(Proc gateway, Proc share) {
        share.awaitStdout("^sharing emulated PIV card .* \\(reader id 0\\)$", Duration.ofSeconds(60));
        gateway.awaitStderr("gateway: viewer 0x\\p{XDigit}+'s card in reader 'SPICE JVM virtual PIV reader' is"
                + " presented to the VM", Duration.ofSeconds(20));
        return share;
    }

    /** {@code spice smartcard-share} of the emulated PIV card to {@code uri}, kept in for {@code seconds}. */
    private static Proc share(Path dir, String uri, String name, int seconds) {
        List<String> args = new java.util.ArrayList<>(OurServerSmartcardIT.shareArgs(dir, uri));
        args.add(1, "--seconds");
        args.add(2, Integer.toString(seconds));
        return Spice.command(List.of(), args.toArray(String[]::new)).start(dir, name);
    }

    /** The arguments of {@code spice smartcard-share} keeping the card in for 2 s. */
    private static List<String> share(Path dir, String uri) {
        List<String> args = new java.util.ArrayList<>(OurServerSmartcardIT.shareArgs(dir, uri));
        args.add(1, "--seconds");
        args.add(2, "2");
        return args;
    }
}
