package org.spice.cursor.api;

/** The cursor the server shows to one client session, as of now. */
public interface ClientCursor {
    int x();

    int y();

    boolean visible();

    /** The current shape, or null when the server set none. */
    CursorShape shape();
}
