package org.spice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.spice.client.swing.api.Viewer;

/**
 * The client GUI bundle resolves against the framework's JDK packages (javax.swing, java.awt) and its component
 * registers the Viewer service once the display bundle's client service is there.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ViewerServiceTest extends SpiceContainer {

    @Test
    public void theGuiBundleRegistersTheViewer() throws Exception {
        Viewer viewer = service(Viewer.class);
        ServiceReference<Viewer> ref = context.getServiceReference(Viewer.class);
        assertNotNull(ref);
        assertEquals("org.spice.client.swing", ref.getBundle().getSymbolicName());
        assertEquals(Bundle.ACTIVE, ref.getBundle().getState());
        String display = System.getenv("DISPLAY");
        if (display == null || display.isEmpty()) {
            // Without an X display the viewer says so, which `spice connect` prints instead of a stack trace.
            String why = viewer.unavailable();
            assertNotNull("no display, yet the viewer claims it can open windows", why);
            assertTrue(why, why.contains("DISPLAY is not set"));
        }
    }
}
