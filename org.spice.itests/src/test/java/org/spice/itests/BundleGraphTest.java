package org.spice.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/**
 * The bundle graph as docs/architecture.md draws it, read from the built bundles' manifests: channel bundles import
 * only the shared SPI bundles' packages (never another channel's), and the exported minimal runtime holds the
 * protocol, the display, the desktop SPI and its sources, the command-line SPI with their libraries and nothing
 * else.
 */
class BundleGraphTest {
    /**
     * The bundles every channel may import: the protocol with its channel SPI, the desktop SPI, the audio codecs, and
     * the command-line SPI through which a bundle contributes its spice commands.
     */
    static final Set<String> SPI_BUNDLES = Set.of("org.spice.protocol", "org.spice.desktop", "org.spice.audio",
            "org.spice.cli");
    /**
     * Bundles over channels rather than channels: the client GUI (windows over the display, cursor, inputs, usbredir
     * and agent client APIs), the host USB devices that plug into usbredir's API, the gateway (a client session over
     * the display, cursor, inputs and playback client APIs) and the video codecs that plug into the display's
     * {@code org.spice.display.video} SPI.
     */
    static final Set<String> OVER_CHANNELS = Set.of("org.spice.client.swing", "org.spice.usbredir.host",
            "org.spice.gateway", "org.spice.video");
    static final Path MINIMAL = Path.of(System.getProperty("spice.root", ".."), "org.spice.runtime", "target",
            "spice-minimal.jar");

    @Test
    void channelBundlesImportNoOtherChannelsPackages() throws IOException {
        Map<String, Manifest> bundles = spiceBundles();
        assertTrue(bundles.keySet().containsAll(Set.of("org.spice.protocol", "org.spice.desktop",
                "org.spice.desktop.sources", "org.spice.audio", "org.spice.display", "org.spice.cursor",
                "org.spice.inputs", "org.spice.playback", "org.spice.record", "org.spice.agent")),
                "bundles under test: " + bundles.keySet());
        Map<String, String> exporter = new TreeMap<>();
        bundles.forEach((bsn, m) -> names(m, "Export-Package").forEach(p -> exporter.put(p, bsn)));

        List<String> wrong = new ArrayList<>();
        for (var e : bundles.entrySet()) {
            String bsn = e.getKey();
            if (SPI_BUNDLES.contains(bsn) || OVER_CHANNELS.contains(bsn)) {
                continue;
            }
            for (String p : names(e.getValue(), "Import-Package")) {
                String from = exporter.get(p);
                if (p.startsWith("org.spice.") && !bsn.equals(from) && !SPI_BUNDLES.contains(from)) {
                    wrong.add(bsn + " imports " + p + " of " + from);
                }
            }
        }
        assertEquals(List.of(), wrong, "imports of another channel's packages");
        // The edges this graph once had, by name: they must not come back through a new SPI package either.
        assertFalse(names(bundles.get("org.spice.display"), "Import-Package").contains("org.spice.inputs.api"));
        assertFalse(names(bundles.get("org.spice.record"), "Import-Package").stream()
                .anyMatch(p -> p.startsWith("org.spice.playback")));
        for (String b : List.of("org.spice.cursor", "org.spice.agent", "org.spice.inputs")) {
            assertFalse(names(bundles.get(b), "Import-Package").stream()
                    .anyMatch(p -> p.startsWith("org.spice.display")), b + " imports the display's packages");
        }
        // Channel commands live in their bundles: the runtime imports none of those bundles' APIs, not even
        // dynamically, and each contributing bundle imports the command-line SPI. The inputs API only dynamically:
        // `bench server` types through it (and says so when the inputs bundle is missing).
        Manifest runtimeManifest = runtimeManifest();
        Set<String> runtime = names(runtimeManifest, "Import-Package");
        assertFalse(runtime.contains("org.spice.inputs.api"), "the runtime imports org.spice.inputs.api statically");
        runtime.addAll(names(runtimeManifest, "DynamicImport-Package"));
        assertTrue(runtime.contains("org.spice.cli"), "the runtime imports " + runtime);
        for (String api : List.of("org.spice.tunnel.api", "org.spice.usbredir.api", "org.spice.smartcard.api",
                "org.spice.agent.api", "org.spice.client.swing.api")) {
            assertFalse(runtime.contains(api), "the runtime imports " + api);
        }
        for (String b : List.of("org.spice.inputs", "org.spice.tunnel", "org.spice.usbredir", "org.spice.smartcard",
                "org.spice.agent", "org.spice.client.swing", "org.spice.gateway")) {
            assertTrue(names(bundles.get(b), "Import-Package").contains("org.spice.cli"), b + " contributes commands");
        }
        assertTrue(names(bundles.get("org.spice.record"), "Import-Package").contains("org.spice.audio"));
        assertTrue(names(bundles.get("org.spice.playback"), "Import-Package").contains("org.spice.audio"));
    }

    static final Path CLIENT = MINIMAL.resolveSibling("spice-client.jar");

