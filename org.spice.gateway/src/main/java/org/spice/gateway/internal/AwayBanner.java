package org.spice.gateway.internal;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import org.spice.desktop.Frame;

/**
 * What viewers see while the VM is away: its last picture at half brightness with a band across the middle saying
 * the gateway is reconnecting, so that nobody types into a picture that no longer answers. Pure: a new frame from
 * the last one; the VM's next picture replaces it whole.
 */
final class AwayBanner {
    static final String TEXT = "The VM is away - the gateway is reconnecting";
    /** Height of the band, or the whole picture when that is lower. */
    static final int BAND = 40;
    static final int BAND_RGB = 0x202020;

    private AwayBanner() {
    }

    /** {@code last} dimmed, with the band; {@code serial} is the new frame's. */
    static Frame over(Frame last, long serial) {
        int w = last.width();
        int h = last.height();
        int[] rgb = last.rgb();
        int[] out = new int[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            out[i] = dim(rgb[i]);
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, w, h, out, 0, w);
        int band = Math.min(BAND, h);
        int top = (h - band) / 2;
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(new Color(BAND_RGB));
            g.fillRect(0, top, w, band);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.setColor(Color.WHITE);
            FontMetrics m = g.getFontMetrics();
            g.drawString(TEXT, Math.max(4, (w - m.stringWidth(TEXT)) / 2), top + (band + m.getAscent()) / 2 - 2);
        } finally {
            g.dispose();
        }
        img.getRGB(0, 0, w, h, out, 0, w);
        for (int i = 0; i < out.length; i++) {
            out[i] &= 0xffffff;
        }
        return new Frame(w, h, out, serial);
    }

    /** Half brightness, each component on its own. */
    static int dim(int rgb) {
        return (rgb >>> 1) & 0x7f7f7f;
    }
}
