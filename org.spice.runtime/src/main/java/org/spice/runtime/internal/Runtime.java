package org.spice.runtime.internal;

import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.spice.protocol.client.SpiceClient;

/**
 * What the commands work with: the framework, configuration admin, the client service, and a future that
 * completes when the runtime stops.
 */
record Runtime(BundleContext context, ConfigurationAdmin configAdmin, SpiceClient client,
        CompletableFuture<Void> stopped, PrintStream out, PrintStream err) {
    /** Blocks until the runtime stops. */
    void awaitStop() throws InterruptedException {
        try {
            stopped.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the runtime's stop failed", e.getCause());
        }
    }
}
