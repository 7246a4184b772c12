package org.spice.agent.api;

/**
 * One monitor of a monitors config: where it is on the virtual desktop and its size in pixels; a width and
 * height of 0 disables it.
 */
public record Monitor(int x, int y, int width, int height) {
    public Monitor {
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("monitor size " + width + "x" + height);
        }
    }
}
