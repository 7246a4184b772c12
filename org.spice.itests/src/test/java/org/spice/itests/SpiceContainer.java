package org.spice.itests;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.jar.JarFile;
import javax.inject.Inject;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.spice.cli.CommandProvider;
import org.spice.protocol.ChannelType;
import org.spice.protocol.server.SpiceServer;
import org.spice.protocol.spi.ServerChannelFactory;

/**
 * What every Pax Exam test here boots: Felix (the native container, in the test JVM) with the bundles the reactor
 * built and the platform bundles of the runtime, as listed in {@code target/spice-bundles.txt} by the
 * maven-dependency-plugin (every compile and runtime dependency of this module but the framework and the
 * launcher-only bundles). Tests run inside the framework, in Pax Exam's probe bundle.
 */
public abstract class SpiceContainer {
    /** The list the build writes; the tests' working directory is the module. */
    static final Path BUNDLE_LIST = Path.of(System.getProperty("spice.bundles.file", "target/spice-bundles.txt"));

    @Inject
    protected BundleContext context;

    @Inject
    protected ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() throws IOException {
        return options(
                junitBundles(),
                cleanCaches(),
                // Fail when a bundle does not resolve instead of running the tests without it.
                systemProperty("pax.exam.osgi.unresolved.fail").value("true"),
                systemProperty("ds.loglevel").value("warn"),
                composite(bundleOptions()));
    }

    /** The jars of target/spice-bundles.txt, each installed and started from its file: URL. */
    static Option[] bundleOptions() throws IOException {
        if (!Files.isRegularFile(BUNDLE_LIST)) {
            throw new IllegalStateException(BUNDLE_LIST.toAbsolutePath() + " is missing: run the tests through"
                    + " Maven (./mvnw -B verify), which lists the bundles there");
        }
        List<Option> out = new ArrayList<>();
        for (String p : Files.readString(BUNDLE_LIST).strip().split(java.io.File.pathSeparator)) {
            Path jar = Path.of(p);
            try (JarFile j = new JarFile(jar.toFile())) {
                if (j.getManifest() == null
                        || j.getManifest().getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                    throw new IllegalStateException(jar + " is not a bundle; exclude it in the pom's bundle list");
                }
            }
            out.add(bundle(jar.toUri().toString()).start());
        }
        return out.toArray(Option[]::new);
    }

    /** A port on 127.0.0.1 that nothing listens on now. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    /** Configures {@code org.spice.server} to listen on a free loopback port and waits for the server service. */
    protected SpiceServer startServer() throws Exception {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("listen", "127.0.0.1:" + freePort());
        props.put("name", "pax-exam");
        ServiceTracker<SpiceServer, SpiceServer> t = new ServiceTracker<>(context, SpiceServer.class, null);
        t.open();
        try {
            configAdmin.getConfiguration("org.spice.server", "?").update(props);
            SpiceServer s = t.waitForService(TimeUnit.SECONDS.toMillis(20));
            assertNotNull("the SPICE server service did not appear after configuring org.spice.server", s);
            return s;
        } finally {
            t.close();
        }
    }

    /**
     * Configures the display's server side ({@code org.spice.display}): the demo source, sending its video window
     * as bitmaps rather than MJPEG, which keeps several clients in one JVM cheap on a small, busy machine (the
     * display module's own tests cover streaming).
     */
    protected void configureDisplay() throws IOException {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("source", "demo");
        props.put("streaming.video", "off");
        configAdmin.getConfiguration("org.spice.display", "?").update(props);
    }

    protected <S> S service(Class<S> type) throws InterruptedException {
        ServiceTracker<S, S> t = new ServiceTracker<>(context, type, null);
        t.open();
        try {
            S s = t.waitForService(TimeUnit.SECONDS.toMillis(20));
            assertNotNull("no " + type.getName() + " service", s);
            return s;
        } finally {
            t.close();
        }
    }

    protected Bundle installed(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    /** Polls {@code condition} every 20 ms until it holds, failing with {@code what} after {@code millis}. */
    static void await(String what, long millis, BooleanSupplier condition) throws InterruptedException {
        await(() -> what, millis, condition);
    }

    /** As {@link #await(String, long, BooleanSupplier)}, describing the state at the time it gives up. */
    static void await(Supplier<String> what, long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + millis + " ms waiting for: " + what.get());
            }
            Thread.sleep(20);
        }
    }

    /** The channel factories of one role registered now, as bundle:type. */
    protected Set<String> factories(Class<?> role) throws Exception {
        Set<String> out = new TreeSet<>();
        for (ServiceReference<?> ref : context.getServiceReferences(role, null)) {
            Object type = ref.getProperty(ServerChannelFactory.CHANNEL_TYPE);
            out.add(ref.getBundle().getSymbolicName() + ":" + (type instanceof Integer t ? ChannelType.name(t) : type));
        }
        return out;
    }

    /** The spice command-line commands registered now (CommandProvider services), by bundle. */
    protected Map<String, Set<String>> cliCommandsByBundle() throws Exception {
        Map<String, Set<String>> out = new TreeMap<>();
        for (ServiceReference<CommandProvider> ref : context.getServiceReferences(CommandProvider.class, null)) {
            CommandProvider p = context.getService(ref);
            if (p != null) {
                try {
                    out.computeIfAbsent(ref.getBundle().getSymbolicName(), k -> new TreeSet<>()).add(p.name());
                } finally {
                    context.ungetService(ref);
                }
            }
        }
        return out;
    }

    protected Set<String> cliCommands() {
        try {
            Set<String> out = new TreeSet<>();
            cliCommandsByBundle().forEach((bsn, names) -> names.forEach(n -> out.add(bsn + ":" + n)));
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The channel types the server offers, by name (ids dropped). */
    protected static Set<String> offered(SpiceServer server) {
        Set<String> out = new TreeSet<>();
        for (String c : server.offeredChannels()) {
            out.add(c.substring(0, c.indexOf(':')));
        }
        out.remove("main");
        return out;
    }

    protected Map<String, Set<String>> channelsByBundle() throws Exception {
        Map<String, Set<String>> out = new TreeMap<>();
        for (ServiceReference<ServerChannelFactory> ref : context.getServiceReferences(ServerChannelFactory.class,
                null)) {
            out.computeIfAbsent(ref.getBundle().getSymbolicName(), k -> new TreeSet<>())
                    .add(ChannelType.name((Integer) ref.getProperty(ServerChannelFactory.CHANNEL_TYPE)));
        }
        return out;
    }

    /** The spice:* Gogo command functions registered now, by bundle. */
    protected Map<String, Set<String>> commandsByBundle() throws Exception {
        Map<String, Set<String>> out = new TreeMap<>();
        ServiceReference<?>[] refs = context.getServiceReferences((String) null, "(osgi.command.scope=spice)");
        for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
            Object f = ref.getProperty("osgi.command.function");
            Set<String> functions = out.computeIfAbsent(ref.getBundle().getSymbolicName(), k -> new TreeSet<>());
            if (f instanceof String[] names) {
                functions.addAll(Set.of(names));
            } else if (f != null) {
                functions.add(f.toString());
            }
        }
        return out;
    }

    protected Set<String> commandFunctions() {
        try {
            Set<String> out = new TreeSet<>();
            commandsByBundle().forEach((bsn, fs) -> fs.forEach(f -> out.add(bsn + ":" + f)));
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
