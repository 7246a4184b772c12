package org.spice.tunnel.internal;

import org.spice.protocol.wire.SpiceVmcMessages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.FakeChannelContext;
import org.spice.protocol.wire.SpiceMessage;

/**
 * Our server standing in for spice-webdavd: a TCP connection to the export is one stream of the multiplex (its
 * bytes go to the client framed with the stream's id); the client's frames, however the port splits them, reach
 * that connection's socket, a zero-size frame ends it, frames of unknown streams are dropped; a connection that
 * does not read what the client sends is closed once 16 MiB wait, and the others go on.
 */
class WebdavExportTest {
    private final FakeChannelContext.Server ctx = FakeChannelContext.server(ChannelType.WEBDAV, Capabilities.NONE);
    private WebdavExport export;

    private WebdavExport start() throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        export = new WebdavExport(ctx, listener);
        export.start();
        return export;
    }

    @AfterEach
    void stop() {
        if (export != null) {
            export.close();
        }
    }

    private Socket connect() throws IOException {
        String a = export.address(); // http://127.0.0.1:PORT/
        int port = Integer.parseInt(a.substring(a.lastIndexOf(':') + 1, a.length() - 1));
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(10_000);
        return s;
    }

    /** The data messages sent so far, joined. */
    private byte[] sent() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        synchronized (ctx.sent) {
            for (SpiceMessage m : ctx.sent) {
                out.writeBytes(((SpiceVmcMessages.Data) m).data());
            }
        }
        return out.toByteArray();
    }

    private byte[] awaitSent(int bytes) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (sent().length < bytes && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        return sent();
    }

    private static byte[] frame(long id, byte[] data) {
        byte[] f = Arrays.copyOf(WebdavMux.header(id, data.length), WebdavMux.HEADER + data.length);
        System.arraycopy(data, 0, f, WebdavMux.HEADER, data.length);
        return f;
    }

    @Test
    void aConnectionIsOneStreamBothWaysWhateverTheSplit() throws Exception {
        start();
        try (Socket s = connect()) {
            byte[] request = "PROPFIND / HTTP/1.1\r\nDepth: 1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            s.getOutputStream().write(request);
            byte[] got = awaitSent(WebdavMux.HEADER + request.length);
            assertArrayEquals(frame(1, request), got, "the request framed as stream 1");

            byte[] reply = "HTTP/1.1 207 Multi-Status\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            byte[] wire = new byte[0];
            for (byte[] f : new byte[][] {frame(99, "lost".getBytes()), frame(1, reply), frame(1, new byte[0])}) {
                byte[] w = Arrays.copyOf(wire, wire.length + f.length);
                System.arraycopy(f, 0, w, wire.length, f.length);
                wire = w;
            }
            for (byte b : wire) { // one byte per port message: the worst split
                export.fromClient(new byte[] {b});
            }
            InputStream in = s.getInputStream();
            assertArrayEquals(reply, in.readNBytes(reply.length + 1), "the socket gets stream 1's bytes, then EOF");
        }
    }

    @Test
    void aConnectionThatDoesNotReadIsClosedAndOthersGoOn() throws Exception {
        start();
        try (Socket idle = connect(); Socket busy = connect()) {
            idle.getOutputStream().write('a');
            awaitSent(WebdavMux.HEADER + 1);
            busy.getOutputStream().write('b');
            byte[] both = awaitSent(2 * (WebdavMux.HEADER + 1));
            long idleId = both[0]; // the stream ids (1, 2) from the frames' headers, low byte first
            long busyId = both[WebdavMux.HEADER + 1];
            byte[] chunk = new byte[WebdavMux.MAX_DATA];
            long fed = 0;
            // far more than the queue and the socket buffers hold, to a socket nobody reads
            while (fed < WebdavExport.MAX_QUEUED + (32L << 20)) {
                export.fromClient(frame(idleId, chunk));
                fed += chunk.length;
            }
            export.fromClient(frame(busyId, "still here".getBytes()));
            assertArrayEquals("still here".getBytes(), busy.getInputStream().readNBytes(10));
            InputStream in = idle.getInputStream();
            long read = 0;
            try {
                for (int n; (n = in.read(chunk)) > 0; ) {
                    read += n;
                }
            } catch (IOException e) {
                // reset: closed while data was waiting
            }
            assertTrue(read < fed, "the idle connection got everything (" + read + " of " + fed + ")");
        }
        assertEquals(null, ctx.closedBecause(), "the channel itself stays open");
    }
}
