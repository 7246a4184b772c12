package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Linux test guest (scripts/guest/build.sh: Debian's kernel and an initramfs of Debian's user space) booted in
 * QEMU with {@code -kernel/-initrd} under TCG. The guest runs the scenario named by {@code spice.test=NAME} and
 * reports facts on its first serial port as lines {@code SPICE-GUEST ...}, which go to a file; the test sends
 * command words to its second serial port (a unix socket).
 *
 * <p>The guest is built once per JVM; a failed build fails the test (the script caches its output, so only the
 * first build on a machine takes long).
 */
final class Guest implements AutoCloseable {
    static final String MARK = "SPICE-GUEST ";
    /** How long the guest may take to reach its /init under TCG on a loaded machine (about 4 s when idle). */
    static final Duration BOOT_LIMIT = Duration.ofSeconds(120);

    /** The built guest: kernel, initramfs, and what the guest shows and plays (frame.raw, tone.wav ...). */
    record Image(Path kernel, Path initrd, Path share) {
    }

    private static Image image;

    final Proc qemu;
    final int spicePort;
    final Path serial;
    private final Path control;
    private final Path socketDir;
    private SocketChannel controlChannel;

    private Guest(Proc qemu, int spicePort, Path serial, Path control, Path socketDir) {
        this.qemu = qemu;
        this.spicePort = spicePort;
        this.serial = serial;
        this.control = control;
        this.socketDir = socketDir;
    }

