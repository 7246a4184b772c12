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

    @Test
    void copyBitsFromBesideTheSurfaceCopiesNothing() {
        DisplayClientChannel display = channel();
        ByteBuf b = Unpooled.buffer();
        new DisplayMessages.SurfaceCreate(0, 64, 48, 32, 1).encode(b);
        display.onMessage(DisplayMessages.SURFACE_CREATE, b);
        int[] before = display.primary().rgb();
        // box 8x8 at (10, 10), source at x = 2^24: beside the surface, at rows inside it
        b = Unpooled.buffer();
        b.writeIntLE(0).writeIntLE(10).writeIntLE(10).writeIntLE(18).writeIntLE(18).writeByte(0);
        b.writeIntLE(1 << 24).writeIntLE(0);
        display.onMessage(DisplayMessages.COPY_BITS, b);
        assertArrayEquals(before, display.primary().rgb());
        assertFalse(display.unsupported().contains("copy_bits"));
    }

    /**
     * A source point near Integer.MAX_VALUE: the source area's right edge overflowed an int, the area then seemed
     * to intersect the surface and System.arraycopy got an index past 2^31 (found by the second display fuzz run).
     */
    @Test
    void copyBitsFromNearTheLargestIntCopiesNothing() {
        DisplayClientChannel display = channel();
        ByteBuf b = Unpooled.buffer();
        new DisplayMessages.SurfaceCreate(0, 64, 48, 32, 1).encode(b);
        display.onMessage(DisplayMessages.SURFACE_CREATE, b);
        int[] before = display.primary().rgb();
        for (int[] src : new int[][] {{Integer.MAX_VALUE - 2, 0}, {0, Integer.MAX_VALUE - 2},
            {Integer.MIN_VALUE, 0}, {Integer.MAX_VALUE, Integer.MAX_VALUE}}) {
            b = Unpooled.buffer();
            b.writeIntLE(0).writeIntLE(10).writeIntLE(10).writeIntLE(18).writeIntLE(18).writeByte(0);
            b.writeIntLE(src[0]).writeIntLE(src[1]);
            display.onMessage(DisplayMessages.COPY_BITS, b);
            assertArrayEquals(before, display.primary().rgb());
        }
    }
}
