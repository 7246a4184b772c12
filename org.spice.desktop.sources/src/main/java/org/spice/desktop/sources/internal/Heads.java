package org.spice.desktop.sources.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.spice.desktop.Rect;

/** The heads (monitors) a source of several shows: the {@code monitors} key and how a picture splits into them. */
final class Heads {
    /** The configuration key of {@code org.spice.display} with the number of heads of the demo and screen sources. */
    static final String KEY = "monitors";
    /**
     * The most heads a source offers: more than desktops use, few enough that each head of the demo still gets
     * 256 pixels of its largest side.
     */
    static final int MAX = 16;

    private Heads() {
    }

    /**
     * The number of heads the configuration asks for (1 when it names none).
     *
     * @throws IllegalArgumentException when it is not a whole number within 1..{@value #MAX}
     */
    static int configured(Map<String, ?> config) {
        Object v = config.get(KEY);
        if (v == null) {
            return 1;
        }
        int n;
        try {
            n = v instanceof Number num ? num.intValue() : Integer.parseInt(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(KEY + " '" + v + "' is not a number of heads (1.." + MAX + ")");
        }
        if (n < 1 || n > MAX) {
            throw new IllegalArgumentException(KEY + " " + n + " outside 1.." + MAX);
        }
        return n;
    }

    /**
     * {@code n} heads side by side over a picture of {@code width} x {@code height}, as equal as whole pixels
     * allow (the last takes what is left), as a guest spreads one desktop over the outputs of its device.
     */
    static List<Rect> columns(int width, int height, int n) {
        List<Rect> heads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int x = (int) ((long) width * i / n);
            int right = (int) ((long) width * (i + 1) / n);
            heads.add(new Rect(x, 0, right - x, height));
        }
        return List.copyOf(heads);
    }
}
