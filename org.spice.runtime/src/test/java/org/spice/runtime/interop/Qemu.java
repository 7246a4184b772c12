package org.spice.runtime.interop;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
        return start(dir, name, "qxl", spiceOptions, extra, ports);
    }

    /** As {@link #start(Path, String, String, List, int...)} with another display device ({@code -vga VGA}). */
    static Proc start(Path dir, String name, String vga, String spiceOptions, List<String> extra, int... ports) {
        return start(dir, name, vga, spiceOptions, extra, Map.of(), ports);
    }

    /** As {@link #start(Path, String, String, String, List, int...)} with extra environment (e.g. SASL_CONF_PATH). */
    static Proc start(Path dir, String name, String vga, String spiceOptions, List<String> extra,
            Map<String, String> env, int... ports) {
        List<String> args = new ArrayList<>(List.of(
                "-machine", "accel=tcg", "-m", "128", "-vga", vga, "-display", "none", "-nodefaults",
                "-no-user-config", "-boot", "menu=on,splash-time=60000"));
        args.addAll(extra);
        args.addAll(List.of("-spice", spiceOptions));
        Proc qemu = Proc.of(Peers.bounded("qemu-system-x86_64", args.toArray(String[]::new))).dir(dir).env(env)
                .start(dir, name);
        for (int port : ports) {
            Peers.awaitListening(port, qemu, Duration.ofSeconds(30));
        }
        return qemu;
    }

    /**
     * A QEMU shared by the tests of one class. {@link #ensureRunning()} (call it before each test) starts it again
     * when it has died, so that one test's crash does not fail the tests after it; {@link QemuProbeCrashIT} is the
     * test that judges crashes. Each restart is logged to stdout (and so to the failsafe report).
     */
    static final class Vm implements AutoCloseable {
        private final Path dir;
        private final String name;
        private final String spiceOptions;
        private final List<String> extra;
        private final int[] ports;
        private final Map<String, String> env;
        private final List<String> deaths = new ArrayList<>();
        private Proc proc;

        Vm(Path dir, String name, String spiceOptions, List<String> extra, int... ports) {
            this(dir, name, spiceOptions, extra, Map.of(), ports);
        }

        Vm(Path dir, String name, String spiceOptions, List<String> extra, Map<String, String> env, int... ports) {
            this.dir = dir;
            this.name = name;
            this.spiceOptions = spiceOptions;
            this.extra = extra;
            this.env = env;
            this.ports = ports;
            this.proc = start(dir, name, "qxl", spiceOptions, extra, env, ports);
        }

        /** The running QEMU process. */
        Proc proc() {
            return proc;
        }

        void ensureRunning() {
            if (proc.isAlive()) {
                return;
            }
            String death = proc.name + " had ended: " + proc.describe();
            deaths.add(death);
            System.out.println("interop: restarting QEMU; " + death);
            proc.close();
            proc = start(dir, name + "-" + (deaths.size() + 1), "qxl", spiceOptions, extra, env, ports);
        }

        /** Descriptions of the earlier QEMU processes of this VM that died. */
        List<String> deaths() {
            return List.copyOf(deaths);
        }

        @Override
        public void close() {
            proc.close();
        }
    }
}
