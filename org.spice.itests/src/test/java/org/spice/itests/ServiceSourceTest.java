package org.spice.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.spice.desktop.DisplaySource;
import org.spice.desktop.Frame;
import org.spice.desktop.Pointer;
import org.spice.desktop.Rect;

/**
 * {@code source=service:NAME} in configuration org.spice.display: the desktop sources bundle registers a source
 * ranked above the demo that shows the DisplaySource another bundle registers under NAME (as the gateway does), black
 * while there is none.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ServiceSourceTest extends SpiceContainer {
    private static final long WAIT_MS = 20_000;

    @After
    public void showTheDemoAgain() throws Exception {
        configureDisplay();
    }

    @Test
    public void showsTheNamedServiceAndBlackWithoutIt() throws Exception {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("source", "service:itest");
        props.put("streaming.video", "off");
        configAdmin.getConfiguration("org.spice.display", "?").update(props);
        await(() -> "the highest-ranked source is service:itest, not " + shownName(), WAIT_MS,
                () -> "service:itest".equals(shownName()));
        DisplaySource shown = context.getService(context.getServiceReference(DisplaySource.class));

        Frame black = shown.frame();
        assertEquals(640, black.width());
        assertEquals(480, black.height());
        assertTrue("black while no service is named itest", Arrays.stream(black.rgb()).allMatch(p -> p == 0));

        BlockingQueue<Frame> changes = new LinkedBlockingQueue<>();
        shown.addListener(new DisplaySource.Listener() {
            @Override
            public void changed(Frame frame, Rect dirty) {
                changes.add(frame);
            }

            @Override
            public void pointerChanged(Pointer pointer) {
            }
        });

        int[] rgb = new int[8 * 4];
        Arrays.fill(rgb, 0xff0000);
        Frame red = new Frame(8, 4, rgb, 1);
        Hashtable<String, Object> named = new Hashtable<>();
        named.put(DisplaySource.NAME, "itest");
        List<Rect> heads = List.of(new Rect(0, 0, 5, 4), new Rect(5, 0, 3, 2));
        ServiceRegistration<DisplaySource> reg = context.registerService(DisplaySource.class,
                new Still(red, heads), named);
        Frame announced = changes.poll(WAIT_MS, TimeUnit.MILLISECONDS);
        assertEquals("the registered source's frame reaches listeners whole", red, announced);
        assertArrayEquals(rgb, shown.frame().rgb());
        assertEquals("the service's heads (a gateway's VM displays) are shown", heads, shown.heads());

        reg.unregister();
        Frame after = changes.poll(WAIT_MS, TimeUnit.MILLISECONDS);
        assertEquals(640, after.width());
        assertTrue("black again once the service goes", Arrays.stream(shown.frame().rgb()).allMatch(p -> p == 0));
        assertTrue("a new serial, so clients redraw", shown.frame().serial() > black.serial());
        assertEquals(List.of(new Rect(0, 0, 640, 480)), shown.heads());
    }

    private String shownName() {
        ServiceReference<DisplaySource> ref = context.getServiceReference(DisplaySource.class);
        return ref == null ? null : String.valueOf(ref.getProperty(DisplaySource.NAME));
    }

    /** A source showing one frame with these heads. */
    private record Still(Frame frame, List<Rect> heads) implements DisplaySource {
        @Override
        public void addListener(Listener listener) {
        }

        @Override
        public void removeListener(Listener listener) {
        }
    }
}
