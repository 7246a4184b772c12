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
     * A QEMU shared by the tests of one class. {@link #assertSurvived()} (call it after each test) fails the test
     * during which QEMU died, with how it ended; {@link #ensureRunning()} (call it before each test) then starts
     * it again, so that one test's crash fails that test and not the tests after it.
     */
    static final class Vm implements AutoCloseable {
        private final Path dir;
        private final String name;
        private final String spiceOptions;
        private final List<String> extra;
        private final int[] ports;
        private final Map<String, String> env;
        private int restarts;
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

        /** Starts QEMU again when it died during an earlier test (which {@link #assertSurvived()} failed). */
        void ensureRunning() {
            if (proc.isAlive()) {
                return;
            }
            System.out.println("interop: restarting QEMU; " + proc.name + " had ended: " + proc.describe());
            proc.close();
            restarts++;
            proc = start(dir, name + "-" + (restarts + 1), "qxl", spiceOptions, extra, env, ports);
        }

        /** Fails the test that just ran when this QEMU died during it, with its exit status and last output. */
        void assertSurvived() {
            if (!proc.isAlive()) {
                throw new AssertionError(proc.name + " died during this test: " + proc.describe());
            }
        }

        @Override
        public void close() {
            proc.close();
        }
    }
}
