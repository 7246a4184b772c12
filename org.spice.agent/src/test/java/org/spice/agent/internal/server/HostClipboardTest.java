package org.spice.agent.internal.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Image;
import java.awt.datatransfer.Clipboard;
import java.awt.datatransfer.DataFlavor;
import java.awt.datatransfer.StringSelection;
import java.awt.datatransfer.Transferable;
import java.awt.datatransfer.UnsupportedFlavorException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.spice.agent.api.ClipboardContent;
import org.spice.agent.api.ClipboardType;

/**
 * The host clipboard bridge on an AWT clipboard of its own (what the system clipboard is with a display): another
 * program's copy is seen and announced once, what is set is there for other programs, and an image that this
 * bridge set is not announced again when it is read back.
 */
class HostClipboardTest {

    static Transferable image(BufferedImage img) {
        return new Transferable() {
            public DataFlavor[] getTransferDataFlavors() {
                return new DataFlavor[] {DataFlavor.imageFlavor};
            }

            public boolean isDataFlavorSupported(DataFlavor f) {
                return DataFlavor.imageFlavor.equals(f);
            }

            public Object getTransferData(DataFlavor f) throws UnsupportedFlavorException {
                if (!isDataFlavorSupported(f)) {
                    throw new UnsupportedFlavorException(f);
                }
                return img;
            }
        };
    }

    @Test
    void textAndImagesBothWays() throws Exception {
        Clipboard host = new Clipboard("test");
        HostClipboard c = new HostClipboard(host, 1 << 20);
        LinkedBlockingQueue<ClipboardContent> heard = new LinkedBlockingQueue<>();
        c.addListener(heard::add);
        try {
            assertNull(heard.poll(500, TimeUnit.MILLISECONDS), "an empty clipboard is nothing to announce");

            // another program copies text: announced once
            host.setContents(new StringSelection("copied elsewhere"), null);
            assertEquals(ClipboardContent.text("copied elsewhere"), heard.poll(5, TimeUnit.SECONDS));
            assertNull(heard.poll(1, TimeUnit.SECONDS));
            assertEquals(ClipboardContent.text("copied elsewhere"), c.get());

            // a client's text: on the host clipboard for other programs, announced by set itself, not read back
            c.set(ClipboardContent.text("from a client"));
            assertEquals(ClipboardContent.text("from a client"), heard.poll(1, TimeUnit.SECONDS));
            assertEquals("from a client", host.getData(DataFlavor.stringFlavor));
            assertNull(heard.poll(1, TimeUnit.SECONDS));

            // another program copies an image: announced as PNG with its pixels
            BufferedImage img = new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB);
            img.setRGB(3, 4, 0x123456);
            host.setContents(image(img), null);
            ClipboardContent png = heard.poll(6, TimeUnit.SECONDS);
            assertNotNull(png, "the image was not seen");
            assertEquals(ClipboardType.IMAGE_PNG, png.type());
            BufferedImage back = ImageIO.read(new ByteArrayInputStream(png.data()));
            assertEquals(0x123456, back.getRGB(3, 4) & 0xffffff);
            assertNull(heard.poll(3, TimeUnit.SECONDS), "the same image announced again");

            // a client's image, set here, then read back as if this bridge had lost the clipboard: not announced
            c.set(png);
            assertEquals(png, heard.poll(1, TimeUnit.SECONDS));
            Image onHost = (Image) host.getData(DataFlavor.imageFlavor);
            assertEquals(30, onHost.getWidth(null));
            c.lostOwnership(host, null);
            assertNull(heard.poll(3, TimeUnit.SECONDS), "its own image came back as new");
            assertArrayEquals(png.data(), c.get().data());
            assertTrue(c.get().equals(png));
        } finally {
            c.close();
        }
    }
}
