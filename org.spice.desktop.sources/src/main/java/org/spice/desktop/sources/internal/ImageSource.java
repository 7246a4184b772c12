package org.spice.desktop.sources.internal;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.spice.desktop.DisplaySource;
import org.spice.desktop.Frame;
import org.spice.desktop.Pointer;

/**
 * A still picture from a PNG or JPEG file. A factory component: {@link SelectedSource} makes one for
 * {@code source=image:PATH}, ranked above the demo, so the display, cursor and agent take it.
 */
@Component(factory = ImageSource.FACTORY, service = DisplaySource.class,
        property = {DisplaySource.NAME + "=image", "service.ranking:Integer=" + SelectedSource.RANKING})
public final class ImageSource implements DisplaySource {
    static final String FACTORY = "org.spice.desktop.source.image";
    /** The factory instance's property holding the file's path. */
    static final String PATH = "path";

    private final Frame frame;
    private final Pointer pointer;

    @Activate
    public ImageSource(Map<String, Object> properties) throws IOException {
        this(Path.of((String) properties.get(PATH)));
    }

    /** The picture in {@code file}, outside a framework (tests). */
    public static ImageSource of(Path file) throws IOException {
        return new ImageSource(file);
    }

    private ImageSource(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException("cannot read image " + file);
        }
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException(file + " is not an image ImageIO can read (PNG, JPEG, GIF, BMP)");
        }
        if (!Frame.fits(img.getWidth(), img.getHeight())) {
            throw new IOException(file + ": picture of " + img.getWidth() + "x" + img.getHeight()
                    + " pixels, more than a display shows (" + Frame.MAX_SIDE + " per side, " + Frame.MAX_PIXELS
                    + " pixels)");
        }
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
