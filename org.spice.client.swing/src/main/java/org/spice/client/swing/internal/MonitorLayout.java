package org.spice.client.swing.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.spice.agent.api.Monitor;

/**
 * The agent's monitors config for the windows of a session, as remote-viewer lays it out: monitor {@code N} is
 * display {@code N} (channel id plus head), a display without a window is a disabled monitor (0x0), windows side by
 * side left to right in display order, and when every window is full screen each at its local screen's position
 * (moved together so the leftmost and topmost touch the origin), which keeps the gaps of a sparse layout of screens.
 */
final class MonitorLayout {
    /** One window: its display number, the guest size it has room for, and its screen's origin when full screen. */
    record Shown(int nth, int width, int height, java.awt.Point screen) {
    }

    private MonitorLayout() {
    }

    static List<Monitor> of(List<Shown> windows) {
        if (windows.isEmpty()) {
            return List.of();
        }
        List<Shown> byNth = new ArrayList<>(windows);
        byNth.sort(java.util.Comparator.comparingInt(Shown::nth));
        Monitor[] monitors = new Monitor[byNth.get(byNth.size() - 1).nth() + 1];
        Arrays.fill(monitors, new Monitor(0, 0, 0, 0));
        boolean allFullScreen = byNth.stream().allMatch(w -> w.screen() != null);
        int left = allFullScreen ? byNth.stream().mapToInt(w -> w.screen().x).min().orElse(0) : 0;
        int top = allFullScreen ? byNth.stream().mapToInt(w -> w.screen().y).min().orElse(0) : 0;
        int x = 0;
        for (Shown w : byNth) {
            monitors[w.nth()] = allFullScreen ? new Monitor(w.screen().x - left, w.screen().y - top, w.width(),
                    w.height()) : new Monitor(x, 0, w.width(), w.height());
            x += w.width();
        }
        return List.of(monitors);
    }
}
