package org.spice.gateway.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.spice.cursor.api.ClientCursor;
import org.spice.cursor.api.CursorShape;
import org.spice.display.api.ClientDisplay;
import org.spice.desktop.AbstractDisplaySource;
import org.spice.desktop.Frame;
import org.spice.desktop.Pointer;
import org.spice.desktop.Rect;

/**
 * The VM's picture as our server shows it: the primary surfaces of every display channel of the upstream session,
 * side by side in channel order (top-aligned, black where one is shorter), and the cursor. Each display's heads
 * (its MONITORS_CONFIG, or its whole surface) are heads of the picture, so a viewer shows each VM display, and each
 * output of a QXL device with several, in a window of its own. With one VM display the picture is its surface and
 * the heads are its own, as a direct connection shows them.
 *
 * <p>Changes the upstream displays report are gathered and published as one frame on the gateway's executor, so a
 * burst of draws costs one copy; every viewer's display channel then sends what it has room for (a slow viewer gets
 * fewer, larger updates), and a viewer that joins late starts from the latest frame. A display that gets a surface
 * of another size, its first surface, or a new monitors config lays the picture out again (a frame of another size,
 * so viewers get a new surface and heads). Before the first upstream picture the picture is black
 * ({@value #WIDTH}x{@value #HEIGHT}, serial 0); while the VM is away, its last picture stays, dimmed under a band
 * that says so, and the VM's next picture replaces it whole.
 */
final class GatewaySource extends AbstractDisplaySource implements GatewayInputs.Heads {
    private static final System.Logger LOG = System.getLogger("org.spice.gateway");
    static final int WIDTH = 640;
    static final int HEIGHT = 480;

    /**
     * A head of the picture: its area, and where a position in it goes on the VM, as remote-viewer sends it: the
     * display id (the monitor's index on display channel 0, the channel id on another) and the offset of the head
     * in the picture, subtracted from a position.
     */
    record Head(Rect area, int channelId, int vmDisplayId) {
    }

    /** A display's surface in the picture: the channel, its frame and its heads (areas of that frame). */
    private record Part(int channelId, Frame frame, List<Rect> heads) {
        /** Whether any head shows part of the surface. */
        boolean lit() {
            Rect all = new Rect(0, 0, frame.width(), frame.height());
            return heads.stream().anyMatch(h -> !h.intersect(all).isEmpty());
        }
    }

    private final Executor executor;
    private final Object lock = new Object();
    /** The attached displays and their listeners, by channel id; guarded by {@link #lock}. */
    private final Map<Integer, ClientDisplay> displays = new TreeMap<>();
    private final Map<Integer, Consumer<Rect>> listeners = new HashMap<>();
    /** What changed on each display since the last publication; guarded by {@link #lock}. */
    private final Map<Integer, Rect> dirty = new HashMap<>();
    private boolean relayout;
    private boolean scheduled;
    /** The last surface copied from each display (executor only): a display that did not change is not copied again. */
    private final Map<Integer, Frame> surfaces = new HashMap<>();
    private long serial;
    /** Where each display's surface is in the current frame, by channel id; empty before the first picture. */
    private volatile Map<Integer, Rect> placed = Map.of();
    private volatile List<Head> heads = List.of();
    private volatile boolean toldNoResize;
    /** The upstream shape the current pointer's shape was made from, to keep one Shape instance per image. */
    private CursorShape shapeOf;

    GatewaySource(Executor executor) {
        super(new Frame(WIDTH, HEIGHT, new int[WIDTH * HEIGHT], 0));
        this.executor = executor;
    }

    /** Shows {@code d}, the upstream session's display channel {@code channelId}, from now on, beside the others. */
    void attach(int channelId, ClientDisplay d) {
        Consumer<Rect> listener = r -> changed(channelId, r);
        ClientDisplay old;
        Consumer<Rect> oldListener;
        synchronized (lock) {
            old = displays.put(channelId, d);
            oldListener = listeners.put(channelId, listener);
            relayout = true;
        }
        if (old != null) {
            old.removeChangeListener(oldListener);
        }
        d.addChangeListener(listener);
        Frame p = d.primary();
        changed(channelId, p == null ? new Rect(0, 0, 0, 0) : new Rect(0, 0, p.width(), p.height()));
    }

    /** The channel ids of the displays shown now (attached, with or without a surface). */
    Set<Integer> attached() {
        synchronized (lock) {
            return Set.copyOf(displays.keySet());
        }
    }

    /** Stops showing display channel {@code channelId} (it closed): the others are laid out again without it. */
    void detach(int channelId) {
        ClientDisplay d;
        Consumer<Rect> listener;
        synchronized (lock) {
            d = displays.remove(channelId);
            listener = listeners.remove(channelId);
            dirty.remove(channelId);
        }
        if (d == null) {
            return;
        }
        d.removeChangeListener(listener);
        changed(channelId, new Rect(0, 0, 0, 0));
    }

