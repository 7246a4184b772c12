package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A 1-byte-per-second link (slowloris) on every channel our {@code spice server} offers, with its defaults (a
 * message may take 60 s, then must come at 16 KiB/s): one session links every channel by hand over plain sockets
 * and, on each channel but main, sends a message header claiming a large message and then one byte a second. Each
 * of those connections is closed with PeerWatch's logged reason, main (which answers the server's pings) stays
 * linked, so does a second session that trickles nothing, and a third client ({@code spice probe}) is served
 * after. A session whose main channel trickles loses main, and with it the session, for the same reason.
 */
class OurServerSlowlorisIT {
    /** The mini header's message type for the trickled message: a channel-specific type, arbitrary. */
    private static final int TRICKLED_TYPE = 150;
    /** What the trickled header claims: the largest message size minus one; memory must not follow the claim. */
    private static final int CLAIMED = (64 << 20) - 1;

    @Test
    void everyChannelTrickledAByteASecondIsClosedAndTheRestStays() throws Exception {
        Path dir = Peers.workDir(getClass(), "slowloris");
        int port = Peers.freePort();
        // --webdav: the server offers the folder-sharing channel too
        try (Proc server = Spice.startServer(dir, "--listen", "127.0.0.1:" + port, "--webdav", "127.0.0.1")) {
            List<String> channels = Spice.announcedChannels(server);
            for (String type : List.of("main", "display", "inputs", "cursor", "playback", "record", "tunnel",
                    "smartcard", "usbredir", "port", "webdav")) {
                assertTrue(channels.stream().anyMatch(c -> c.startsWith(type + ":")), "no " + type + " channel in "
                        + channels);
            }
            List<RawChannel> open = new ArrayList<>();
            try {
                RawChannel main = RawChannel.link(port, 0, 1, 0);
                open.add(main);
                long session = main.sessionId();
                main.answerPings();
                RawChannel bystander = RawChannel.link(port, 0, 1, 0);
                open.add(bystander);
                bystander.answerPings();
                List<RawChannel> trickled = new ArrayList<>();
                for (String c : channels) {
                    String[] typeId = c.split(":");
                    int type = channelType(typeId[0]);
                    if (type == 1) {
                        continue;
                    }
                    RawChannel ch = RawChannel.link(port, session, type, Integer.parseInt(typeId[1]));
                    open.add(ch);
                    ch.drain();
                    trickled.add(ch);
                }
                RawChannel trickledMain = RawChannel.link(port, 0, 1, 0);
                open.add(trickledMain);
                trickledMain.drain();
                trickled.add(trickledMain);
                for (RawChannel ch : trickled) {
                    ch.startTrickle();
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
                while (trickled.stream().anyMatch(RawChannel::isOpen) && System.nanoTime() < deadline) {
                    Proc.sleep(500);
                }
                for (RawChannel ch : trickled) {
                    assertFalse(ch.isOpen(), ch + " still open after 150 s of trickling\n" + server.describe());
                    // the server's log names that connection and the reason
                    Pattern why = Pattern.compile(Pattern.quote(ch.name + " from /127.0.0.1:" + ch.localPort())
                            + " closed: the peer sends too slowly: message type " + TRICKLED_TYPE + " of "
                            + (CLAIMED + 6) + " bytes is incomplete after (\\d+) ms \\((\\d+) bytes came\\)");
                    Matcher m = why.matcher(server.stderr());
                    assertTrue(m.find(), "no trickle reason logged for " + ch + "\n" + server.describe());
                    assertTrue(Long.parseLong(m.group(1)) >= 60_000, m.group());
                }
                // main of the trickling session and the other session stay linked and served (they answer pings)
                assertTrue(main.isOpen(), "main of the session whose channels trickled closed\n" + server.describe());
                assertTrue(bystander.isOpen(), "the other session closed\n" + server.describe());
                assertTrue(main.pings() > 0 && bystander.pings() > 0, "no pings answered");
                Spice.Probe p = Spice.probe(dir, "probe-after", "spice://127.0.0.1:" + port);
                assertEquals(0, p.exitCode(), p::describe);
                assertEquals(channels.stream().sorted().toList(), p.channels().keySet().stream().sorted().toList(),
                        p::describe);
                Spice.assertRunning(server);
            } finally {
                for (RawChannel ch : open) {
                    ch.close();
                }
            }
        }
    }

    private static int channelType(String name) {
        return switch (name) {
            case "main" -> 1;
            case "display" -> 2;
            case "inputs" -> 3;
            case "cursor" -> 4;
            case "playback" -> 5;
            case "record" -> 6;
            case "tunnel" -> 7;
            case "smartcard" -> 8;
            case "usbredir" -> 9;
            case "port" -> 10;
            case "webdav" -> 11;
            default -> throw new AssertionError("unknown channel " + name);
        };
    }

    /**
     * One channel linked by hand: the link message with the mini header, ticket authentication (the server has no
     * password, so any 128 bytes pass), then messages as mini headers (type u16, size u32, little-endian).
     */
    static final class RawChannel implements AutoCloseable {
        private static final String[] NAMES = {"", "main", "display", "inputs", "cursor", "playback", "record",
            "tunnel", "smartcard", "usbredir", "port", "webdav"};
        final String name;
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile int pings;
        private volatile Thread reader;
        private volatile Thread trickler;

        private RawChannel(Socket socket, String name) throws IOException {
            this.socket = socket;
            this.name = name;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        static RawChannel link(int port, long connectionId, int type, int id) throws IOException {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(30_000);
            RawChannel c = new RawChannel(s, NAMES[type] + ":" + id);
            // common caps: PROTOCOL_AUTH_SELECTION, AUTH_SPICE, MINI_HEADER
            ByteBuffer mess = le(18 + 4).putInt((int) connectionId).put((byte) type).put((byte) id).putInt(1)
                    .putInt(0).putInt(18).putInt(0b1011);
            ByteBuffer header = le(16).putInt(0x51444552).putInt(2).putInt(2).putInt(mess.capacity());
            c.out.write(header.array());
            c.out.write(mess.array());
            byte[] replyHeader = new byte[16];
            c.in.readFully(replyHeader);
            int size = ByteBuffer.wrap(replyHeader).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
            byte[] reply = new byte[size];
            c.in.readFully(reply);
            int error = ByteBuffer.wrap(reply).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
            if (error != 0) {
                throw new AssertionError(c.name + ": link refused with error " + error);
            }
            c.out.write(le(4).putInt(1).array()); // SPICE_COMMON_CAP_AUTH_SPICE
            c.out.write(new byte[128]); // the ticket: no password set
            byte[] result = new byte[4];
            c.in.readFully(result);
            if (ByteBuffer.wrap(result).order(ByteOrder.LITTLE_ENDIAN).getInt() != 0) {
                throw new AssertionError(c.name + ": ticket refused");
            }
            return c;
        }

        private static ByteBuffer le(int n) {
            return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        }

        int localPort() {
            return socket.getLocalPort();
        }

        int pings() {
            return pings;
        }

        /** Main's session id, from MAIN_INIT (type 103), its first message after SET_ACK-free linking. */
        long sessionId() throws IOException {
            while (true) {
                int type = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
                int size = Integer.reverseBytes(in.readInt());
                byte[] body = new byte[size];
                in.readFully(body);
                if (type == 103) {
                    return Integer.toUnsignedLong(ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
                }
            }
        }

        /** Reads everything the server sends, answering each PING (type 4) with a PONG (type 3). */
        void answerPings() {
            read(true);
        }

        /** Reads and drops everything the server sends (a trickling channel must not answer in mid-message). */
        void drain() {
            read(false);
        }

        private void read(boolean answer) {
            reader = new Thread(() -> {
                try {
                    socket.setSoTimeout(0);
                    while (true) {
                        int type = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
                        int size = Integer.reverseBytes(in.readInt());
                        byte[] body = new byte[size];
                        in.readFully(body);
                        if (type == 4 && answer) {
                            pings++;
                            ByteBuffer pong = le(6 + 12).putShort((short) 3).putInt(12).put(body, 0, 12);
                            synchronized (out) {
                                out.write(pong.array());
                                out.flush();
                            }
                        }
                    }
                } catch (IOException e) {
                    closed.set(true);
                }
            }, "read " + name);
            reader.setDaemon(true);
            reader.start();
        }

        /** A mini header claiming {@link #CLAIMED} bytes, then one zero byte a second until the server closes. */
        void startTrickle() {
            trickler = new Thread(() -> {
                try {
                    synchronized (out) {
                        out.write(le(6).putShort((short) TRICKLED_TYPE).putInt(CLAIMED).array());
                        out.flush();
                    }
                    while (!closed.get()) {
                        Thread.sleep(1000);
                        synchronized (out) {
                            out.write(0);
                            out.flush();
                        }
                    }
                } catch (IOException e) {
                    closed.set(true);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "trickle " + name);
            trickler.setDaemon(true);
            trickler.start();
        }

        boolean isOpen() {
            return !closed.get();
        }

        @Override
        public void close() {
            closed.set(true);
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return name + " from local port " + localPort();
        }
    }
}
