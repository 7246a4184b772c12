package org.spice.desktop.x11.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.io.IOException;
import java.lang.System.Logger.Level;
import org.osgi.service.component.annotations.Component;
import org.spice.desktop.Rect;
import org.spice.desktop.ScreenCapture;

/**
 * This host's X11 screen read through the MIT-SHM extension: the X server copies the area into a shared memory
 * segment and the pixels are copied from there into the caller's array, one memory copy, where AWT's Robot has
 * the server send them over its socket and converts them twice. libX11, libXext and libc are called through JNA's
 * direct mapping; they load at the first {@link #open}, so a runtime that never captures a screen never loads them.
 * Each grab has a display connection of its own (Xlib connections are not shared between threads here). An X error
 * on it (a refused attach) goes to the process's Xlib error handler: the screen source creates AWT's Robot before it
 * opens a grab, and AWT's toolkit installs a handler that logs and returns where Xlib's default would end the
 * process; the failed call's result then says what went wrong.
 */
@Component(service = ScreenCapture.class)
public final class X11ScreenCapture implements ScreenCapture {
    private static final System.Logger LOG = System.getLogger("org.spice.desktop.x11");
    private static final int ZPIXMAP = 2;
    private static final int LSB_FIRST = 0;
    private static final int IPC_PRIVATE = 0;
    private static final int IPC_CREAT = 01000;
    private static final int IPC_RMID = 0;
    private static final NativeLong ALL_PLANES = new NativeLong(-1L);

    /** Why the libraries did not load, or null when they did: the first open loads them. */
    private static final class Natives {
        static final String FAILURE = load();

        private static String load() {
            try {
                Native.register(Xlib.class, NativeLibrary.getInstance("X11"));
                Native.register(Xext.class, NativeLibrary.getInstance("Xext"));
                Native.register(Libc.class, NativeLibrary.getInstance("c"));
                return null;
            } catch (LinkageError | RuntimeException e) {
                LOG.log(Level.WARNING, "libX11, libXext or JNA did not load, so the screen is captured with AWT's"
                        + " Robot: " + e);
                return e.toString();
            }
        }
    }

    private static final class Xlib {
        static native Pointer XOpenDisplay(String name);

        static native int XCloseDisplay(Pointer display);

        static native int XDefaultScreen(Pointer display);

        static native NativeLong XRootWindow(Pointer display, int screen);

        static native Pointer XDefaultVisual(Pointer display, int screen);

        static native int XDefaultDepth(Pointer display, int screen);

        static native int XDisplayWidth(Pointer display, int screen);

        static native int XDisplayHeight(Pointer display, int screen);

        static native int XSync(Pointer display, int discard);

        static native int XFree(Pointer data);
    }

    private static final class Xext {
        static native int XShmQueryExtension(Pointer display);

        static native Pointer XShmCreateImage(Pointer display, Pointer visual, int depth, int format, Pointer data,
                SegmentInfo info, int width, int height);

        static native int XShmAttach(Pointer display, SegmentInfo info);

        static native int XShmDetach(Pointer display, SegmentInfo info);

        static native int XShmGetImage(Pointer display, NativeLong drawable, Pointer image, int x, int y,
                NativeLong planeMask);
    }

    private static final class Libc {
        static native int shmget(int key, NativeLong size, int flags) throws LastErrorException;

        static native Pointer shmat(int id, Pointer address, int flags) throws LastErrorException;

        static native int shmdt(Pointer address);

        static native int shmctl(int id, int command, Pointer buffer);
    }

    /** XShmSegmentInfo. */
    @Structure.FieldOrder({"shmseg", "shmid", "shmaddr", "readOnly"})
    public static final class SegmentInfo extends Structure {
        public NativeLong shmseg;
        public int shmid;
        public Pointer shmaddr;
        public int readOnly;
    }

    /** The first fields of XImage, up to the colour masks: what is read and the data pointer that is set. */
    @Structure.FieldOrder({"width", "height", "xoffset", "format", "data", "byteOrder", "bitmapUnit",
            "bitmapBitOrder", "bitmapPad", "depth", "bytesPerLine", "bitsPerPixel", "redMask", "greenMask",
            "blueMask"})
    public static final class XImage extends Structure {
        public int width;
        public int height;
        public int xoffset;
        public int format;
        public Pointer data;
        public int byteOrder;
        public int bitmapUnit;
        public int bitmapBitOrder;
        public int bitmapPad;
        public int depth;
        public int bytesPerLine;
        public int bitsPerPixel;
        public NativeLong redMask;
        public NativeLong greenMask;
        public NativeLong blueMask;

        public XImage(Pointer p) {
            super(p);
            read();
        }
    }

    @Override
    public String describe() {
        return "X11 shared memory (MIT-SHM)";
    }

    @Override
    public Grab open(Rect area) throws IOException {
        String display = System.getenv("DISPLAY");
        String why = notLocal(display);
        if (why != null) {
            throw new IOException(why);
        }
        if (Natives.FAILURE != null) {
            throw new IOException("libX11, libXext or JNA did not load: " + Natives.FAILURE);
        }
        Pointer dpy = Xlib.XOpenDisplay(null);
        if (dpy == null) {
            throw new IOException("cannot open the display " + display);
        }
        ShmGrab grab = new ShmGrab(dpy, area);
        try {
            grab.attach(display);
            return grab;
        } catch (IOException | RuntimeException e) {
            grab.close();
            throw e;
        }
    }