    /** Stops following every upstream display (the session ended); the last frame stays. */
    void detach() {
        Map<Integer, ClientDisplay> gone;
        Map<Integer, Consumer<Rect>> their;
        synchronized (lock) {
            gone = new HashMap<>(displays);
            their = new HashMap<>(listeners);
            displays.clear();
            listeners.clear();
            dirty.clear();
            relayout = false;
        }
        gone.forEach((id, d) -> d.removeChangeListener(their.get(id)));
    }

    /**
     * The VM went away: stops following its display and shows viewers its last picture dimmed under a band saying
     * the gateway reconnects ({@link AwayBanner}). Called on the gateway's executor.
     */
    void away() {
        detach();
        Frame last = frame();
        Frame banner = AwayBanner.over(last, ++serial);
        show(banner, new Rect(0, 0, banner.width(), banner.height()));
    }

    /** On the upstream display's thread, with the display locked: only schedules. */
    private void changed(int channelId, Rect r) {
        synchronized (lock) {
            if (!displays.containsKey(channelId) && r.isEmpty()) {
                relayout = true; // a display went away
            } else if (displays.containsKey(channelId)) {
                dirty.merge(channelId, r, Rect::union);
            }
            if (scheduled) {
                return;
            }
            scheduled = true;
        }
        executor.execute(this::publish);
    }

    private void publish() {
        Map<Integer, ClientDisplay> now;
        Map<Integer, Rect> changes;
        boolean relaid;
        synchronized (lock) {
            scheduled = false;
            now = new TreeMap<>(displays);
            changes = new HashMap<>(dirty);
            dirty.clear();
            relaid = relayout;
            relayout = false;
        }
        if (now.isEmpty() || (changes.isEmpty() && !relaid)) {
            return;
        }
        surfaces.keySet().retainAll(now.keySet());
        List<Part> parts = new ArrayList<>();
        for (Map.Entry<Integer, ClientDisplay> e : now.entrySet()) {
            int id = e.getKey();
            Frame p = changes.containsKey(id) || !surfaces.containsKey(id) ? e.getValue().primary() : surfaces.get(id);
            if (p == null) {
                surfaces.remove(id);
            } else {
                surfaces.put(id, p);
                parts.add(new Part(id, p, e.getValue().heads()));
            }
        }
        // a display whose monitors config disables every head (the guest turned that output off) is left out,
        // unless no display shows anything: then each is shown whole, as one display always was
        if (parts.stream().anyMatch(Part::lit)) {
            parts.removeIf(part -> !part.lit());
        }
        long width = 0;
        int height = 0;
        for (Iterator<Part> i = parts.iterator(); i.hasNext();) {
            Part part = i.next();
            Frame p = part.frame();
            if (!Frame.fits(width + p.width(), Math.max(height, p.height()))) {
                LOG.log(Level.WARNING, "gateway: the VM's display:" + part.channelId() + " (" + p.width() + "x"
                        + p.height() + ") does not fit beside the others in one picture of at most " + Frame.MAX_SIDE
                        + " pixels a side; not shown");
                i.remove();
                continue;
            }
            width += p.width();
            height = Math.max(height, p.height());
        }
        if (parts.isEmpty()) {
            return;
        }
        Map<Integer, Rect> where = new LinkedHashMap<>();
        List<Head> layout = new ArrayList<>();
        int x = 0;
        for (Part part : parts) {
            Rect block = new Rect(x, 0, part.frame().width(), part.frame().height());
            where.put(part.channelId(), block);
            int monitor = 0;
            boolean any = false;
            for (Rect h : part.heads()) {
                Rect area = h.intersect(new Rect(0, 0, block.width(), block.height()));
                if (!area.isEmpty()) {
                    layout.add(new Head(new Rect(area.x() + x, area.y(), area.width(), area.height()),
                            part.channelId(), part.channelId() == 0 ? monitor : part.channelId()));
                    any = true;
                }
                monitor++;
            }
            if (!any) {
                layout.add(new Head(block, part.channelId(), part.channelId()));
            }
            x += block.width();
        }
        Frame last = frame();
        boolean newLayout = !where.equals(placed) || !layout.equals(heads) || last.serial() == 0
                || last.width() != width || last.height() != height;
        // after the away banner every display is attached again, each announcing its whole surface
        boolean whole = newLayout;
        Frame f;
        Rect area = new Rect(0, 0, 0, 0);
        if (parts.size() == 1) {
            Frame p = parts.get(0).frame();
            f = new Frame(p.width(), p.height(), p.rgb(), ++serial);
            Rect c = changes.get(parts.get(0).channelId());
            area = c == null ? area : c;
        } else {
            int[] rgb = whole ? new int[(int) width * height] : last.rgb().clone();
            for (Part part : parts) {
                Rect block = where.get(part.channelId());
                Rect c = whole ? new Rect(0, 0, block.width(), block.height()) : changes.get(part.channelId());
                if (c == null) {
                    continue;
                }
                c = c.intersect(new Rect(0, 0, block.width(), block.height()));
                int[] src = part.frame().rgb();
                for (int row = c.y(); row < c.bottom(); row++) {
                    System.arraycopy(src, row * block.width() + c.x(), rgb, row * (int) width + block.x() + c.x(),
                            c.width());
                }
                area = area.union(new Rect(block.x() + c.x(), c.y(), c.width(), c.height()));
            }
            f = new Frame((int) width, height, rgb, ++serial);
        }
        if (newLayout && (parts.size() > 1 || layout.size() > 1 || placed.size() > 1 || heads.size() > 1)) {
            LOG.log(Level.INFO, "gateway: showing " + layout.size() + " head(s) in one " + width + "x" + height
                    + " picture: " + layout.stream().map(h -> "display:" + h.channelId() + " " + h.area().width()
                            + "x" + h.area().height() + "+" + h.area().x() + "+" + h.area().y()).toList());
        }
        placed = Map.copyOf(where);
        heads = List.copyOf(layout); // before the frame: a viewer told of the frame reads these heads
        Rect all = new Rect(0, 0, f.width(), f.height());
        area = whole ? all : area.intersect(all);
        if (area.isEmpty()) {
            setFrame(f);
        } else {
            show(f, area);
        }
    }

