package org.spice.runtime.interop;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** QEMU as the reference SPICE server: a VM that sits in the BIOS boot menu, with a QXL display. */
final class Qemu {
    /** Sound, USB redirection, smart card and a spiceport chardev: QEMU then offers every SPICE channel type. */
    static final List<String> EXTRA_DEVICES = List.of(
            "-audiodev", "spice,id=a", "-device", "intel-hda", "-device", "hda-duplex,audiodev=a",
            "-device", "qemu-xhci", "-chardev", "spicevmc,name=usbredir,id=ur", "-device", "usb-redir,chardev=ur",
            "-device", "usb-ccid", "-chardev", "spicevmc,id=ccid,name=smartcard",
            "-device", "ccid-card-passthru,chardev=ccid",
            "-chardev", "spiceport,id=mon,name=org.qemu.monitor.hmp.0", "-mon", "chardev=mon");

    private Qemu() {
    }

    /**
     * Starts QEMU with {@code -spice SPICE_OPTIONS} plus {@code extra} arguments and waits until it listens on every
     * port in {@code ports}.
     */
    static Proc start(Path dir, String name, String spiceOptions, List<String> extra, int... ports) {
        List<String> args = new ArrayList<>(List.of(
                "-machine", "accel=tcg", "-m", "128", "-vga", "qxl", "-display", "none", "-nodefaults",
                "-no-user-config", "-boot", "menu=on,splash-time=60000"));
        args.addAll(extra);
        args.addAll(List.of("-spice", spiceOptions));
        Proc qemu = Proc.of(Peers.bounded("qemu-system-x86_64", args.toArray(String[]::new))).dir(dir)
                .start(dir, name);
        for (int port : ports) {
            Peers.awaitListening(port, qemu, Duration.ofSeconds(30));
        }
        return qemu;
    }
}
