package org.spice.client.swing.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The platform keychain, where a password is kept only when the user asks for it in the password dialog: the
 * freedesktop Secret Service (GNOME Keyring, KWallet, KeePassXC) through libsecret's {@code secret-tool}, which
 * takes the secret on its standard input and prints it on its standard output, never on a command line. Each
 * password is an item with the attributes {@code application=org.spice.client} and {@code server=<address without
 * its password query>}. Other platforms have no keychain here yet ({@link #unavailable()} says so).
 */
final class Keychain {
    private static final System.Logger LOG = System.getLogger("org.spice.client.swing");
    static final String APPLICATION = "org.spice.client";
    /** secret-tool may wait for an unlock prompt; a dialog must not wait longer than this for it. */
    private static final long WAIT_SECONDS = 20;
    /** A password longer than this from the keychain is not one of ours. */
    private static final int MAX_PASSWORD_BYTES = 4096;

    private final String secretTool;
    private final String unavailable;

    Keychain(String secretTool, String unavailable) {
        this.secretTool = secretTool;
        this.unavailable = unavailable;
    }

    /** This machine's keychain: secret-tool on the PATH and a D-Bus session bus (where the Secret Service is). */
    static Keychain platform() {
        return find(System.getenv());
    }

    static Keychain find(Map<String, String> env) {
        String bus = env.get("DBUS_SESSION_BUS_ADDRESS");
        String tool = onPath(env.get("PATH"), "secret-tool");
        if (tool == null) {
            return new Keychain(null, "no keychain: secret-tool (Debian package libsecret-tools) is not installed");
        }
        if (bus == null || bus.isBlank()) {
            return new Keychain(null, "no keychain: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)");
        }
        return new Keychain(tool, null);
    }

    private static String onPath(String path, String name) {
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (!dir.isEmpty() && f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    /** Why no password can be kept here, or null when it can. */
    String unavailable() {
        return unavailable;
    }

    /** The password kept for {@code server}, or null when none is (or the keychain does not answer). */
    String lookup(String server) {
        if (unavailable != null) {
            return null;
        }
        Result r = run(List.of("lookup", "application", APPLICATION, "server", key(server)), null);
        if (r == null || r.exit != 0 || r.out.length == 0) {
            return null; // exit 1 with nothing printed: no such item
        }
        return new String(r.out, StandardCharsets.UTF_8);
    }

    /** Keeps {@code password} for {@code server}; false (logged, without the password) when the keychain refused. */
    boolean store(String server, String password) {
        if (unavailable != null) {
            return false;
        }
        Result r = run(List.of("store", "--label=SPICE password for " + key(server), "application", APPLICATION,
                "server", key(server)), password.getBytes(StandardCharsets.UTF_8));
        if (r == null || r.exit != 0) {
            LOG.log(Level.WARNING, "the keychain did not keep the password for " + key(server)
                    + (r == null ? "" : ": secret-tool exit " + r.exit + " " + r.err.strip()));
            return false;
        }
        LOG.log(Level.INFO, "the keychain keeps the password for " + key(server));
        return true;
    }

    /** Removes the password kept for {@code server}, if any. */
    void clear(String server) {
        if (unavailable == null) {
            run(List.of("clear", "application", APPLICATION, "server", key(server)), null);
            LOG.log(Level.INFO, "removed the password for " + key(server) + " from the keychain");
        }
    }

    /** The item's server attribute: the address without a password query. */
    static String key(String server) {
        return GuiSettings.withoutPassword(server);
    }

    private record Result(int exit, byte[] out, String err) {
    }

    /** Runs secret-tool with {@code stdin} as its input; null (logged) when it could not run or took too long. */
    private Result run(List<String> args, byte[] stdin) {
        List<String> cmd = new ArrayList<>();
        cmd.add(secretTool);
        cmd.addAll(args);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "the keychain cannot be asked: " + e.getMessage());
            return null;
        }
        try {
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            // its answer fits the pipe, so it is read once secret-tool ended (a prompt that never closes cannot block)
            if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                LOG.log(Level.WARNING, "the keychain did not answer within " + WAIT_SECONDS + " s");
                return null;
            }
            byte[] out;
            try (InputStream o = p.getInputStream()) {
                out = o.readNBytes(MAX_PASSWORD_BYTES + 1);
            }
            String err;
            try (InputStream e = p.getErrorStream()) {
                err = new String(e.readNBytes(4096), StandardCharsets.UTF_8);
            }
            if (out.length > MAX_PASSWORD_BYTES) {
                LOG.log(Level.WARNING, "the keychain's answer is longer than " + MAX_PASSWORD_BYTES + " bytes; ignored");
                return null;
            }
            return new Result(p.exitValue(), out, err);
        } catch (IOException e) {
            p.destroyForcibly();
            LOG.log(Level.WARNING, "the keychain cannot be asked: " + e.getMessage());
            return null;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
