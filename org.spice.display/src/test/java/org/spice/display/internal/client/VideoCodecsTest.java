package org.spice.display.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.spice.display.internal.wire.DisplayMessages;
import org.spice.display.video.VideoCodec;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.FakeChannelContext;
import org.spice.protocol.SpiceProtocolException;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.wire.SpiceMessage;

/**
 * Video codec negotiation: the capability numbers of spice-protocol's protocol.h, the announced codecs (MJPEG
 * built in, others only from a codec provider), PREFERRED_VIDEO_CODEC_TYPE and STREAM_REPORT on the wire, and a
 * stream in a codec that was not announced.
 */
class VideoCodecsTest {
    @Test
    void capabilityAndCodecNumbersAreSpiceProtocols() {
        // protocol.h: ..., CODEC_H264 11, PREF_VIDEO_CODEC_TYPE 12, CODEC_VP9 13, CODEC_H265 14, METRICS 15
        assertEquals(9, DisplayMessages.CAP_CODEC_MJPEG);
        assertEquals(10, DisplayMessages.CAP_CODEC_VP8);
        assertEquals(11, DisplayMessages.CAP_CODEC_H264);
        assertEquals(12, DisplayMessages.CAP_PREF_VIDEO_CODEC_TYPE);
        assertEquals(13, DisplayMessages.CAP_CODEC_VP9);
        assertEquals(14, DisplayMessages.CAP_CODEC_H265);
        assertEquals(List.of(9, 10, 11, 13, 14), EnumSet.allOf(VideoCodec.class).stream()
                .map(VideoCodec::capability).toList());
        // enums.h SpiceVideoCodecType: MJPEG 1, VP8 2, H264 3, VP9 4, H265 5
        assertEquals(List.of(1, 2, 3, 4, 5), EnumSet.allOf(VideoCodec.class).stream().map(VideoCodec::wire)
                .toList());
    }

    @Test
    void withoutAProviderOnlyMjpegIsAnnounced() {
        var caps = DisplayClientChannel.capabilities(VideoDecoders.builtIn().codecs());
        assertTrue(caps.has(DisplayMessages.CAP_MULTI_CODEC));
        assertTrue(caps.has(DisplayMessages.CAP_CODEC_MJPEG));
        assertTrue(caps.has(DisplayMessages.CAP_PREF_VIDEO_CODEC_TYPE));
        assertTrue(caps.has(DisplayMessages.CAP_STREAM_REPORT));
        assertFalse(caps.has(DisplayMessages.CAP_CODEC_VP8), "VP8 announced");
        assertFalse(caps.has(DisplayMessages.CAP_CODEC_H264), "H.264 announced");
        assertFalse(caps.has(DisplayMessages.CAP_CODEC_VP9), "VP9 announced");
        assertFalse(caps.has(DisplayMessages.CAP_CODEC_H265), "H.265 announced");
        assertTrue(caps.has(DisplayMessages.CAP_LZ4_COMPRESSION));
        // Composite draws are rendered (CompositeVsPixmanTest); alpha-only surfaces are not yet.
        assertTrue(caps.has(DisplayMessages.CAP_COMPOSITE));
        assertTrue(caps.has(DisplayMessages.CAP_A8_SURFACE), "A8_SURFACE announced");
        var more = DisplayClientChannel.capabilities(EnumSet.of(VideoCodec.MJPEG, VideoCodec.H264, VideoCodec.VP9));
        assertTrue(more.has(11) && more.has(13) && !more.has(10) && !more.has(14));
    }

