package org.spice.cli;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/** Waits for a component to take a configuration a command just wrote (DS applies it asynchronously). */
public final class ConfiguredService {
    /** How long {@link #await} waits for the configuration to show. */
    private static final int TIMEOUT_SECONDS = 60;

    private ConfiguredService() {
    }

    /**
     * The {@code type} service once its service properties hold every entry of {@code properties} (configuration
     * properties are service properties), or null when none does within 60 s. The limit is
     * generous: Configuration Admin delivers updates on one thread, behind whatever other components it is
     * activating (a runtime just started may be loading FFmpeg's natives there), and a loaded machine slows that.
     */
    public static <S> S await(BundleContext context, Class<S> type, Map<String, ?> properties) throws InterruptedException {
        CompletableFuture<S> configured = new CompletableFuture<>();
        ServiceTracker<S, S> t = new ServiceTracker<>(context, type, null) {
            @Override
            public S addingService(ServiceReference<S> ref) {
                S service = super.addingService(ref);
                check(ref, service);
                return service;
            }

            @Override
            public void modifiedService(ServiceReference<S> ref, S service) {
                check(ref, service);
            }

            private void check(ServiceReference<S> ref, S service) {
                if (properties.entrySet().stream().allMatch(e -> e.getValue().equals(ref.getProperty(e.getKey())))) {
                    configured.complete(service);
                }
            }
        };
        t.open();
        try {
            return configured.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } finally {
            t.close();
        }
    }
}
