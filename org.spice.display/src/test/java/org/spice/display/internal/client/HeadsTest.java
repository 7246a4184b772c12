package org.spice.display.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spice.desktop.Rect;
import org.spice.display.internal.wire.DisplayMessages;
import org.spice.protocol.SpiceProtocolException;

/** The heads of a display channel as its MONITORS_CONFIG gives them, including monitors configs that lie. */
class HeadsTest {
    private static final Rect NONE = new Rect(0, 0, 0, 0);

    /** A MONITORS_CONFIG: count, max_allowed, then per head id, surface, width, height, x, y, flags. */
    private static Msg config(int maxAllowed, int[]... heads) {
        Msg m = new Msg().u16(heads.length).u16(maxAllowed);
        for (int[] h : heads) {
            m.u32(h[0]).u32(h[1]).u32(h[2]).u32(h[3]).u32(h[4]).u32(h[5]).u32(0);
        }
        return m;
    }

    @Test
    void withoutAMonitorsConfigTheWholeSurfaceIsTheOneHead() {
        try (TestDisplay t = new TestDisplay(64, 32)) {
            assertEquals(List.of(new Rect(0, 0, 64, 32)), t.display.heads());
        }
    }

    @Test
    void twoHeadsSideBySideAreTwoAreasOfTheSurface() {
        try (TestDisplay t = new TestDisplay(64, 32)) {
            List<Rect> told = new ArrayList<>();
            t.display.addChangeListener(told::add);
            t.feed(DisplayMessages.MONITORS_CONFIG, config(2, new int[] {0, 0, 40, 32, 0, 0},
                    new int[] {1, 0, 24, 20, 40, 0}));
            assertEquals(List.of(new Rect(0, 0, 40, 32), new Rect(40, 0, 24, 20)), t.display.heads());
            assertEquals(List.of(new Rect(0, 0, 64, 32)), told, "viewers hear that the heads changed");
        }
    }

    /** Heads reaching past the surface are clamped to it; wholly outside, zero-sized or elsewhere they show nothing. */
    @Test
    void headsOutsideTheSurfaceOrOfZeroSizeAreClampedOrDisabled() {
        try (TestDisplay t = new TestDisplay(64, 32)) {
            t.feed(DisplayMessages.MONITORS_CONFIG, config(5, new int[] {0, 0, 100, 100, 30, 10},
                    new int[] {1, 0, 10, 10, 64, 0}, new int[] {2, 0, 0, 0, 0, 0},
                    new int[] {3, 7, 10, 10, 0, 0}, new int[] {4, 0, 0xffffffff, 0xffffffff, 0xfffffff0, 5}));
            assertEquals(List.of(new Rect(30, 10, 34, 22), NONE, NONE, NONE, NONE), t.display.heads());
            assertEquals(32, t.display.primary().height(), "the surface is untouched");
        }
    }

    /** As spice-gtk: more heads than max_allowed are cut to it, and an empty config changes nothing. */
    @Test
    void moreHeadsThanMaxAllowedAreCutAndAnEmptyConfigIsIgnored() {
        try (TestDisplay t = new TestDisplay(64, 32)) {
            t.feed(DisplayMessages.MONITORS_CONFIG, config(1, new int[] {0, 0, 32, 32, 0, 0},
                    new int[] {1, 0, 32, 32, 32, 0}));
            assertEquals(List.of(new Rect(0, 0, 32, 32)), t.display.heads());
            t.feed(DisplayMessages.MONITORS_CONFIG, config(0));
            assertEquals(List.of(new Rect(0, 0, 32, 32)), t.display.heads());
            t.feed(DisplayMessages.MONITORS_CONFIG, config(0, new int[] {0, 0, 16, 16, 0, 0},
                    new int[] {1, 0, 16, 16, 16, 0}));
            assertEquals(List.of(new Rect(0, 0, 16, 16)), t.display.heads(), "max_allowed 0 counts as 1");
        }
    }

    /** More heads than any QXL device has, or a count the body does not hold, close the channel (an exception). */
    @Test
    void aCountOverTheLimitOrPastTheBodyIsRefused() {
        try (TestDisplay t = new TestDisplay(64, 32)) {
            SpiceProtocolException e = assertThrows(SpiceProtocolException.class,
                    () -> t.feed(DisplayMessages.MONITORS_CONFIG, new Msg().u16(65535).u16(65535)));
            assertTrue(e.getMessage().contains("65535 heads exceed " + DisplayMessages.MAX_HEADS), e.getMessage());
            assertThrows(SpiceProtocolException.class,
                    () -> t.feed(DisplayMessages.MONITORS_CONFIG, new Msg().u16(3).u16(3).u32(0)));
            assertEquals(List.of(new Rect(0, 0, 64, 32)), t.display.heads());
        }
    }

    /** A new primary surface of another size clamps the heads of the last config to it. */
    @Test
    void headsFollowTheSurfaceTheyAreOn() {
        try (TestDisplay t = new TestDisplay(64, 32)) {
            t.feed(DisplayMessages.MONITORS_CONFIG, config(2, new int[] {0, 0, 32, 32, 0, 0},
                    new int[] {1, 0, 32, 32, 32, 0}));
            t.feed(DisplayMessages.SURFACE_DESTROY, new Msg().u32(0));
            t.feed(DisplayMessages.SURFACE_CREATE, new Msg().u32(0).u32(48).u32(16)
                    .u32(DisplayMessages.SURFACE_FMT_32_XRGB).u32(1));
            assertEquals(List.of(new Rect(0, 0, 32, 16), new Rect(32, 0, 16, 16)), t.display.heads());
        }
    }
}
