package org.spice.runtime.internal;

import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.spice.cli.CommandContext;
import org.spice.protocol.client.SpiceClient;

/**
 * What the commands work with: the framework, configuration admin, the client service, and a future that
 * completes when the runtime stops.
 */
record Runtime(BundleContext context, ConfigurationAdmin configAdmin, SpiceClient client,
        CompletableFuture<Void> stopped, PrintStream out, PrintStream err) implements CommandContext {
}
