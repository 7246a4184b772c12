package org.spice.protocol.internal.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeUnit;
import org.spice.protocol.Capabilities;
import org.spice.protocol.LinkError;
import org.spice.protocol.wire.Link;
import org.spice.protocol.wire.LinkHeader;
import org.spice.protocol.wire.LinkMess;
import org.spice.protocol.wire.LinkReply;
import org.spice.protocol.wire.SpiceMessage;

/**
 * A SPICE server a test drives step by step over blocking sockets: it links every channel (any ticket), then the test
 * reads and writes mini-header messages itself, so it can play spice-server's part of a seamless migration, which
 * our own server does not.
 */
final class ScriptedServer implements AutoCloseable {
    private static final byte[] PUBLIC_KEY = publicKey();
    private final ServerSocket socket;

    ScriptedServer() throws IOException {
        socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        socket.setSoTimeout(10_000);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Accepts and links the next channel connection. */
    Peer accept() throws IOException {
        Socket s = socket.accept();
        s.setSoTimeout(10_000);
        DataInputStream in = new DataInputStream(s.getInputStream());
        ByteBuf header = Unpooled.wrappedBuffer(in.readNBytes(Link.HEADER_SIZE));
        LinkHeader h = LinkHeader.decode(header);
        LinkMess mess = LinkMess.decode(Unpooled.wrappedBuffer(in.readNBytes((int) h.size())));
        ByteBuf reply = Unpooled.buffer();
        new LinkReply(LinkError.OK, PUBLIC_KEY, Capabilities.of(Link.CAP_PROTOCOL_AUTH_SELECTION, Link.CAP_AUTH_SPICE,
                Link.CAP_MINI_HEADER), Capabilities.NONE).encode(reply);
        OutputStream out = s.getOutputStream();
        out.write(bytes(reply));
        in.readNBytes(4); // the mechanism: AUTH_SPICE
        in.readNBytes(Link.ENCRYPTED_TICKET_BYTES);
        out.write(new byte[4]); // OK
        out.flush();
        return new Peer(s, in, mess);
    }

    /** One linked channel. */
    static final class Peer implements AutoCloseable {
        final LinkMess mess;
        private final Socket socket;
        private final DataInputStream in;

        Peer(Socket socket, DataInputStream in, LinkMess mess) {
            this.socket = socket;
            this.in = in;
            this.mess = mess;
        }

        void send(SpiceMessage m) throws IOException {
            ByteBuf body = Unpooled.buffer();
            m.encode(body);
            send(m.type(), bytes(body));
        }

        void send(int type, byte[] body) throws IOException {
            ByteBuf b = Unpooled.buffer(6 + body.length);
            b.writeShortLE(type).writeIntLE(body.length).writeBytes(body);
            socket.getOutputStream().write(bytes(b));
            socket.getOutputStream().flush();
        }

        /** The next message the client sent. */
        Message read() throws IOException {
            byte[] h = in.readNBytes(6);
            if (h.length < 6) {
                throw new EOFException("the client closed " + mess.channelType() + ":" + mess.channelId());
            }
            ByteBuf hb = Unpooled.wrappedBuffer(h);
            int type = hb.readUnsignedShortLE();
            int size = hb.readIntLE();
            return new Message(type, in.readNBytes(size));
        }

        /** The next message of {@code type}, skipping others (acks, pongs). */
        Message read(int type) throws IOException {
            while (true) {
                Message m = read();
                if (m.type() == type) {
                    return m;
                }
            }
        }

        /** Whether the client closes this connection within a few seconds (reading and dropping what it sends). */
        boolean closedByClient() throws IOException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            socket.setSoTimeout(200);
            try {
                while (System.nanoTime() < end) {
                    try {
                        if (in.read() < 0) {
                            return true;
                        }
                    } catch (SocketTimeoutException e) {
                        // nothing yet
                    }
                }
                return false;
            } catch (IOException e) {
                return true;
            } finally {
                socket.setSoTimeout(10_000);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    record Message(int type, byte[] body) {
        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    private static byte[] publicKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(1024);
            return g.generateKeyPair().getPublic().getEncoded();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
