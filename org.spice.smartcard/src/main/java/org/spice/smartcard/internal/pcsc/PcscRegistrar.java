package org.spice.smartcard.internal.pcsc;

import java.lang.System.Logger.Level;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.spice.smartcard.api.PcscReaders;

/**
 * Registers {@link PcscReaders} when javax.smartcardio is wired to this bundle (its import is optional), so that
 * a framework without the java.smartcardio module runs the smartcard channel with emulated cards only.
 */
@Component
public final class PcscRegistrar {
    private static final System.Logger LOG = System.getLogger("org.spice.smartcard");
    private final ServiceRegistration<PcscReaders> registration;

    @Activate
    public PcscRegistrar(BundleContext bc) {
        ServiceRegistration<PcscReaders> r = null;
        try {
            Class.forName("javax.smartcardio.TerminalFactory", false, PcscRegistrar.class.getClassLoader());
            r = bc.registerService(PcscReaders.class, new PcscCardReaders(), null);
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.log(Level.INFO, "PC/SC pass-through is off: javax.smartcardio is not available (" + e + ")");
        }
        registration = r;
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
        }
    }
}
