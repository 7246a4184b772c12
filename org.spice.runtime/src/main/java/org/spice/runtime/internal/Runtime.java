package org.spice.runtime.internal;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.spice.protocol.client.SpiceClient;

/**
 * What the commands work with: the framework, configuration admin, the client service, and a latch that opens
 * when the runtime stops.
 */
record Runtime(BundleContext context, ConfigurationAdmin configAdmin, SpiceClient client, CountDownLatch stopped,
        PrintStream out, PrintStream err) {
}
