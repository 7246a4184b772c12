package org.spice.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.spice.protocol.LogCapture;

/** The record floor rule alone: who is heard, given who sent audio when. Times are in ms for reading ease. */
class RecordFloorTest {
    private static final long MS = 1_000_000L;
    private static final long IDLE = 500 * MS;
    private static final long A = 0xa;
    private static final long B = 0xb;
    private static final long C = 0xc;

    @Test
    void firstHoldsUntilItStopsThenTheNextRecordingGetsIt() {
        RecordFloor f = new RecordFloor(RecordFloor.Rule.FIRST, () -> -1, IDLE);
        assertTrue(f.heard(A, 0));
        assertFalse(f.heard(B, 10 * MS));
        assertFalse(f.heard(C, 20 * MS));
        assertTrue(f.heard(A, 30 * MS));
        assertEquals(A, f.holder());
        // A stops sending; B and C go on. After A's idle time the floor goes to B, who started recording before C.
        for (long t = 40; t <= 520; t += 10) {
            assertFalse(f.heard(B, t * MS), "at " + t);
            assertFalse(f.heard(C, t * MS), "at " + t);
        }
        assertTrue(f.heard(B, 540 * MS));
        assertFalse(f.heard(C, 540 * MS));
        assertEquals(B, f.holder());
        // A records again: it is the last in line now.
        assertFalse(f.heard(A, 600 * MS));
        assertTrue(f.heard(B, 600 * MS));
    }

    @Test
    void aHolderThatLeavesFreesTheFloorAtOnce() {
        RecordFloor f = new RecordFloor(RecordFloor.Rule.FIRST, () -> -1, IDLE);
        assertTrue(f.heard(A, 0));
        assertFalse(f.heard(B, 0));
        f.left(A, 10 * MS);
        assertEquals(B, f.holder());
        assertTrue(f.heard(B, 20 * MS));
        // A leaving again (its channel closing twice, or a viewer that never recorded) changes nothing.
        f.left(A, 30 * MS);
        f.left(C, 30 * MS);
        assertEquals(B, f.holder());
        f.left(B, 40 * MS);
        assertEquals(RecordFloor.NONE_HOLDS, f.holder());
    }

    @Test
    void theControllerHoldsTheFloorWhileItRecordsAndNoOneElseEver() {
        AtomicLong controller = new AtomicLong(A);
        RecordFloor f = new RecordFloor(RecordFloor.Rule.CONTROLLER, controller::get, IDLE);
        assertFalse(f.heard(B, 0));
        assertEquals(RecordFloor.NONE_HOLDS, f.holder());
        assertTrue(f.heard(A, 10 * MS));
        assertFalse(f.heard(B, 10 * MS));
        // The controller stops: nobody is heard, even though B records.
        assertFalse(f.heard(B, 600 * MS));
        assertEquals(RecordFloor.NONE_HOLDS, f.holder());
        // Control passes to B (A left): B is heard.
        f.left(A, 610 * MS);
        controller.set(B);
        assertTrue(f.heard(B, 620 * MS));
        assertEquals(B, f.holder());
    }

    /**
     * Control passing from A to B while both record (A's main channel closed before its record channel): the floor
     * goes straight to B, and the log says that A lost it as well as that B has it.
     */
    @Test
    void aFloorPassingStraightToAnotherIsLoggedForBoth() {
        try (LogCapture log = new LogCapture("org.spice.gateway")) {
            AtomicLong controller = new AtomicLong(A);
            RecordFloor f = new RecordFloor(RecordFloor.Rule.CONTROLLER, controller::get, IDLE);
            assertTrue(f.heard(A, 0));
            assertFalse(f.heard(B, 0));
            log.lines().clear();
            controller.set(B);
            assertTrue(f.heard(B, 10 * MS));
            f.left(A, 20 * MS); // A's record channel closes after: nothing more to say
            assertEquals(List.of(
                    "INFO gateway: viewer 0xa no longer has the record floor (rule controller: viewer 0xb has it)",
                    "INFO gateway: viewer 0xb has the record floor (rule controller)"), log.lines());
        }
    }

    @Test
    void noneHearsNobody() {
        RecordFloor f = new RecordFloor(RecordFloor.Rule.NONE, () -> A, IDLE);
        assertFalse(f.heard(A, 0));
        assertFalse(f.heard(B, 0));
        assertEquals(RecordFloor.NONE_HOLDS, f.holder());
    }

    @Test
    void theDefaultRuleFollowsTheControlRuleAndControllerNeedsControlFirst() {
        assertEquals(RecordFloor.Rule.CONTROLLER, RecordFloor.Rule.forControl("", Control.FIRST));
        assertEquals(RecordFloor.Rule.FIRST, RecordFloor.Rule.forControl("", Control.ALL));
        assertEquals(RecordFloor.Rule.NONE, RecordFloor.Rule.forControl(" ", Control.NONE));
        assertEquals(RecordFloor.Rule.FIRST, RecordFloor.Rule.forControl("first", Control.FIRST));
        assertEquals(RecordFloor.Rule.NONE, RecordFloor.Rule.forControl("None", Control.ALL));
        assertThrows(IllegalArgumentException.class, () -> RecordFloor.Rule.forControl("controller", Control.ALL));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RecordFloor.Rule.forControl("loudest", Control.FIRST));
        assertTrue(e.getMessage().contains("loudest"), e.getMessage());
    }
}
