package org.spice.protocol.internal.main;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.FakeChannelContext;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.spi.AgentHandler;
import org.spice.protocol.wire.AgentHeader;
import org.spice.protocol.wire.MainMessages;
import org.spice.protocol.wire.SpiceMessage;

/** Chunking, reassembly (both framings), limits and token flow control of the main channel's agent stream. */
class AgentFramingTest {

    /** A main channel that records what is sent, running everything on the caller's thread. */
    static FakeChannelContext.Server mainChannel() {
        return FakeChannelContext.server(ChannelType.MAIN, Capabilities.NONE);
    }

    static List<byte[]> chunks(FakeChannelContext main) {
        return main.sent.stream().filter(m -> m instanceof MainMessages.AgentData).map(m -> ((MainMessages.AgentData) m)
                .data()).toList();
    }

    record Msg(long type, byte[] body) {
    }

    /** Collects what a reassembler delivers and skips. */
    static final class Collector implements AgentReassembler.Sink {
        final List<Msg> messages = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();
        long limit = 1 << 20;

        @Override
        public long limit(long type) {
            return limit;
        }

        @Override
        public void message(AgentHeader header, byte[] body) {
            messages.add(new Msg(header.type(), body));
        }

        @Override
        public void skipped(AgentHeader header, String reason) {
            skipped.add(header.type() + ": " + reason);
        }
    }

    static byte[] random(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static ByteBuf wrap(byte[] b) {
        return Unpooled.wrappedBuffer(b);
    }

    static byte[] header(long protocol, long type, long size) {
        ByteBuf b = Unpooled.buffer(AgentHeader.SIZE);
        new AgentHeader(protocol, type, 0, size).encode(b);
        byte[] out = new byte[AgentHeader.SIZE];
        b.readBytes(out);
        return out;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Test
    void headerGoldenBytes() {
        // VDAgentMessage{protocol 1, type 6 (announce_capabilities), opaque 0, size 8}, little-endian, packed
        assertArrayEquals(new byte[] {1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0},
                header(1, 6, 8));
        AgentHeader h = AgentHeader.decode(wrap(header(1, 0xfffffffeL, 0xffffffffL)));
        assertEquals(0xfffffffeL, h.type());
        assertEquals(0xffffffffL, h.size());
        assertThrows(SpiceProtocolException.class, () -> AgentHeader.decode(wrap(new byte[19])));
    }

    @Test
    void messagesAreCutIntoChunksOfAtMost2048BytesWithTheHeaderInTheFirst() {
        assertEquals(1, AgentLink.chunks(4, new byte[0]).size());
        assertEquals(20, AgentLink.chunks(4, new byte[0]).get(0).length);
        assertEquals(1, AgentLink.chunks(4, new byte[2028]).size());
        List<byte[]> two = AgentLink.chunks(4, new byte[2029]);
        assertEquals(List.of(2048, 1), two.stream().map(c -> c.length).toList());
        byte[] body = random(100_000, 1);
        List<byte[]> c = AgentLink.chunks(9, body);
        assertEquals((100_000 + 20 + 2047) / 2048, c.size());
        assertTrue(c.stream().allMatch(x -> x.length <= AgentHeader.MAX_DATA_SIZE));
        Collector got = new Collector();
        AgentReassembler strict = new AgentReassembler(AgentReassembler.Framing.STRICT, got);
        c.forEach(x -> strict.feed(wrap(x)));
        assertEquals(1, got.messages.size());
        assertEquals(9, got.messages.get(0).type());
        assertArrayEquals(body, got.messages.get(0).body());
        assertFalse(strict.inMessage());
    }

    /** agent_data chunks as remote-viewer 11 (spice-gtk 0.42) sent them to our server, captured with tshark. */
    static List<byte[]> spiceGtkChunks() throws java.io.IOException {
        try (java.io.InputStream in = AgentFramingTest.class.getResourceAsStream(
                "/golden/remote-viewer/agent-chunks-5000.hex")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).lines()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .map(l -> java.util.HexFormat.of().parseHex(l)).toList();
        }
    }

    @Test
    void spiceGtksChunksAreReassembledAndOursCutTheSameWay() throws Exception {
        List<byte[]> chunks = spiceGtkChunks();
        assertEquals(List.of(28, 28, 24, 28, 2048, 2048, 932), chunks.stream().map(c -> c.length).toList());
        for (AgentReassembler.Framing f : AgentReassembler.Framing.values()) {
            Collector got = new Collector();
            AgentReassembler r = new AgentReassembler(f, got);
            chunks.forEach(c -> r.feed(wrap(c)));
            assertEquals(List.of(6L, 5L, 14L, 7L, 4L), got.messages.stream().map(Msg::type).toList(), f.name());
            byte[] clipboard = got.messages.get(4).body();
            assertEquals(5008, clipboard.length); // selection, reserved, type, then 5000 bytes of text
            assertEquals('a', clipboard[8]);
            assertEquals('z', clipboard[8 + 25]);
            // cut again by us: the very same chunks
            List<byte[]> ours = AgentLink.chunks(4, clipboard);
            assertEquals(3, ours.size());
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(chunks.get(4 + i), ours.get(i));
            }
            assertArrayEquals(chunks.get(0), AgentLink.chunks(6, got.messages.get(0).body()).get(0));
        }
    }

