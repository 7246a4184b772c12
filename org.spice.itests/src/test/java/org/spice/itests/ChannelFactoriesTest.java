package org.spice.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWiring;
import org.spice.protocol.ChannelType;
import org.spice.protocol.client.SpiceClient;
import org.spice.protocol.server.SpiceServer;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.spi.ServerChannelFactory;
import org.spice.protocol.spi.SpiceChannel;

/**
 * Every channel bundle registers its client and server factories as services carrying {@code spice.channel.type}
 * (an Integer, equal to the factory's own channel type); main is built into org.spice.protocol.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ChannelFactoriesTest extends SpiceContainer {

    @Test
    public void everySpiceBundleIsActive() {
        List<String> spice = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().startsWith("org.spice.")) {
                spice.add(b.getSymbolicName());
                assertEquals(b.getSymbolicName() + " state", Bundle.ACTIVE, b.getState());
            }
        }
        assertTrue("bundles under test: " + spice,
                spice.containsAll(List.of("org.spice.protocol", "org.spice.display", "org.spice.cursor")));
    }

    /**
     * No bnd baseline exists to compare against (nothing is released), so this checks what it can: every package a
     * SPICE bundle exports carries the version its package-info.java gives, none the 0.0.0 of a forgotten one.
     */
    @Test
    public void everyExportedSpicePackageCarriesAVersion() {
        List<String> checked = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (!b.getSymbolicName().startsWith("org.spice.")) {
                continue;
            }
            for (BundleCapability c : b.adapt(BundleWiring.class).getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
                String pkg = (String) c.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
                Version v = (Version) c.getAttributes().get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE);
                if (pkg.startsWith("org.spice.")) {
                    checked.add(pkg);
                    assertTrue(b.getSymbolicName() + " exports " + pkg + " at " + v, v.compareTo(new Version(0, 1, 0))
                            >= 0);
                }
            }
        }
        assertTrue("exported packages checked: " + checked, checked.contains("org.spice.protocol.spi"));
    }

    /** Channel types whose server role is offered only when configured (here it is not). */
    private static final Set<Integer> CLIENT_ONLY = Set.of(ChannelType.WEBDAV);

    @Test
    public void channelFactoriesAreServicesWithTheirChannelType() throws Exception {
        service(SpiceClient.class); // SCR has processed the bundles
        Map<String, Set<Integer>> server = byBundle(ServerChannelFactory.class);
        Map<String, Set<Integer>> client = byBundle(ClientChannelFactory.class);

        assertEquals("server factories of org.spice.display", Set.of(ChannelType.DISPLAY),
                server.get("org.spice.display"));
        assertEquals("client factories of org.spice.display", Set.of(ChannelType.DISPLAY),
                client.get("org.spice.display"));
        assertEquals("server factories of org.spice.cursor", Set.of(ChannelType.CURSOR),
                server.get("org.spice.cursor"));
        assertEquals("client factories of org.spice.cursor", Set.of(ChannelType.CURSOR),
                client.get("org.spice.cursor"));

        // Any other channel bundle (inputs, playback, record...): both roles, for the same channel types, and a
        // bundle named after a channel provides that channel.
        assertEquals("channel bundles with server factories vs. client factories", server.keySet(),
                client.keySet());
        for (String bsn : server.keySet()) {
            // Folder sharing (WEBDAV, in the tunnel bundle): our server offers the channel only when configured
            // (org.spice.tunnel.webdav, ./spice server --webdav HOST), as spice-server only when QEMU has the port.
            Set<Integer> clientTypes = new java.util.TreeSet<>(client.get(bsn));
            clientTypes.removeAll(CLIENT_ONLY);
            assertEquals(bsn + ": channel types of its server and client factories", server.get(bsn), clientTypes);
            int named = ChannelType.parse(bsn.substring(bsn.lastIndexOf('.') + 1));
            if (named > 0) {
                assertTrue(bsn + " provides channel " + named + ": " + server.get(bsn),
                        server.get(bsn).contains(named));
            }
        }
        // Main is built in: no bundle registers a factory for it, and the server offers it.
        server.values().forEach(types -> assertFalse("main registered as a service", types.contains(ChannelType.MAIN)));
        client.values().forEach(types -> assertFalse("main registered as a service", types.contains(ChannelType.MAIN)));
        SpiceServer s = startServer();
        assertTrue("server offers " + s.offeredChannels(),
                s.offeredChannels().containsAll(List.of("main:0", "display:0", "cursor:0")));
    }

    /** The factories of {@code type} by registering bundle, checking each one's service property on the way. */
    private <T> Map<String, Set<Integer>> byBundle(Class<T> type) throws Exception {
        Map<String, Set<Integer>> out = new TreeMap<>();
        for (ServiceReference<T> ref : context.getServiceReferences(type, null)) {
            Object prop = ref.getProperty(SpiceChannel.CHANNEL_TYPE);
            String bsn = ref.getBundle().getSymbolicName();
            assertNotNull(bsn + " registers a " + type.getSimpleName() + " without " + SpiceChannel.CHANNEL_TYPE,
                    prop);
            assertTrue(bsn + ": " + SpiceChannel.CHANNEL_TYPE + " must be an Integer, not "
                    + prop.getClass().getName(), prop instanceof Integer);
            T f = context.getService(ref);
            try {
                int actual = f instanceof ServerChannelFactory sf ? sf.channelType()
                        : ((ClientChannelFactory) f).channelType();
                assertEquals(bsn + ": property vs. channelType() of its " + type.getSimpleName(), actual,
                        ((Integer) prop).intValue());
            } finally {
                context.ungetService(ref);
            }
            out.computeIfAbsent(bsn, k -> new TreeSet<>()).add((Integer) prop);
        }
        assertFalse("no " + type.getSimpleName() + " services at all", out.isEmpty());
        return out;
    }
}
