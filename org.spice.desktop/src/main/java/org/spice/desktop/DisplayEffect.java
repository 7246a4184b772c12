package org.spice.desktop;

/**
 * Desktop effects a client may ask a server's desktop to drop (the agent's VD_AGENT_DISPLAY_CONFIG, spice-gtk's
 * {@code --spice-disable-effects}), as a guest's agent turns them off on a slow link.
 */
public enum DisplayEffect {
    /** The desktop's wallpaper: a plain background instead. */
    WALLPAPER,
    /** Smoothed (anti-aliased) fonts. */
    FONT_SMOOTHING,
    /** Animated windows and menus. */
    ANIMATION
}
