package org.spice.runtime.internal;

import org.spice.desktop.AbstractDisplaySource;
import org.spice.desktop.Frame;

/**
 * What {@code spice replay} shows: the picture and pointer of a recording as far as it has been played (the replay's
 * thread calls {@link #show} and {@link #showPointer}). The server's display channel serves it like any source, so
 * every viewer gets the current picture encoded for its own capabilities at once, whenever it joins.
 */
final class ReplaySource extends AbstractDisplaySource {
    ReplaySource(Frame first) {
        super(first);
    }
}