    @Override
    public List<Rect> heads() {
        List<Head> h = heads;
        return h.isEmpty() ? super.heads() : h.stream().map(Head::area).toList();
    }

    /** The heads of the current picture and where positions in them go on the VM; empty before the first picture. */
    List<Head> layout() {
        return heads;
    }

    /**
     * Viewers' monitors configs are not passed on: in a direct connection they go to the guest's agent, which the
     * gateway does not relay; the VM keeps its resolution.
     */
    @Override
    public boolean resize(int width, int height) {
        return refuseResize();
    }

    @Override
    public boolean resize(List<Rect> heads) {
        return refuseResize();
    }

    private boolean refuseResize() {
        if (!toldNoResize) {
            toldNoResize = true;
            LOG.log(Level.INFO, "gateway: a viewer asked for another resolution or other monitors; not passed on to"
                    + " the VM (that goes to the guest's agent, which the gateway does not relay)");
        }
        return false;
    }

    @Override
    public GatewayInputs.Position inPicture(int displayId, int x, int y) {
        List<Head> h = heads;
        if (h.isEmpty()) {
            return new GatewayInputs.Position(displayId, x, y);
        }
        // remote-viewer numbers a head's positions from its corner, with the head's index as the display id; our
        // client sends positions in the whole surface of display 0 (the first head starts at the picture's corner)
        if (displayId > 0 && displayId < h.size()) {
            Rect a = h.get(displayId).area();
            return new GatewayInputs.Position(-1, a.x() + x, a.y() + y);
        }
        return new GatewayInputs.Position(-1, x, y);
    }

    @Override
    public GatewayInputs.Position onVm(GatewayInputs.Position p) {
        List<Head> h = heads;
        if (h.isEmpty()) {
            return new GatewayInputs.Position(Math.max(0, p.displayId()), p.x(), p.y());
        }
        Head best = h.get(0);
        long bestDistance = Long.MAX_VALUE;
        for (Head head : h) {
            long d = distance(head.area(), p.x(), p.y());
            if (d < bestDistance) {
                best = head;
                bestDistance = d;
            }
        }
        Rect a = best.area();
        return new GatewayInputs.Position(best.vmDisplayId(), clamp(p.x() - a.x(), a.width()),
                clamp(p.y() - a.y(), a.height()));
    }

    private static long distance(Rect r, int x, int y) {
        long dx = x < r.x() ? r.x() - (long) x : x >= r.right() ? (long) x - r.right() + 1 : 0;
        long dy = y < r.y() ? r.y() - (long) y : y >= r.bottom() ? (long) y - r.bottom() + 1 : 0;
        return dx * dx + dy * dy;
    }

    private static int clamp(int v, int size) {
        return Math.max(0, Math.min(size - 1, v));
    }

    /**
     * Takes the upstream cursor's state (polled on the gateway's executor); tells listeners when it changed. The VM's
     * cursor channel 0 follows its display 0, so the pointer is placed where display 0 is in the picture.
     */
    void cursor(ClientCursor c) {
        Pointer next = null;
        CursorShape s = c == null ? null : c.shape();
        if (s != null) {
            Pointer.Shape shape;
            Pointer now = pointer();
            if (s == shapeOf && now != null) {
                shape = now.shape();
            } else {
                try {
                    shape = new Pointer.Shape(s.width(), s.height(), s.hotX(), s.hotY(), s.argb());
                } catch (IllegalArgumentException tooBigOrEmpty) {
                    shape = null;
                }
                shapeOf = s;
            }
            Rect display0 = placed.get(0);
            int dx = display0 == null ? 0 : display0.x();
            next = shape == null ? null : new Pointer(c.x() + dx, c.y(), c.visible(), shape);
        }
        showPointer(next);
    }
}
