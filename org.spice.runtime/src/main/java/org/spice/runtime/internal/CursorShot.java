package org.spice.runtime.internal;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.util.tracker.ServiceTracker;
import org.spice.cli.CommandContext;
import org.spice.cursor.api.ClientCursor;
import org.spice.cursor.api.ClientCursors;
import org.spice.cursor.api.CursorShape;
import org.spice.protocol.client.ClientSession;

/** {@code screenshot --cursor}: the only use of the cursor API in the runtime, which imports it dynamically. */
final class CursorShot {
    private CursorShot() {
    }

    /**
     * Waits (until {@code deadline}) for a cursor shape on the session's cursor channel, writes it to {@code cursorOut}
     * and prints "cursor: X,Y hot HX,HY WxH visible|hidden".
     */
    static boolean write(CommandContext rt, ClientSession session, long deadline, Path cursorOut, int waitSeconds,
            long quietMs) throws Exception {
        ServiceTracker<ClientCursors, ClientCursors> ct = new ServiceTracker<>(rt.context(), ClientCursors.class, null);
        ct.open();
        try {
            ClientCursors cursors = ct.waitForService(
                    Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (cursors == null) {
                rt.err().println("error: no cursor shape from the server within " + waitSeconds
                        + " s (the cursor bundle is not running)");
                return false;
            }
            ClientCursor c;
            try {
                long left = Math.max(1, deadline - System.nanoTime());
                c = cursors.linked(session).thenCompose(linked -> linked.firstShape().thenApply(s -> linked))
                        .get(left, TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                rt.err().println("error: no cursor shape from the server within " + waitSeconds + " s"
                        + (e instanceof ExecutionException ? " (" + e.getCause().getMessage() + ")" : ""));
                return false;
            }
            Thread.sleep(quietMs); // a guest may move or reshape it right after setting it
            CursorShape shape = c.shape() != null ? c.shape() : c.firstShape().join(); // reset meanwhile
            PngFile.write(cursorOut, shape.width(), shape.height(), shape.argb(), true);
            rt.out().println("cursor: " + c.x() + "," + c.y() + " hot " + shape.hotX() + "," + shape.hotY() + " "
                    + shape.width() + "x" + shape.height() + " " + (c.visible() ? "visible" : "hidden") + " -> "
                    + cursorOut);
            return true;
        } finally {
            ct.close();
        }
    }

}
