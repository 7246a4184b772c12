package org.spice.tunnel.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.spice.protocol.LeakCheck;

/** The WebDAV multiplex and the WebDAV subset, driven by framed bytes as spice-webdavd sends them. */
@ExtendWith(LeakCheck.class)
class WebdavTest {
    @TempDir
    Path tmp;

    /** What the mux sent back for one stream: its bytes, and whether a zero-size message ended it. */
    record Stream(ByteArrayOutputStream bytes, boolean[] ended, List<Integer> sizes) {
        String text() {
            return bytes.toString(StandardCharsets.ISO_8859_1);
        }
    }

    static byte[] frame(long id, byte[] data) {
        byte[] h = WebdavMux.header(id, data.length);
        byte[] f = Arrays.copyOf(h, h.length + data.length);
        System.arraycopy(data, 0, f, h.length, data.length);
        return f;
    }

    static byte[] frame(long id, String text) {
        return frame(id, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    /** Runs the mux over {@code input} until it ends and splits what it wrote by stream. */
    Map<Long, Stream> run(Path root, boolean readOnly, byte[] input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path real = root.toRealPath();
        new WebdavMux(new ByteArrayInputStream(input), out, () -> FolderSharingComponent.pipeline(real, readOnly)).run();
        Map<Long, Stream> streams = new LinkedHashMap<>();
        byte[] b = out.toByteArray();
        int i = 0;
        while (i < b.length) {
            long id = 0;
            for (int k = 7; k >= 0; k--) {
                id = (id << 8) | (b[i + k] & 0xFF);
            }
            int size = (b[i + 8] & 0xFF) | (b[i + 9] & 0xFF) << 8;
            Stream s = streams.computeIfAbsent(id, x -> new Stream(new ByteArrayOutputStream(), new boolean[1],
                    new ArrayList<>()));
            assertFalse(s.ended()[0], "data after the end of stream " + id);
            s.sizes().add(size);
            if (size == 0) {
                s.ended()[0] = true;
            }
            s.bytes().write(b, i + 10, size);
            i += 10 + size;
        }
        return streams;
    }

    static String status(Stream s) {
        String t = s.text();
        return t.substring(0, t.indexOf("\r\n"));
    }

    static byte[] body(Stream s) {
        byte[] b = s.bytes().toByteArray();
        String t = s.text();
        int start = t.indexOf("\r\n\r\n") + 4;
        return Arrays.copyOfRange(b, start, b.length);
    }

    @Test
    void headerIsLittleEndianIdThenSize() {
        assertArrayEquals(new byte[] {0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, (byte) 0xFF, (byte) 0xFF},
                WebdavMux.header(0x0102030405060708L, 0xFFFF));
    }

    @Test
    void propfindListsTheFolderAtDepthOneAndRefusesInfinity() throws IOException {
        Files.writeString(tmp.resolve("a b.txt"), "hello");
        Files.createDirectory(tmp.resolve("sub"));
        String req = "PROPFIND / HTTP/1.1\r\nHost: x\r\nDepth: 1\r\nContent-Length: 0\r\n\r\n";
        String inf = "PROPFIND / HTTP/1.1\r\nHost: x\r\nDepth: infinity\r\nContent-Length: 0\r\n\r\n";
        Map<Long, Stream> r = run(tmp, false, concat(frame(7, req), frame(9, inf)));
        String t = r.get(7L).text();
        assertEquals("HTTP/1.1 207 Multi-Status", status(r.get(7L)));
        assertTrue(t.contains("<D:href>/a%20b.txt</D:href>"), t);
        assertTrue(t.contains("<D:getcontentlength>5</D:getcontentlength>"), t);
        assertTrue(t.contains("<D:href>/sub/</D:href>"), t);
        assertTrue(t.contains("<D:collection/>"), t);
        assertEquals("HTTP/1.1 403 Forbidden", status(r.get(9L)));
    }

    @Test
    void getReadsALargeFileAcrossFramesAndRanges() throws IOException {
        byte[] data = new byte[300_000];
        new Random(1).nextBytes(data);
        Files.write(tmp.resolve("big.bin"), data);
        Map<Long, Stream> r = run(tmp, true, concat(
                frame(1, "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"),
                frame(2, "GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=100-199\r\n\r\n"),
                frame(3, "GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=-10\r\n\r\n"),
                frame(4, "GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=400000-\r\n\r\n")));
        assertEquals("HTTP/1.1 200 OK", status(r.get(1L)));
        assertArrayEquals(data, body(r.get(1L)));
        assertTrue(r.get(1L).sizes().stream().allMatch(n -> n <= 0xFFFF));
        assertTrue(r.get(1L).sizes().size() > 4, "split into several messages");
        assertEquals("HTTP/1.1 206 Partial Content", status(r.get(2L)));
        assertTrue(r.get(2L).text().contains("content-range: bytes 100-199/300000"), r.get(2L).text());
        assertArrayEquals(Arrays.copyOfRange(data, 100, 200), body(r.get(2L)));
        assertArrayEquals(Arrays.copyOfRange(data, 299_990, 300_000), body(r.get(3L)));
        assertEquals("HTTP/1.1 416 Requested Range Not Satisfiable", status(r.get(4L)));
    }

    @Test
    void putSplitOverMessagesCreatesTheFileAndReadOnlyRefusesIt() throws IOException {
        byte[] data = new byte[150_000];
        new Random(2).nextBytes(data);
        byte[] head = ("PUT /new.bin HTTP/1.1\r\nHost: x\r\nContent-Length: " + data.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] req = concat(head, data);
        List<byte[]> frames = new ArrayList<>();
        for (int off = 0; off < req.length; off += 60_000) {
            frames.add(frame(5, Arrays.copyOfRange(req, off, Math.min(req.length, off + 60_000))));
        }
        Map<Long, Stream> r = run(tmp, false, concat(frames.toArray(new byte[0][])));
        assertEquals("HTTP/1.1 201 Created", status(r.get(5L)));
        assertArrayEquals(data, Files.readAllBytes(tmp.resolve("new.bin")));

        Map<Long, Stream> ro = run(tmp, true, concat(frames.toArray(new byte[0][])));
        assertEquals("HTTP/1.1 403 Forbidden", status(ro.get(5L)));
        try (var list = Files.list(tmp)) {
            assertEquals(List.of("new.bin"), list.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void dotDotNulAndSymlinksOutAreRefusedAndOtherStreamsGoOn() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("share"));
        Files.writeString(tmp.resolve("secret"), "secret");
        Files.createSymbolicLink(root.resolve("out"), tmp);
        Files.writeString(root.resolve("ok.txt"), "fine");
        Map<Long, Stream> r = run(root, false, concat(
                frame(1, "GET /../secret HTTP/1.1\r\nHost: x\r\n\r\n"),
                frame(2, "GET /%2e%2e/secret HTTP/1.1\r\nHost: x\r\n\r\n"),
                frame(3, "GET /ok.txt%00.png HTTP/1.1\r\nHost: x\r\n\r\n"),
                frame(4, "GET /out/secret HTTP/1.1\r\nHost: x\r\n\r\n"),
                frame(5, "PUT /out/planted HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx"),
                frame(6, "GET /ok.txt HTTP/1.1\r\nHost: x\r\n\r\n"),
                frame(7, "MOVE /ok.txt HTTP/1.1\r\nHost: x\r\nDestination: http://x/../moved\r\n\r\n"),
                frame(8, "PROPFIND / HTTP/1.1\r\nHost: x\r\nDepth: 1\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")));
        assertEquals("HTTP/1.1 403 Forbidden", status(r.get(1L)));
        assertEquals("HTTP/1.1 403 Forbidden", status(r.get(2L)));
        assertEquals("HTTP/1.1 400 Bad Request", status(r.get(3L)));
        assertEquals("HTTP/1.1 403 Forbidden", status(r.get(4L)));
        assertEquals("HTTP/1.1 403 Forbidden", status(r.get(5L)));
        assertFalse(Files.exists(tmp.resolve("planted")));
        assertEquals("HTTP/1.1 200 OK", status(r.get(6L)));
        assertEquals("fine", new String(body(r.get(6L)), StandardCharsets.UTF_8));
        assertEquals("HTTP/1.1 403 Forbidden", status(r.get(7L)));
        assertTrue(Files.exists(root.resolve("ok.txt")));
        String listings = r.get(8L).text();
        assertTrue(listings.contains("/ok.txt") && listings.contains(">ok.txt<"), listings);
        assertFalse(listings.contains("out"), "the link out of the folder is not listed\n" + listings);
    }

    @Test
    void mkcolMoveCopyDeleteLockAndOptions() throws IOException {
        Files.writeString(tmp.resolve("f"), "data");
        Map<Long, Stream> r = run(tmp, false, concat(
                frame(1, "MKCOL /d HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "COPY /f HTTP/1.1\r\nHost: x\r\nDestination: http://x/d/g\r\n\r\n"
                        + "MOVE /f HTTP/1.1\r\nHost: x\r\nDestination: /h\r\n\r\n"
                        + "COPY /h HTTP/1.1\r\nHost: x\r\nDestination: /d/g\r\nOverwrite: F\r\n\r\n"),
                frame(2, "LOCK /h HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\nOPTIONS / HTTP/1.1\r\nHost: x\r\n\r\n"),
                frame(3, "DELETE /d HTTP/1.1\r\nHost: x\r\n\r\n")));
        String t = r.get(1L).text();
        assertTrue(t.startsWith("HTTP/1.1 201 Created"), t);
        assertEquals(4, t.split("HTTP/1.1 ").length - 1, t);
        assertTrue(t.contains("HTTP/1.1 412 Precondition Failed"), t);
        assertEquals("data", Files.readString(tmp.resolve("h")));
        assertFalse(Files.exists(tmp.resolve("f")));
        String lock = r.get(2L).text().toLowerCase(java.util.Locale.ROOT);
        assertTrue(lock.startsWith("http/1.1 200 ok") && lock.contains("lock-token: <urn:uuid:"), lock);
        assertTrue(lock.contains("dav: 1,2"), lock);
        assertEquals("HTTP/1.1 204 No Content", status(r.get(3L)));
        assertFalse(Files.exists(tmp.resolve("d")));
    }

    @Test
    void zeroSizeEndsAStreamAndConnectionCloseEndsItFromOurSide() throws IOException {
        Files.writeString(tmp.resolve("f"), "data");
        Map<Long, Stream> r = run(tmp, true, concat(
                frame(1, "GET /f HTTP/1.1\r\nHost: x\r\n"),
                frame(1, new byte[0]),
                frame(1, "\r\n"),
                frame(2, "GET /f HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")));
        // the guest ended stream 1 mid-request, so its GET is never answered; id 1 then starts a new stream
        assertNull(r.get(1L));
        assertTrue(r.get(2L).ended()[0], "Connection: close ends the stream with a zero-size message");
        assertEquals("data", new String(body(r.get(2L)), StandardCharsets.UTF_8).substring(0, 4));
        assertNull(r.get(3L));
    }

    @Test
    void oversizedPropfindBodyIsRefusedAndClosesOnlyItsStream() throws IOException {
        byte[] big = new byte[WebdavHandler.MAX_SMALL_BODY + 10];
        Arrays.fill(big, (byte) 'x');
        byte[] req = concat(("PROPFIND / HTTP/1.1\r\nHost: x\r\nDepth: 0\r\nContent-Length: " + big.length
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), big);
        List<byte[]> frames = new ArrayList<>();
        for (int off = 0; off < req.length; off += 30_000) {
            frames.add(frame(1, Arrays.copyOfRange(req, off, Math.min(req.length, off + 30_000))));
        }
        frames.add(frame(2, "PROPFIND / HTTP/1.1\r\nHost: x\r\nDepth: 0\r\n\r\n"));
        Map<Long, Stream> r = run(tmp, false, concat(frames.toArray(new byte[0][])));
        assertEquals("HTTP/1.1 413 Request Entity Too Large", status(r.get(1L)));
        assertTrue(r.get(1L).ended()[0]);
        assertEquals("HTTP/1.1 207 Multi-Status", status(r.get(2L)));
    }
}