    private static byte[] bytes(SpiceMessage m) {
        ByteBuf b = Unpooled.buffer();
        try {
            m.encode(b);
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    @Test
    void preferredVideoCodecTypeIsACountAndOneBytePerCodec() {
        var m = new DisplayMessages.PreferredVideoCodecType(List.of(3, 2, 1));
        assertEquals(105, m.type());
        assertEquals("03030201", ByteBufUtil.hexDump(bytes(m)));
        ByteBuf in = Unpooled.wrappedBuffer(new byte[] {2, 4, 1});
        assertEquals(List.of(4, 1), DisplayMessages.PreferredVideoCodecType.decode(in).codecs());
        assertThrows(SpiceProtocolException.class,
                () -> DisplayMessages.PreferredVideoCodecType.decode(Unpooled.wrappedBuffer(new byte[] {3, 1})));
        assertThrows(SpiceProtocolException.class,
                () -> DisplayMessages.PreferredVideoCodecType.decode(Unpooled.wrappedBuffer(new byte[] {0})));
    }

    @Test
    void streamReportAndActivateReportLayouts() {
        var r = new DisplayMessages.StreamReport(7, 0x01020304L, 1000, 2000, 30, 2, -5, 0xffffffffL);
        assertEquals(102, r.type());
        assertEquals("07000000" + "04030201" + "e8030000" + "d0070000" + "1e000000" + "02000000" + "fbffffff"
                + "ffffffff", ByteBufUtil.hexDump(bytes(r)));
        assertEquals(r, DisplayMessages.StreamReport.decode(Unpooled.wrappedBuffer(bytes(r))));
        var a = DisplayMessages.StreamActivateReport.decode(Unpooled.wrappedBuffer(new byte[] {
            7, 0, 0, 0, 9, 0, 0, 0, 20, 0, 0, 0, (byte) 0xe8, 3, 0, 0}));
        assertEquals(new DisplayMessages.StreamActivateReport(7, 9, 20, 1000), a);
    }

    @Test
    void theClientSendsItsPreferenceWhenTheServerTakesIt() {
        var options = ClientOptions.defaults().withPreferredVideoCodecs("h264,vp8,mjpeg");
        var able = FakeChannelContext.client(ChannelType.DISPLAY,
                Capabilities.of(DisplayMessages.CAP_PREF_VIDEO_CODEC_TYPE), options);
        new DisplayClientChannel(able, new org.spice.display.internal.codec.GlzWindow(1 << 16));
        SpiceMessage pref = able.sent.get(0);
        assertEquals(DisplayMessages.C_PREFERRED_VIDEO_CODEC_TYPE, pref.type());
        assertEquals("03030201", ByteBufUtil.hexDump(bytes(pref)));
        var unable = FakeChannelContext.client(ChannelType.DISPLAY, Capabilities.NONE, options);
        new DisplayClientChannel(unable, new org.spice.display.internal.codec.GlzWindow(1 << 16));
        assertEquals(List.of(DisplayMessages.C_INIT), unable.sent.stream().map(SpiceMessage::type).toList());
    }

    @Test
    void aStreamInACodecNotAnnouncedIsListedAndItsFramesSkipped() {
        try (TestDisplay d = new TestDisplay(4, 4)) {
            // stream_create: surface 0, id 7, flags 0, codec 2 (VP8), stamp, sizes, dest, no clip
            d.feed(DisplayMessages.STREAM_CREATE, new Msg().u32(0).u32(7).u8(0).u8(2).u32(0).u32(0).u32(4).u32(4)
                    .u32(4).u32(4).area(0, 0, 4, 4).u8(0));
            d.feed(DisplayMessages.STREAM_DATA, new Msg().u32(7).u32(0).u32(3).u8(1).u8(2).u8(3));
            assertEquals(List.of("video codec VP8 (not announced: this client decodes [MJPEG])"),
                    d.display.unsupported());
            assertEquals(0, d.rgb(0, 0));
            assertTrue(d.display.streamCodecs().isEmpty());
        }
    }

    @Test
    void streamIdsOutsideTheProtocolsRangeCloseTheChannel() {
        try (TestDisplay d = new TestDisplay(4, 4)) {
            SpiceProtocolException e = assertThrows(SpiceProtocolException.class, () -> d.feed(
                    DisplayMessages.STREAM_CREATE, new Msg().u32(0).u32(64).u8(0).u8(1).u32(0).u32(0).u32(4).u32(4)
                            .u32(4).u32(4).area(0, 0, 4, 4).u8(0)));
            assertEquals("stream id 64 is outside [0, 64)", e.getMessage());
        }
    }

    @Test
    void namesParse() {
        assertEquals(VideoCodec.H264, VideoCodec.ofName("gstreamer:h264"));
        assertNull(VideoCodec.ofName("theora"));
        assertEquals(Set.of(VideoCodec.VP8), Set.copyOf(VideoCodec.parseList("vp8,VP8")));
    }
}