    /** Builds the guest with the project's script (once per JVM); fails the test when the build fails. */
    static synchronized Image image() {
        if (image == null) {
            Path out = Peers.interopDir().resolve("guest");
            Path log = Peers.interopDir().resolve("guest-build");
            long t0 = System.nanoTime();
            Proc.Result r = Proc.of(Peers.binary("bash"), Peers.root().resolve("scripts/guest/build.sh").toString(),
                    out.toString()).dir(Peers.root()).run(log, "build", Duration.ofMinutes(10));
            if (r.exitCode() != 0) {
                fail("the test guest did not build\n" + r.describe());
            }
            System.out.print(r.stdout());
            System.out.println("interop: guest image ready in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            image = new Image(out.resolve("vmlinux"), out.resolve("initrd.img"), out.resolve("share"));
        }
        return image;
    }

    /** Options for one boot; {@link #boot} starts it. */
    static final class Boot {
        private final String test;
        private String vga = "std";
        private String spiceOptions = "";
        private final List<String> cmdline = new ArrayList<>();
        private final List<String> devices = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();

        private Boot(String test) {
            this.test = test;
        }

        /** {@code -vga VGA} (default std). */
        Boot vga(String v) {
            vga = v;
            return this;
        }

        /** More {@code -spice} options, e.g. {@code streaming-video=all}. */
        Boot spice(String options) {
            spiceOptions = "," + options;
            return this;
        }

        /** {@code spice.KEY=VALUE} on the kernel command line, for the guest's scenario. */
        Boot param(String key, String value) {
            cmdline.add("spice." + key + "=" + value);
            return this;
        }

        /** More QEMU arguments (devices, chardevs). */
        Boot qemu(String... args) {
            devices.addAll(List.of(args));
            return this;
        }

        /** An environment variable of QEMU's process, e.g. {@code SPICE_DEBUG_ALLOW_MC=1}. */
        Boot env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** Starts QEMU and waits until the guest's /init reports; prints the boot time. */
        Guest boot(Path dir) {
            Image img = image();
            int port = Peers.freePort();
            Path serial = dir.resolve("serial.log");
            Path socketDir;
            try {
                Files.deleteIfExists(serial);
                // A unix socket path must be short (108 bytes): its own directory under /tmp.
                socketDir = Files.createTempDirectory("spice-guest");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path control = socketDir.resolve("ctl");
            // 512 MiB: the plain initramfs (70 MB) and the files it unpacks to are both in memory while it unpacks
            List<String> args = new ArrayList<>(List.of("-machine", "pc,accel=tcg", "-m", "512", "-vga", vga,
                    "-display", "none", "-nodefaults", "-no-user-config",
                    "-kernel", img.kernel().toString(), "-initrd", img.initrd().toString(),
                    "-append", "console=ttyS0 quiet video=1024x768 spice.test=" + test + " "
                            + String.join(" ", cmdline),
                    "-serial", "file:" + serial,
                    "-chardev", "socket,id=ctl,path=" + control + ",server=on,wait=off", "-serial", "chardev:ctl"));
            args.addAll(devices);
            args.addAll(List.of("-spice", "port=" + port + ",addr=127.0.0.1,disable-ticketing=on" + spiceOptions));
            long t0 = System.nanoTime();
            Proc qemu = Proc.of(Peers.bounded("qemu-system-x86_64", args.toArray(String[]::new))).dir(dir).env(env)
                    .start(dir, "qemu");
            Guest g = new Guest(qemu, port, serial, control, socketDir);
            Peers.awaitListening(port, qemu, Duration.ofSeconds(30));
            Matcher m = g.await("init test=" + Pattern.quote(test) + " uptime=([\\d.]+)", BOOT_LIMIT);
            System.out.printf("interop: guest %s booted to /init in %.1f s (kernel uptime %s s)%n", test,
                    (System.nanoTime() - t0) / 1e9, m.group(1));
            return g;
        }
    }

    /** A boot running scenario {@code test} of the guest's /init. */
    static Boot test(String test) {
        return new Boot(test);
    }

    /** The SPICE URI of this QEMU. */
    String uri() {
        return "spice://127.0.0.1:" + spicePort;
    }

    /** The serial log as written so far. */
    String log() {
        try {
            return Files.exists(serial) ? new String(Files.readAllBytes(serial), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits for a line {@code SPICE-GUEST <regex>} (or one that goes on after a space) on the serial port; fails on
     * a {@code SPICE-GUEST FAIL} line, when QEMU ends first, or after {@code timeout}.
     */
    Matcher await(String regex, Duration timeout) {
        return awaitAfter(0, regex, timeout);
    }

    /** Sends {@code word} and waits for the first line {@code SPICE-GUEST <regex>} the guest reports after it. */
    Matcher ask(String word, String regex, Duration timeout) {
        int mark = log().length();
        send(word);
        return awaitAfter(mark, regex, timeout);
    }

    /** As {@link #await}, for lines from character {@code from} of the serial log on. */
    Matcher awaitAfter(int from, String regex, Duration timeout) {
        // a whole line only: the serial log may end in the middle of one (a sha256 was once read cut short)
        Pattern p = Pattern.compile("^" + MARK + regex + "(?: .*)?\\r?(?=\\n)", Pattern.MULTILINE);
        Pattern failed = Pattern.compile("^" + MARK + "FAIL (.*)$", Pattern.MULTILINE);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean ended = !qemu.isAlive();
            String log = log();
            Matcher m = p.matcher(log);
            if (m.find(Math.min(from, log.length()))) {
                return m;
            }
            Matcher f = failed.matcher(log);
            if (f.find()) {
                fail("the guest failed: " + f.group(1) + "\n" + describe());
            }
            if (ended) {
                fail("QEMU ended before the guest reported /" + regex + "/\n" + describe());
            }
            if (System.nanoTime() > deadline) {
                fail("the guest did not report /" + regex + "/ within " + timeout.toSeconds() + " s\n" + describe());
            }
            Proc.sleep(100);
        }
    }

    /** Sends a command word to the guest's /init (its ttyS1). */
    void send(String word) {
        try {
            if (controlChannel == null) {
                controlChannel = SocketChannel.open(StandardProtocolFamily.UNIX);
                controlChannel.connect(UnixDomainSocketAddress.of(control));
            }
            ByteBuffer b = ByteBuffer.wrap((word + "\n").getBytes(StandardCharsets.US_ASCII));
            while (b.hasRemaining()) {
                controlChannel.write(b);
            }
        } catch (IOException e) {
            fail("cannot send '" + word + "' to the guest: " + e + "\n" + describe());
        }
    }

    /** The serial log and QEMU's output, for assertion messages. */
    String describe() {
        return "--- guest serial " + serial + "\n" + log() + "\n" + qemu.describe();
    }

    @Override
    public void close() {
        try {
            if (controlChannel != null) {
                controlChannel.close();
            }
        } catch (IOException e) {
            // QEMU is going away anyway
        }
        qemu.close();
        try {
            Files.deleteIfExists(control);
            Files.deleteIfExists(socketDir);
        } catch (IOException e) {
            // a leftover empty directory in /tmp
        }
    }
}