    @Test
    void exportedMinimalRuntimeHoldsOnlyTheDisplayPlatform() throws IOException {
        Set<String> spice = new TreeSet<>();
        Set<String> others = new TreeSet<>();
        embeddedBundles(MINIMAL, spice, others);
        assertEquals(Set.of("org.spice.protocol", "org.spice.display", "org.spice.desktop",
                "org.spice.desktop.sources", "org.spice.cli", "org.spice.runtime"), spice,
                "SPICE bundles of spice-minimal.jar");
        // Their libraries: Netty, the Felix platform (SCR, ConfigAdmin, Metatype, FileInstall, Gogo), picocli, the launcher.
        for (String bsn : others) {
            assertTrue(bsn.startsWith("io.netty.") || bsn.startsWith("org.apache.felix.")
                    || bsn.startsWith("org.osgi.") || bsn.equals("picocli")
                    || bsn.equals("biz.aQute.launcher"), "spice-minimal.jar holds " + bsn);
        }
    }

    /**
     * The one-shot client runtime (what the spice script runs screenshot, probe and send-keys in) holds the bundles
     * those commands use and none of the platform's start-up weight they do not: no shell, FileInstall or MetaType,
     * and no desktop sources (what a server shows).
     */
    @Test
    void exportedClientRuntimeHoldsWhatTheOneShotCommandsUse() throws IOException {
        Set<String> spice = new TreeSet<>();
        Set<String> others = new TreeSet<>();
        embeddedBundles(CLIENT, spice, others);
        assertEquals(Set.of("org.spice.protocol", "org.spice.display", "org.spice.desktop", "org.spice.cli",
                "org.spice.runtime", "org.spice.cursor", "org.spice.inputs"), spice, "SPICE bundles of spice-client.jar");
        assertTrue(others.containsAll(Set.of("org.apache.felix.scr", "org.apache.felix.configadmin", "picocli")),
                "spice-client.jar holds " + others);
        for (String bsn : others) {
            assertTrue(bsn.startsWith("io.netty.") || bsn.equals("org.apache.felix.framework")
                    || bsn.equals("org.apache.felix.scr")
                    || bsn.equals("org.apache.felix.configadmin") || bsn.startsWith("org.osgi.")
                    || bsn.equals("picocli") || bsn.equals("biz.aQute.launcher"), "spice-client.jar holds " + bsn);
        }
    }

    /** The symbolic names of the bundles embedded in an exported runtime: SPICE's into spice, the rest into others. */
    private static void embeddedBundles(Path runtime, Set<String> spice, Set<String> others) throws IOException {
        assertTrue(Files.isRegularFile(runtime), runtime + " missing: org.spice.runtime exports it when packaged");
        try (JarFile launcher = new JarFile(runtime.toFile())) {
            for (JarEntry e : launcher.stream().toList()) {
                if (!e.getName().startsWith("jar/") || !e.getName().endsWith(".jar")) {
                    continue;
                }
                try (InputStream in = launcher.getInputStream(e); JarInputStream j = new JarInputStream(in)) {
                    Manifest m = j.getManifest();
                    assertNotNull(m, e.getName() + " has no manifest");
                    String bsn = bsn(m);
                    (bsn.startsWith("org.spice.") ? spice : others).add(bsn);
                }
            }
        }
    }

    /** The runtime bundle's manifest, as exported into spice-minimal.jar (the Pax Exam list leaves it out). */
    static Manifest runtimeManifest() throws IOException {
        try (JarFile launcher = new JarFile(MINIMAL.toFile())) {
            for (JarEntry e : launcher.stream().toList()) {
                if (e.getName().startsWith("jar/org.spice.runtime-") && e.getName().endsWith(".jar")) {
                    try (InputStream in = launcher.getInputStream(e); JarInputStream j = new JarInputStream(in)) {
                        return j.getManifest();
                    }
                }
            }
        }
        throw new AssertionError("no org.spice.runtime bundle in " + MINIMAL);
    }

    /** The SPICE bundles of the build's list, by symbolic name. */
    static Map<String, Manifest> spiceBundles() throws IOException {
        Map<String, Manifest> out = new TreeMap<>();
        for (String p : Files.readString(SpiceContainer.BUNDLE_LIST).strip().split(java.io.File.pathSeparator)) {
            try (JarFile j = new JarFile(p)) {
                Manifest m = j.getManifest();
                String bsn = bsn(m);
                if (bsn.startsWith("org.spice.")) {
                    out.put(bsn, m);
                }
            }
        }
        return out;
    }

    static String bsn(Manifest m) {
        String v = m.getMainAttributes().getValue("Bundle-SymbolicName");
        return v == null ? "" : v.split(";")[0].trim();
    }

    /** The package names of an OSGi header: clauses split at commas outside quotes, attributes dropped. */
    static Set<String> names(Manifest m, String header) {
        Set<String> out = new TreeSet<>();
        String v = m.getMainAttributes().getValue(new Attributes.Name(header));
        if (v == null) {
            return out;
        }
        boolean quoted = false;
        StringBuilder clause = new StringBuilder();
        for (char c : (v + ",").toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                out.add(clause.toString().split(";")[0].trim());
                clause.setLength(0);
            } else {
                clause.append(c);
            }
        }
        return out;
    }
}
