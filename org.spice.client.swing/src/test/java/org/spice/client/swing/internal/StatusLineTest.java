package org.spice.client.swing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.client.LinkedChannel;

/** The status line's text. */
class StatusLineTest {
    private static LinkedChannel channel(int type, int id) {
        return new LinkedChannel(type, id, Capabilities.NONE, Capabilities.NONE, false, true);
    }

    /** Channels by type and id, whatever order they linked in. */
    @Test
    void channelsLatencyAndCodec() {
        assertEquals("main display display:1 inputs cursor playback | latency 1.3 ms | video: H264",
                StatusLine.text(List.of(channel(ChannelType.MAIN, 0), channel(ChannelType.CURSOR, 0),
                        channel(ChannelType.DISPLAY, 1), channel(ChannelType.INPUTS, 0),
                        channel(ChannelType.PLAYBACK, 0), channel(ChannelType.DISPLAY, 0)), 1_250_000,
                        List.of("H264")));
    }

    @Test
    void withoutVideoOrRoundTrip() {
        assertEquals("main | latency ? | video: none", StatusLine.text(List.of(channel(ChannelType.MAIN, 0)), -1,
                List.of()));
    }

    @Test
    void latencyIsInMilliseconds() {
        assertEquals("0.0 ms", StatusLine.latency(20_000));
        assertEquals("9.9 ms", StatusLine.latency(9_940_000));
        assertEquals("42 ms", StatusLine.latency(41_600_000));
    }
}
