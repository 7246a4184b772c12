package org.spice.runtime.internal;

import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.spice.protocol.client.SpiceClient;


/**
 * Runs the {@code spice} command line on the launcher's main thread. The bnd launcher of the exported runtime
 * registers its arguments as a service property and calls the {@code main.thread} Callable registered here;
 * the Callable's result is the process exit code.
 */
@Component(immediate = true)
public final class SpiceLauncher {
    private final ServiceRegistration<?> registration;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    @Activate
    public SpiceLauncher(BundleContext context,
            @Reference(service = Object.class, target = "(launcher.arguments=*)") Map<String, Object> launcher,
            @Reference ConfigurationAdmin configAdmin, @Reference SpiceClient client) {
        String[] args = (String[]) launcher.get("launcher.arguments");
        Runtime runtime = new Runtime(context, configAdmin, client, stopped, System.out, System.err);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("main.thread", Boolean.TRUE);
        registration = context.registerService(Callable.class, new MainThread(runtime, args), props);
    }

    @Deactivate
    void deactivate() {
        stopped.complete(null);
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping and unregistered it first
        }
    }

    /** A named class, not a lambda: the launcher checks by reflection that call() returns an Integer. */
    static final class MainThread implements Callable<Integer> {
        private final Runtime runtime;
        private final String[] args;

        MainThread(Runtime runtime, String[] args) {
            this.runtime = runtime;
            this.args = args;
        }

        @Override
        public Integer call() {
            return SpiceCli.execute(runtime, args);
        }
    }
}