    @Test
    void strictFramingIsSpiceServersFilter() {
        Collector got = new Collector();
        AgentReassembler r = new AgentReassembler(AgentReassembler.Framing.STRICT, got);
        assertThrows(SpiceProtocolException.class, () -> r.feed(wrap(new byte[19])), "incomplete header");
        AgentReassembler p = new AgentReassembler(AgentReassembler.Framing.STRICT, got);
        SpiceProtocolException e = assertThrows(SpiceProtocolException.class,
                () -> p.feed(wrap(header(2, 4, 0))));
        assertTrue(e.getMessage().contains("invalid agent protocol 2"), e.getMessage());
        // two messages in one chunk: the second one's bytes exceed the first one's size
        AgentReassembler two = new AgentReassembler(AgentReassembler.Framing.STRICT, got);
        assertThrows(SpiceProtocolException.class,
                () -> two.feed(wrap(concat(header(1, 4, 1), new byte[1], header(1, 4, 0)))));
        // a continuation larger than what is left
        AgentReassembler more = new AgentReassembler(AgentReassembler.Framing.STRICT, got);
        more.feed(wrap(concat(header(1, 4, 10), new byte[4])));
        assertThrows(SpiceProtocolException.class, () -> more.feed(wrap(new byte[7])));
        assertEquals(List.of(), got.messages);
    }

    @Test
    void streamFramingIsSpiceGtks() {
        Collector got = new Collector();
        AgentReassembler r = new AgentReassembler(AgentReassembler.Framing.STREAM, got);
        byte[] stream = concat(header(1, 3, 8), random(8, 2), header(1, 4, 0), header(7, 4, 3), new byte[3],
                header(1, 5, 5), random(5, 3));
        // fed one byte at a time: headers span chunks, chunks carry several messages
        for (byte b : stream) {
            r.feed(wrap(new byte[] {b}));
        }
        assertEquals(List.of(3L, 4L, 5L), got.messages.stream().map(Msg::type).toList());
        assertArrayEquals(random(8, 2), got.messages.get(0).body());
        assertEquals(0, got.messages.get(1).body().length);
        assertArrayEquals(random(5, 3), got.messages.get(2).body());
        assertEquals(1, got.skipped.size());
        assertTrue(got.skipped.get(0).contains("protocol 7"), got.skipped.toString());
        // and all at once
        Collector all = new Collector();
        new AgentReassembler(AgentReassembler.Framing.STREAM, all).feed(wrap(stream));
        assertEquals(3, all.messages.size());
    }

    @Test
    void aMessageOverTheLimitIsSkippedUnbufferedAndTheNextOneArrives() {
        for (AgentReassembler.Framing f : AgentReassembler.Framing.values()) {
            Collector got = new Collector();
            got.limit = 1000;
            AgentReassembler r = new AgentReassembler(f, got);
            AgentLink.chunks(4, new byte[5000]).forEach(c -> r.feed(wrap(c)));
            AgentLink.chunks(4, random(1000, 4)).forEach(c -> r.feed(wrap(c)));
            assertEquals(1, got.messages.size(), f.name());
            assertArrayEquals(random(1000, 4), got.messages.get(0).body());
            assertEquals(List.of("4: 5000 bytes exceed the limit of 1000 for this type"), got.skipped);
        }
        // a header claiming 4 GiB costs nothing until its bytes come
        Collector got = new Collector();
        AgentReassembler r = new AgentReassembler(AgentReassembler.Framing.STRICT, got);
        r.feed(wrap(header(1, 4, 0xffffffffL)));
        assertTrue(r.inMessage());
        assertEquals(1, got.skipped.size());
    }

