package org.spice.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The user's client settings, kept between runs in {@code $XDG_CONFIG_HOME/spice-jvm/client.properties} (or
 * {@code ~/.config/...}): defaults for the TLS CA file, the expected certificate subject, the timeout and the image
 * compression and video codecs the display asks the server to prefer, which
 * command-line options override. Passwords are never stored here.
 */
public record ClientSettings(Path caFile, String hostSubject, Integer timeoutSeconds, String preferredCompression,
        String preferredVideoCodecs) {
    public static final String CA_FILE = "ca-file";
    public static final String HOST_SUBJECT = "host-subject";
    public static final String TIMEOUT = "timeout";
    public static final String PREFERRED_COMPRESSION = "preferred-compression";
    public static final String PREFERRED_VIDEO_CODEC = "preferred-video-codec";

    public ClientSettings(Path caFile, String hostSubject, Integer timeoutSeconds) {
        this(caFile, hostSubject, timeoutSeconds, null, null);
    }

    public static Path file() {
        String explicit = System.getProperty("spice.client.settings");
        if (explicit != null) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("spice-jvm").resolve("client.properties");
    }

    public static ClientSettings load() throws IOException {
        Path f = file();
        if (!Files.isReadable(f)) {
            return new ClientSettings(null, null, null);
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        String ca = p.getProperty(CA_FILE);
        String timeout = p.getProperty(TIMEOUT);
        try {
            return new ClientSettings(ca == null || ca.isBlank() ? null : Path.of(ca), p.getProperty(HOST_SUBJECT),
                    timeout == null || timeout.isBlank() ? null : Integer.valueOf(timeout.strip()),
                    p.getProperty(PREFERRED_COMPRESSION), p.getProperty(PREFERRED_VIDEO_CODEC));
        } catch (NumberFormatException e) {
            throw new IOException(f + ": timeout is not a number: " + timeout);
        }
    }

    public void save() throws IOException {
        Properties p = new Properties();
        if (caFile != null) {
            p.setProperty(CA_FILE, caFile.toAbsolutePath().toString());
        }
        if (hostSubject != null) {
            p.setProperty(HOST_SUBJECT, hostSubject);
        }
        if (timeoutSeconds != null) {
            p.setProperty(TIMEOUT, timeoutSeconds.toString());
        }
        if (preferredCompression != null) {
            p.setProperty(PREFERRED_COMPRESSION, preferredCompression);
        }
        if (preferredVideoCodecs != null) {
            p.setProperty(PREFERRED_VIDEO_CODEC, preferredVideoCodecs);
        }
        Path f = file();
        Files.createDirectories(f.getParent());
        try (Writer w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            p.store(w, "SPICE client settings (spice client-settings); command-line options override them");
        }
    }
}
