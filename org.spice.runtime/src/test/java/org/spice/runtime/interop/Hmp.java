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

    /**
     * Runs {@code command} and returns what QEMU printed before its next prompt (with the terminal's echo, without
     * the line editor's escape sequences). A monitor that gives no prompt within 20 s fails the call.
     */
    static String run(Path socket, String command) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.configureBlocking(false);
            untilPrompt(ch, command);
            ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
            return untilPrompt(ch, command).replaceAll("\u001b\\[[0-9;]*[A-Za-z]", "");
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

    private static String untilPrompt(SocketChannel ch, String command) throws IOException {
        StringBuilder out = new StringBuilder();
        ByteBuffer b = ByteBuffer.allocate(65536);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!out.toString().endsWith("(qemu) ")) {
            b.clear();
            int n = ch.read(b);
            if (n < 0) {
                break;
            }
            if (n == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("no monitor prompt within 20 s around " + command + ": " + out);
                }
                Proc.sleep(20);
                continue;
            }
            b.flip();
            out.append(StandardCharsets.UTF_8.decode(b));
        }
        return out.toString();
    }
}
