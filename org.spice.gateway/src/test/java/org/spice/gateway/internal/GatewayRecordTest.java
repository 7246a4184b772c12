package org.spice.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.spice.record.api.AudioSink;

/** Viewers' record audio through the gateway's sink to what the VM's record channel pulls. */
class GatewayRecordTest {
    private static final int FRAME = 960; // 10 ms, 48 kHz stereo
    private final AtomicLong now = new AtomicLong();
    private final GatewayRecord record = new GatewayRecord(new RecordFloor(RecordFloor.Rule.FIRST, () -> -1,
            GatewayRecord.IDLE_NANOS), now::get);

    private static short[] frame(int value) {
        short[] f = new short[FRAME];
        Arrays.fill(f, (short) value);
        return f;
    }

    private short[] pull() {
        short[] f = new short[FRAME];
        return record.read(f, 48000, 2) ? f : null;
    }

    @Test
    void viewersAreAskedToRecordOnlyWhileTheVmRecords() {
        AtomicLong told = new AtomicLong();
        record.addDemandListener(told::incrementAndGet);
        record.attached(true);
        assertFalse(record.wantsSound(), "the VM has not started recording");
        record.vmRecording(true);
        assertTrue(record.wantsSound());
        record.vmRecording(true);
        assertEquals(1, told.get(), "listeners hear of changes only");
        record.vmRecording(false);
        assertFalse(record.wantsSound());
        record.vmRecording(true);
        record.attached(false);
        assertFalse(record.wantsSound(), "the VM's record channel went away");
        assertEquals(4, told.get());
    }

    @Test
    void onlyTheHoldersAudioReachesTheVm() throws Exception {
        record.attached(true);
        AudioSink.Recording a = record.open(1, 48000, 2);
        AudioSink.Recording b = record.open(2, 48000, 2);
        assertEquals(null, pull(), "nothing queued: nothing sent");
        for (int i = 0; i < 4; i++) {
            a.write(frame(100 + i));
            b.write(frame(-1));
            now.addAndGet(10_000_000L);
        }
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(frame(100 + i), pull());
        }
        assertEquals(null, pull());
        // A leaves: B gets the floor and, after the cushion again, is heard.
        a.close();
        for (int i = 0; i < 4; i++) {
            b.write(frame(200 + i));
        }
        assertArrayEquals(frame(200), pull());
    }

    @Test
    void aVmThatDoesNotTakeTheAudioKeepsOnlyTheNewestQueued() throws Exception {
        record.attached(true);
        AudioSink.Recording a = record.open(1, 48000, 2);
        int frames = GatewayRecord.QUEUE_MS / 10;
        for (int i = 0; i < 3 * frames; i++) {
            a.write(frame(i));
        }
        assertEquals((long) frames * FRAME, record.queued());
        assertArrayEquals(frame(2 * frames), pull(), "the oldest were dropped");
    }

    @Test
    void withoutTheVmsRecordChannelNothingIsQueued() throws Exception {
        AudioSink.Recording a = record.open(1, 48000, 2);
        for (int i = 0; i < 10; i++) {
            a.write(frame(i));
        }
        assertEquals(0, record.queued());
        record.attached(true);
        a.write(frame(1));
        assertEquals(FRAME, record.queued());
        record.attached(false);
        assertEquals(0, record.queued(), "the VM's session ended: what it did not take is dropped");
    }

    @Test
    void otherFormatsAreNotRelayed() throws Exception {
        record.attached(true);
        AudioSink.Recording mono = record.open(1, 44100, 1);
        for (int i = 0; i < 10; i++) {
            mono.write(new short[441]);
        }
        assertEquals(0, record.queued());
        AudioSink.Recording a = record.open(2, 48000, 2);
        for (int i = 0; i < 10; i++) {
            a.write(frame(5));
        }
        assertFalse(record.read(new short[441], 44100, 1), "the VM asks for another format: it gets nothing");
        assertTrue(record.read(new short[FRAME], 48000, 2));
    }
}
