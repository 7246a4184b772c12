package org.spice.display.internal.client;

import org.spice.desktop.Rect;
import org.spice.display.internal.raster.Area;
import org.spice.display.internal.raster.Surface;

/** A parsed draw command, ready to render into the surface it targets. */
@FunctionalInterface
interface Draw {
    /** Renders into {@code area} (the box within the surface and the clip) of {@code s}; {@code box} is the draw's box. */
    void render(Surface s, Area area, Rect box);
}
