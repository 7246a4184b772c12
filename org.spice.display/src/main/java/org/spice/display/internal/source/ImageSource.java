package org.spice.display.internal.source;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.spice.display.api.DisplaySource;
import org.spice.display.api.Frame;
import org.spice.display.api.Pointer;
import org.spice.display.internal.codec.ImageLimits;

/** A still picture from a PNG or JPEG file. */
public final class ImageSource implements DisplaySource {
    private final Frame frame;
    private final Pointer pointer;

    public ImageSource(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException("cannot read image " + file);
        }
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException(file + " is not an image ImageIO can read (PNG, JPEG, GIF, BMP)");
        }
        ImageLimits.check(img.getWidth(), img.getHeight(), file.toString());
        int[] rgb = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] &= 0xffffff;
        }
        frame = new Frame(img.getWidth(), img.getHeight(), rgb, 1);
        pointer = Arrow.centredIn(img.getWidth(), img.getHeight());
    }

    /** The arrow at the middle of the picture, still. */
    @Override
    public Pointer pointer() {
        return pointer;
    }

    @Override
    public Frame frame() {
        return frame;
    }

    @Override
    public void addListener(Listener listener) {
        // a still picture never changes
    }

    @Override
    public void removeListener(Listener listener) {
    }
}
