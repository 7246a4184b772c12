package org.spice.client.swing.internal;

import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.datatransfer.DataFlavor;
import java.awt.datatransfer.Transferable;
import java.awt.datatransfer.UnsupportedFlavorException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Clipboard images between the local clipboard (AWT images) and the agent (PNG, the image type every agent that
 * shares images takes), within bounds: an image from the agent is a guest's data, and a local one can be anything.
 */
final class ClipboardImages {
    /** The largest PNG taken from or given to the agent. */
    static final int MAX_PNG_BYTES = 64 << 20;
    /** The widest and tallest image taken or given. */
    static final int MAX_SIDE = 16384;

    private ClipboardImages() {
    }

    /**
     * The image in {@code png}, its size checked against the bounds before its pixels are allocated.
     *
     * @throws IOException when it is no PNG, or is too large (the message says why)
     */
    static BufferedImage decode(byte[] png) throws IOException {
        if (png.length > MAX_PNG_BYTES) {
            throw new IOException("a PNG of " + png.length + " bytes is over the limit of " + MAX_PNG_BYTES);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
            if (in == null || !readers.hasNext()) {
                throw new IOException("no PNG reader");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                checkSize(width, height);
                return reader.read(0);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new IOException("not a readable PNG: " + e.getMessage(), e);
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * {@code image} as a PNG.
     *
     * @throws IOException when it is too large, or cannot be drawn
     */
    static byte[] encode(Image image) throws IOException {
        int width = image.getWidth(null);
        int height = image.getHeight(null);
        if (width <= 0 || height <= 0) {
            throw new IOException("the image has no size yet");
        }
        checkSize(width, height);
        BufferedImage b = toBuffered(image);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(b, "png", out)) {
            throw new IOException("no PNG writer");
        }
        if (out.size() > MAX_PNG_BYTES) {
            throw new IOException("its PNG of " + out.size() + " bytes is over the limit of " + MAX_PNG_BYTES);
        }
        return out.toByteArray();
    }

    /**
     * What tells two images apart cheaply enough to do once a second: their size and a hash of their pixels (an
     * image taken from the agent comes back from the local clipboard as an equal image, not the same object).
     */
    static String fingerprint(Image image) {
        BufferedImage b = toBuffered(image);
        int[] row = new int[b.getWidth()];
        int hash = 1;
        for (int y = 0; y < b.getHeight(); y++) {
            hash = 31 * hash + Arrays.hashCode(b.getRGB(0, y, row.length, 1, row, 0, row.length));
        }
        return b.getWidth() + "x" + b.getHeight() + ":" + hash;
    }

    private static void checkSize(int width, int height) throws IOException {
        if (width > MAX_SIDE || height > MAX_SIDE) {
            throw new IOException("an image of " + width + "x" + height + " is over the limit of " + MAX_SIDE + "x"
                    + MAX_SIDE);
        }
    }

    private static BufferedImage toBuffered(Image image) {
        if (image instanceof BufferedImage b) {
            return b;
        }
        BufferedImage b = new BufferedImage(image.getWidth(null), image.getHeight(null),
                BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = b.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return b;
    }

    /** An image for the local clipboard. */
    static final class Selection implements Transferable {
        private final Image image;

        Selection(Image image) {
            this.image = image;
        }

        @Override
        public DataFlavor[] getTransferDataFlavors() {
            return new DataFlavor[] {DataFlavor.imageFlavor};
        }

        @Override
        public boolean isDataFlavorSupported(DataFlavor flavor) {
            return DataFlavor.imageFlavor.equals(flavor);
        }

        @Override
        public Object getTransferData(DataFlavor flavor) throws UnsupportedFlavorException {
            if (!isDataFlavorSupported(flavor)) {
                throw new UnsupportedFlavorException(flavor);
            }
            return image;
        }
    }
}
