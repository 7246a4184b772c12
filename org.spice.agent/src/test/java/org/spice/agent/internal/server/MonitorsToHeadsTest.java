package org.spice.agent.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spice.agent.internal.wire.AgentMessages.MonConfig;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;

/** A client's monitors as the display source's heads. */
class MonitorsToHeadsTest {
    /** Positions are moved together so the union starts at the origin; the gap of a sparse layout stays. */
    @Test
    void aSparseLayoutIsMovedToTheOriginWithItsGap() {
        assertEquals(List.of(new Rect(0, 50, 800, 600), new Rect(900, 0, 640, 480)), ServerAgentSession.heads(
                List.of(new MonConfig(600, 800, 32, -100, 50), new MonConfig(480, 640, 32, 800, 0))));
    }

    /** Sizes past any picture stay past it (the source refuses them) instead of wrapping to small numbers. */
    @Test
    void hugeSizesStayHuge() {
        List<Rect> heads = ServerAgentSession.heads(List.of(new MonConfig(0xffffffffL, 0x100000400L, 32, 0, 0)));
        assertEquals(Frame.MAX_SIDE + 1, heads.get(0).width());
        assertEquals(Frame.MAX_SIDE + 1, heads.get(0).height());
    }
}
