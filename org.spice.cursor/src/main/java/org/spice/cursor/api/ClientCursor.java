package org.spice.cursor.api;

import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/** The cursor the server shows to one client session, as of now. */
@ProviderType
public interface ClientCursor {
    int x();

    int y();

    boolean visible();

    /** The current shape, or null when the server set none. */
    CursorShape shape();

    /** Completes with the first shape the server sets; fails when the channel closes before. */
    CompletableFuture<CursorShape> firstShape();
}
