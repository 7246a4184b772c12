package org.spice.runtime.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** QEMU's human monitor on a unix socket ({@code -monitor unix:PATH,server,nowait}): one command, its answer. */
final class Hmp {
    private Hmp() {
    }

    /** The arguments that give a QEMU this monitor. */
    static java.util.List<String> args(Path socket) {
        return java.util.List.of("-monitor", "unix:" + socket + ",server,nowait");
    }

    /** Runs {@code command} and returns what QEMU printed before its next prompt (with the terminal's echo). */
    static String run(Path socket, String command) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            untilPrompt(ch);
            ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
            return untilPrompt(ch);
        } catch (IOException e) {
            throw new UncheckedIOException("HMP " + command + " on " + socket, e);
        }
    }

    /** Polls {@code command} until its answer contains {@code text}; fails with the last answer. */
    static String await(Path socket, String command, String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last;
        do {
            last = run(socket, command);
            if (last.contains(text)) {
                return last;
            }
            Proc.sleep(300);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("HMP " + command + " never answered with '" + text + "'; last answer:\n" + last);
    }

    private static String untilPrompt(SocketChannel ch) throws IOException {
        StringBuilder out = new StringBuilder();
        ByteBuffer b = ByteBuffer.allocate(65536);
        while (!out.toString().endsWith("(qemu) ")) {
            b.clear();
            if (ch.read(b) < 0) {
                break;
            }
            b.flip();
            out.append(StandardCharsets.UTF_8.decode(b));
        }
        return out.toString();
    }
}