    @Test
    void chunksWaitForThePeersTokensAndFlushedCompletesWhenTheyAreSent() {
        FakeChannelContext.Server main = mainChannel();
        AgentLink link = new AgentLink(main, MainMessages.AGENT_DATA, 2, 0, 1, AgentReassembler.Framing.STREAM);
        link.send(4, new byte[5000]); // 3 chunks
        assertEquals(2, chunks(main).size());
        assertEquals(5020 - 4096, link.queuedBytes());
        CompletableFuture<Void> f = link.flushed();
        assertFalse(f.isDone());
        link.addSendTokens(1);
        assertEquals(3, chunks(main).size());
        assertTrue(f.isDone());
        assertEquals(0, link.queuedBytes());
        assertEquals(0, link.sendTokens());
        link.send(5, new byte[1]);
        assertEquals(3, chunks(main).size());
        link.setSendTokens(0xffffffffL); // agent_start again: the allowance is set, not added
        assertEquals(4, chunks(main).size());
        assertEquals(0xffffffffL - 1, link.sendTokens());
        link.close();
        assertTrue(link.flushed().isCompletedExceptionally());
        link.send(6, new byte[1]);
        assertEquals(4, chunks(main).size(), "nothing is sent after the stream ended");
    }

    @Test
    void consumedChunksAreReturnedInBatchesAndChunksBeyondTheWindowEndTheSession() {
        FakeChannelContext.Server main = mainChannel();
        List<Msg> got = new ArrayList<>();
        AgentLink link = new AgentLink(main, MainMessages.AGENT_DATA, 0, 10, 5, AgentReassembler.Framing.STRICT);
        link.start((type, opaque, body) -> got.add(new Msg(type, body)));
        for (byte[] c : AgentLink.chunks(4, new byte[12 * 2048])) {
            link.receive(wrap(c));
        }
        assertEquals(1, got.size());
        List<Long> returned = main.sent.stream().filter(m -> m.type() == MainMessages.AGENT_TOKEN)
                .map(m -> ((MainMessages.Tokens) m).numTokens()).toList();
        assertEquals(List.of(5L, 5L), returned, "13 chunks consumed: two batches of 5 returned");

        // a peer that sends beyond what it was granted, while nothing is returned
        AgentLink tight = new AgentLink(mainChannel(), MainMessages.AGENT_DATA, 0, 2, 5,
                AgentReassembler.Framing.STRICT);
        List<byte[]> c = AgentLink.chunks(4, new byte[3 * 2048]);
        tight.receive(wrap(c.get(0)));
        tight.receive(wrap(c.get(1)));
        SpiceProtocolException e = assertThrows(SpiceProtocolException.class, () -> tight.receive(wrap(c.get(2))));
        assertTrue(e.getMessage().contains("beyond the 2 tokens granted"), e.getMessage());
    }

    @Test
    void aHandlerThatCannotReadAMessageLosesThatMessageOnly() {
        FakeChannelContext.Server main = mainChannel();
        List<Long> got = new ArrayList<>();
        AgentLink link = new AgentLink(main, MainMessages.C_AGENT_DATA, 10, 0, 1, AgentReassembler.Framing.STREAM);
        link.start(new AgentHandler() {
            @Override
            public void onMessage(int type, long opaque, byte[] body) {
                if (type == 4) {
                    throw new SpiceProtocolException("clipboard: truncated");
                }
                got.add((long) type);
            }
        });
        AgentLink.chunks(4, new byte[3]).forEach(c -> link.receive(wrap(c)));
        AgentLink.chunks(5, new byte[3]).forEach(c -> link.receive(wrap(c)));
        assertEquals(List.of(5L), got);
        assertTrue(main.isOpen());
    }
}
