package org.spice.playback.internal.client;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.spice.fuzz.MessageFeed;
import org.spice.protocol.Capabilities;
import org.spice.protocol.FakeChannelContext;

/**
 * The audio message parsers of the playback channel (PlaybackMessages) behind the client's PlaybackClientChannel:
 * mode, start, data (raw PCM and Opus, decoded), stop, volume, mute, latency, in any order. Input: messages
 * [type u16 LE][size u32 LE][body]. Only SpiceProtocolException may escape.
 */
class PlaybackFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void messages(byte[] input) {
        PlaybackClientChannel playback = new PlaybackClientChannel(FakeChannelContext.client(5, Capabilities.NONE), true,
                (rate, channels) -> new AudioOutput.None());
        MessageFeed.feed(input, playback::onMessage);
        playback.onClose();
    }
}
