package org.spice.runtime.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A tshark capture of one TCP port on the loopback interface, decoded afterwards with Wireshark's SPICE dissector.
 *
 * <p>tshark's "Capturing on" comes before the capture filter is in place: a client that connects right after it may
 * lose its first packets. So the capture also takes UDP datagrams to a sentinel port, with {@code -P} printing each
 * packet; {@link #start} returns once tshark has printed a sentinel datagram, and {@link #stop} sends one more and
 * waits for it, so that every packet of the exchange before it is in the file.
 */
final class Capture implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final int sentinelPort;
    private final Path file;
    private final Proc tshark;

    private Capture(Path dir, int port, int sentinelPort, Path file, Proc tshark) {
        this.dir = dir;
        this.port = port;
        this.sentinelPort = sentinelPort;
        this.file = file;
        this.tshark = tshark;
    }

    /** Starts capturing {@code tcp port PORT} on lo into DIR/NAME.pcapng; returns once packets reach the file. */
    static Capture start(Path dir, String name, int port) {
        Path file = dir.resolve(name + ".pcapng");
        int sentinelPort = Peers.freePort();
        // -B 64: a 64 MiB kernel buffer (not 2), so that a loaded machine does not drop the segments of a
        // multi-megabyte display message, which tshark then cannot reassemble.
        // -d ...,data: the sentinel's line must read "... → PORT Len=N" whatever the port; a free port that is some
        // protocol's (27910 is Quake 2's) was printed as that protocol's summary, and the wait for it failed (CI run
        // of 2026-12-07 15:41).
        Proc tshark = Proc.of(Peers.bounded("tshark", "-l", "-P", "-B", "64", "-i", "lo",
                "-f", "tcp port " + port + " or (udp and dst port " + sentinelPort + ")",
                "-d", "udp.port==" + sentinelPort + ",data", "-w", file.toString()))
                .dir(dir).start(dir, "tshark-" + name);
        Capture c = new Capture(dir, port, sentinelPort, file, tshark);
        try {
            tshark.awaitStderr("Capturing on", Duration.ofSeconds(20));
            c.sentinel();
            return c;
        } catch (RuntimeException | Error e) {
            tshark.close();
            throw e;
        }
    }

    /** Sends sentinel datagrams until tshark prints one more than it had printed. */
    private void sentinel() {
        Pattern seen = Pattern.compile("\\b" + sentinelPort + " Len=");
        long before = tshark.stdout().lines().filter(l -> seen.matcher(l).find()).count();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        byte[] payload = "interop-sentinel".getBytes(StandardCharsets.US_ASCII);
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            while (true) {
                s.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), sentinelPort));
                for (int i = 0; i < 4; i++) {
                    Proc.sleep(50);
                    if (tshark.stdout().lines().filter(l -> seen.matcher(l).find()).count() > before) {
                        return;
                    }
                }
                if (!tshark.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("tshark did not capture a sentinel datagram to port " + sentinelPort
                            + "\n" + tshark.describe());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until tshark has seen everything sent so far, then stops it (SIGTERM), which completes the file. */
    Capture stop() {
        sentinel();
        tshark.terminate(Duration.ofSeconds(10));
        return this;
    }

    /** As {@link #frames} while the capture runs: first waits until everything sent so far is in the file. */
    List<String> framesSoFar(String filter, String... fields) {
        sentinel();
        List<String> cmd = new ArrayList<>(List.of(Peers.binary("tshark"), "-r", file.toString(), "-d",
                "tcp.port==" + port + ",spice", "-Y", filter));
        if (fields.length > 0) {
            cmd.addAll(List.of("-T", "fields", "-E", "separator=|"));
            for (String f : fields) {
                cmd.addAll(List.of("-e", f));
            }
        }
        Proc.Result r = Proc.of(cmd).dir(dir).run(dir, "tshark-live-read", Duration.ofSeconds(60));
        // tshark still writes the file: its last packet may be half written, which tshark reports with exit 2
        boolean cutShort = r.exitCode() == 2 && r.stderr().contains("cut short in the middle of a packet");
        if (r.exitCode() != 0 && !cutShort) {
            throw new AssertionError("reading the running capture failed\n" + r.describe());
        }
        return r.lines();
    }

    /**
     * Reads the running capture every second until at least {@code count} lines of {@code framesSoFar(filter,
     * fields)} are {@code wanted}; fails after {@code timeout} with how many there were.
     */
    void awaitFrames(String what, Predicate<String> wanted, long count, Duration timeout, String filter,
            String... fields) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long n = framesSoFar(filter, fields).stream().filter(wanted).count();
            if (n >= count) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + n + " " + what + " within " + timeout.toSeconds()
                        + " s, expected " + count);
            }
            Proc.sleep(1000);
        }
    }

    /** {@code tshark -r FILE -d tcp.port==PORT,spice -Y FILTER [-T fields -e F...]}: one line per matching frame. */
    List<String> frames(String filter, String... fields) {
        List<String> cmd = new ArrayList<>(List.of("-r", file.toString(), "-d", "tcp.port==" + port + ",spice",
                "-Y", filter));
        if (fields.length > 0) {
            cmd.addAll(List.of("-T", "fields", "-E", "separator=|"));
            for (String f : fields) {
                cmd.addAll(List.of("-e", f));
            }
        }
        String name = "tshark-read-" + filter.replaceAll("[^A-Za-z0-9]+", "_");
        return Peers.runOk(dir, name, "tshark", cmd.toArray(String[]::new)).lines();
    }

    /**
     * The malformed frames that say something about the peers: drops those Wireshark 4.0 flags for its own
     * defect (its SPICE dissector gives a client's record MODE message, 6 bytes as spice.proto defines it and as
     * spice-gtk sends it too, an 8-byte subtree), and those tshark could not decode because it missed bytes of
     * the stream ("ACKed unseen segment", "Previous segment not captured": packets lost by the capture on a
     * loaded machine). Every other malformed frame stays.
     */
    static List<String> attributable(List<String> malformed) {
        return malformed.stream()
                .filter(l -> !(l.contains("RECORD") && l.contains("Client MODE")))
                .filter(l -> !l.contains("ACKed unseen segment") && !l.contains("Previous segment not captured"))
                .toList();
    }

    @Override
    public void close() {
        tshark.close();
    }
}
