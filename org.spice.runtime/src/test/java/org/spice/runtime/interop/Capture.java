package org.spice.runtime.interop;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A tshark capture of one TCP port on the loopback interface, decoded afterwards with Wireshark's SPICE dissector. */
final class Capture implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Path file;
    private final Proc tshark;

    private Capture(Path dir, int port, Path file, Proc tshark) {
        this.dir = dir;
        this.port = port;
        this.file = file;
        this.tshark = tshark;
    }

    /** Starts capturing {@code tcp port PORT} on lo into DIR/NAME.pcapng; returns once tshark captures. */
    static Capture start(Path dir, String name, int port) {
        Path file = dir.resolve(name + ".pcapng");
        Proc tshark = Proc.of(Peers.bounded("tshark", "-i", "lo", "-f", "tcp port " + port, "-w", file.toString()))
                .dir(dir).start(dir, "tshark-" + name);
        tshark.awaitStderr("Capturing on", Duration.ofSeconds(20));
        return new Capture(dir, port, file, tshark);
    }

    /** Lets the last packets arrive, then stops tshark (SIGTERM), which completes the file. */
    Capture stop() {
        Proc.sleep(300);
        tshark.terminate(Duration.ofSeconds(10));
        return this;
    }

    /** {@code tshark -r FILE -d tcp.port==PORT,spice -Y FILTER [-T fields -e F...]}: one line per matching frame. */
    List<String> frames(String filter, String... fields) {
        List<String> cmd = new java.util.ArrayList<>(List.of("-r", file.toString(), "-d", "tcp.port==" + port + ",spice",
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

    @Override
    public void close() {
        tshark.close();
    }
}