    /**
     * Why shared memory cannot serve {@code display} (a DISPLAY value), or null when it is local: a display reached
     * over TCP (ssh's forwarding, another host) has no memory in common with this process.
     */
    static String notLocal(String display) {
        if (display == null || display.isEmpty()) {
            return "DISPLAY is not set";
        }
        if (display.startsWith(":") || display.startsWith("unix:")) {
            return null;
        }
        return "DISPLAY=" + display + " is reached over the network: X11 shared memory needs a local display";
    }

    /** Whether an XImage of this layout holds 0x__RRGGBB ints as this JVM reads them. */
    static String unreadable(int depth, int bitsPerPixel, int byteOrder, long red, long green, long blue) {
        if (bitsPerPixel == 32 && depth >= 24 && byteOrder == LSB_FIRST && red == 0xff0000L && green == 0xff00L
                && blue == 0xffL) {
            return null;
        }
        return "a screen of depth " + depth + " at " + bitsPerPixel + " bits a pixel (byte order " + byteOrder
                + ", masks " + Long.toHexString(red) + "/" + Long.toHexString(green) + "/" + Long.toHexString(blue)
                + "): only 32-bit little-endian RGB is read";
    }

    /** One area's XImage in one shared memory segment on one display connection. */
    private static final class ShmGrab implements Grab {
        private final Pointer dpy;
        private final Rect area;
        private final SegmentInfo info = new SegmentInfo();
        private NativeLong root;
        private Pointer image;
        private Pointer memory;
        private int bytesPerLine;
        private boolean attached;
        private boolean closed;

        ShmGrab(Pointer dpy, Rect area) {
            this.dpy = dpy;
            this.area = area;
        }

        void attach(String display) throws IOException {
            if (Xext.XShmQueryExtension(dpy) == 0) {
                throw new IOException("the X server of " + display + " has no MIT-SHM extension");
            }
            int screen = Xlib.XDefaultScreen(dpy);
            int sw = Xlib.XDisplayWidth(dpy, screen);
            int sh = Xlib.XDisplayHeight(dpy, screen);
            if (area.isEmpty() || area.x() < 0 || area.y() < 0 || area.right() > sw || area.bottom() > sh) {
                throw new IOException("area " + area + " outside the " + sw + "x" + sh + " screen of " + display);
            }
            root = Xlib.XRootWindow(dpy, screen);
            image = Xext.XShmCreateImage(dpy, Xlib.XDefaultVisual(dpy, screen), Xlib.XDefaultDepth(dpy, screen),
                    ZPIXMAP, null, info, area.width(), area.height());
            if (image == null) {
                throw new IOException("XShmCreateImage refused a " + area.width() + "x" + area.height() + " image");
            }
            XImage layout = new XImage(image);
            String why = unreadable(layout.depth, layout.bitsPerPixel, layout.byteOrder, layout.redMask.longValue(),
                    layout.greenMask.longValue(), layout.blueMask.longValue());
            if (why != null) {
                throw new IOException(why);
            }
            bytesPerLine = layout.bytesPerLine;
            if (bytesPerLine < area.width() * 4) {
                throw new IOException("XImage rows of " + bytesPerLine + " bytes for " + area.width() + " pixels");
            }
            long bytes = (long) bytesPerLine * area.height();
            int id;
            try {
                id = Libc.shmget(IPC_PRIVATE, new NativeLong(bytes), IPC_CREAT | 0600);
            } catch (LastErrorException e) {
                throw new IOException("no shared memory segment of " + bytes + " bytes: " + e.getMessage(), e);
            }
            try {
                memory = Libc.shmat(id, null, 0);
            } catch (LastErrorException e) {
                Libc.shmctl(id, IPC_RMID, null);
                throw new IOException("cannot map the shared memory segment: " + e.getMessage(), e);
            }
            info.shmid = id;
            info.shmaddr = memory;
            info.readOnly = 0;
            info.write();
            layout.data = memory;
            layout.writeField("data");
            int ok = Xext.XShmAttach(dpy, info);
            Xlib.XSync(dpy, 0);
            // marked for removal now: the segment goes when both this process and the X server let it go, even if
            // this process dies first
            Libc.shmctl(info.shmid, IPC_RMID, null);
            if (ok == 0) {
                throw new IOException("the X server of " + display + " did not attach the shared memory");
            }
            attached = true;
            // A first read: a server that cannot see this process's memory fails here, not at the first frame.
            read(new int[area.width() * area.height()]);
        }

        @Override
        public void read(int[] into) throws IOException {
            int w = area.width();
            int h = area.height();
            if (into.length != w * h) {
                throw new IllegalArgumentException(into.length + " ints for a " + w + "x" + h + " area");
            }
            if (Xext.XShmGetImage(dpy, root, image, area.x(), area.y(), ALL_PLANES) == 0) {
                throw new IOException("XShmGetImage failed (the screen changed size or went away)");
            }
            if (bytesPerLine == w * 4) {
                memory.read(0, into, 0, w * h);
            } else {
                for (int y = 0; y < h; y++) {
                    memory.read((long) y * bytesPerLine, into, y * w, w);
                }
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (attached) {
                Xext.XShmDetach(dpy, info);
                Xlib.XSync(dpy, 0);
                attached = false;
            }
            if (image != null) {
                Xlib.XFree(image); // the struct only: its data is the segment, let go below
                image = null;
            }
            if (memory != null) {
                Libc.shmdt(memory);
                memory = null;
            }
            Xlib.XCloseDisplay(dpy);
        }
    }
}
