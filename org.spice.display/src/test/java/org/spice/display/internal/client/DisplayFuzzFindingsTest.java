package org.spice.display.internal.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.spice.display.internal.codec.GlzWindow;
import org.spice.display.internal.wire.DisplayMessages;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.FakeChannelContext;
import org.spice.protocol.SpiceProtocolException;

/**
 * What the display channel's fuzz test found (docs/fuzzing.md), replayed: each file under
 * {@code /fuzz-findings/display/} is a sequence of server messages ({@code [type u16][size u32][body]}, as the fuzz
 * test frames them) on which something other than a SpiceProtocolException escaped.
 */
class DisplayFuzzFindingsTest {
    static DisplayClientChannel channel() {
        final FakeChannelContext.Client context = FakeChannelContext.client(ChannelType.DISPLAY, Capabilities.NONE);
        return new DisplayClientChannel(context, new GlzWindow(1 << 16));
    }

    static Stream<String> findings() throws IOException, URISyntaxException {
        Path dir = Path.of(DisplayFuzzFindingsTest.class.getResource("/fuzz-findings/display").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("findings")
    void onlyProtocolExceptionsEscape(String name) throws IOException {
        byte[] input;
        try (InputStream in = getClass().getResourceAsStream("/fuzz-findings/display/" + name)) {
            input = in.readAllBytes();
        }
        DisplayClientChannel display = channel();
        ByteBuf all = Unpooled.wrappedBuffer(input);
        while (all.readableBytes() >= 6) {
            int type = all.readUnsignedShortLE();
            long size = Math.min(all.readUnsignedIntLE(), all.readableBytes());
            try {
                display.onMessage(type, all.readSlice((int) size));
            } catch (SpiceProtocolException expected) {
                // refused: the contract
            }
        }
        display.primary();
    }

    /** copy_bits of an 8x8 box at (10, 10) from {@code (sx, sy)}. */
    private static void copyBits(DisplayClientChannel display, int sx, int sy) {
        ByteBuf b = Unpooled.buffer();
        b.writeIntLE(0).writeIntLE(10).writeIntLE(10).writeIntLE(18).writeIntLE(18).writeByte(0);
        b.writeIntLE(sx).writeIntLE(sy);
        display.onMessage(DisplayMessages.COPY_BITS, b);
    }

    /**
     * Copies from beside the surface copy nothing: a source at x = 2^24 at rows inside the surface (the first display
     * fuzz run's finding: the rows of an empty intersection were iterated), and source points near the int range's
     * ends, whose area's edges overflowed an int so that System.arraycopy got an index past 2^31 (the third run's).
     */
    @Test
    void copyBitsFromBesideTheSurfaceCopiesNothing() {
        DisplayClientChannel display = channel();
        ByteBuf b = Unpooled.buffer();
        new DisplayMessages.SurfaceCreate(0, 64, 48, 32, 1).encode(b);
        display.onMessage(DisplayMessages.SURFACE_CREATE, b);
        int[] before = display.primary().rgb();
        for (int[] src : new int[][] {{1 << 24, 0}, {Integer.MAX_VALUE - 2, 0}, {0, Integer.MAX_VALUE - 2},
            {Integer.MIN_VALUE, 0}, {Integer.MAX_VALUE, Integer.MAX_VALUE}}) {
            copyBits(display, src[0], src[1]);
            assertArrayEquals(before, display.primary().rgb(), src[0] + "," + src[1]);
        }
        assertFalse(display.unsupported().contains("copy_bits"));
    }
}
