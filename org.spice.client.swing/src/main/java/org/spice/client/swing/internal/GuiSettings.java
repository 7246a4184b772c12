package org.spice.client.swing.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The GUI's own settings, kept per user next to the client settings, in
 * {@code $XDG_CONFIG_HOME/spice-jvm/gui.properties} (or {@code ~/.config/...}; the system property
 * {@code spice.gui.settings} names another file): whether a window resizes the guest to its size, whether it shows
 * its status line, and the recent
 * connections of the connection dialog. Never a password: addresses are stored without their query.
 */
final class GuiSettings {
    private static final System.Logger LOG = System.getLogger("org.spice.client.swing");
    static final String RESIZE_GUEST = "resize-guest";
    static final String STATUS_LINE = "status-line";
    static final String RECENT = "recent.";
    /** How many recent connections the dialog lists. */
    static final int RECENT_MAX = 10;

    private final Path file;
    private final Properties values = new Properties();

    GuiSettings(Path file) {
        this.file = file;
        if (Files.isReadable(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                values.load(r);
            } catch (IOException | IllegalArgumentException e) {
                LOG.log(Level.WARNING, "ignoring the GUI settings in " + file + ": " + e.getMessage());
                values.clear();
            }
        }
    }

    /** The user's settings file. */
    static GuiSettings load() {
        String explicit = System.getProperty("spice.gui.settings");
        if (explicit != null) {
            return new GuiSettings(Path.of(explicit));
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return new GuiSettings(base.resolve("spice-jvm").resolve("gui.properties"));
    }

    synchronized boolean resizeGuest() {
        return !"false".equals(values.getProperty(RESIZE_GUEST));
    }

    synchronized void setResizeGuest(boolean on) {
        values.setProperty(RESIZE_GUEST, Boolean.toString(on));
        save();
    }

    synchronized boolean statusLine() {
        return !"false".equals(values.getProperty(STATUS_LINE));
    }

    synchronized void setStatusLine(boolean on) {
        values.setProperty(STATUS_LINE, Boolean.toString(on));
        save();
    }

    /** The recent connections, newest first. */
    synchronized List<String> recent() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < RECENT_MAX; i++) {
            String v = values.getProperty(RECENT + i);
            if (v != null && !v.isBlank()) {
                out.add(v);
            }
        }
        return out;
    }

    /** Puts {@code uri} first among the recent connections, without a {@code password=} parameter. */
    synchronized void remember(String uri) {
        String clean = withoutPassword(uri);
        List<String> list = new ArrayList<>(recent());
        list.remove(clean);
        list.add(0, clean);
        for (int i = 0; i < RECENT_MAX; i++) {
            if (i < list.size()) {
                values.setProperty(RECENT + i, list.get(i));
            } else {
                values.remove(RECENT + i);
            }
        }
        save();
    }

    /** {@code uri} without its {@code password=} query parameters. */
    static String withoutPassword(String uri) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return uri;
        }
        List<String> kept = new ArrayList<>();
        for (String p : uri.substring(q + 1).split("&")) {
            if (!p.isEmpty() && !p.toLowerCase(java.util.Locale.ROOT).startsWith("password=")) {
                kept.add(p);
            }
        }
        return uri.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                values.store(w, "SPICE client GUI settings (View menu, connection dialog); no passwords");
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot save the GUI settings in " + file + ": " + e.getMessage());
        }
    }
}
