package org.spice.cli;

import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.osgi.annotation.versioning.ProviderType;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.spice.protocol.client.SpiceClient;

/**
 * What a command works with: the framework, configuration admin, the client service, the command line's output
 * and a future that completes when the runtime stops. The runtime provides it.
 */
@ProviderType
public interface CommandContext {
    BundleContext context();

    ConfigurationAdmin configAdmin();

    SpiceClient client();

    /** Completes when the runtime stops (the process is ending). */
    CompletableFuture<Void> stopped();

    PrintStream out();

    PrintStream err();

    /** Blocks until the runtime stops. */
    default void awaitStop() throws InterruptedException {
        try {
            stopped().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the runtime's stop failed", e.getCause());
        }
    }
}
