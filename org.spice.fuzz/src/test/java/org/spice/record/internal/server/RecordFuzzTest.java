package org.spice.record.internal.server;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.spice.fuzz.MessageFeed;
import org.spice.protocol.Capabilities;
import org.spice.protocol.FakeChannelContext;
import org.spice.record.api.AudioSink;
import org.spice.record.internal.wire.RecordMessages;

/**
 * The audio message parsers of the record channel (RecordMessages) behind the server's RecordServerChannel, which
 * takes what a client sends: mode (raw or Opus), start mark and data (decoded). Input: messages [type u16 LE]
 * [size u32 LE][body]. Only SpiceProtocolException may escape.
 */
class RecordFuzzTest {
    private static final AudioSink DROP = (connectionId, rate, channels) -> new AudioSink.Recording() {
        public void write(short[] samples) {
        }

        public void close() {
        }
    };

    @FuzzTest(maxDuration = "10m")
    void messages(byte[] input) {
        RecordServerChannel record = new RecordServerChannel(FakeChannelContext.server(6,
                Capabilities.of(RecordMessages.CAP_VOLUME, RecordMessages.CAP_OPUS)), DROP,
                RecordServerFactory.Settings.DEFAULTS);
        MessageFeed.feed(input, record::onMessage);
        record.onClose();
    }
}
