package org.spice.cli;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checks of command-line values that several commands make. Each refuses with an
 * {@link IllegalArgumentException} whose message the command prints after {@code error: } before exiting with
 * {@link ExitCodes#USAGE}, so the same mistake reads the same in every command.
 */
public final class OptionChecks {
    /** {@code HOST:PORT} as a listening address: a name or address (an IPv6 one in brackets) and a port. */
    public static final String HOST_PORT = "(\\[[0-9a-fA-F:.]+\\]|[^:\\s]*):\\d{1,5}";

    private OptionChecks() {
    }

    /** A file the command reads (a recording, a password file): refused when it cannot be read or is a directory. */
    public static void readableFile(Path file) {
        if (file != null && (!Files.isReadable(file) || Files.isDirectory(file))) {
            throw new IllegalArgumentException("cannot read " + file);
        }
    }

    /** A directory the command writes into, made when missing: refused when something else has that name. */
    public static void directoryOrAbsent(Path dir, String what) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(what + " is not a directory");
        }
    }

    /** A folder the command shares, which must be there. */
    public static void folder(Path dir, String what) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(what + ": not a folder");
        }
    }

    /** A whole number option from {@code min} to {@code max}. */
    public static void range(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be " + min + ".." + max + ", not " + value);
        }
    }

    /** {@code HOST:PORT} (the host a name or address, the port 1..65535) of {@code option}, not resolved yet. */
    public static InetSocketAddress hostPort(String option, String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException(option + " wants HOST:PORT, not " + value);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " " + value + ": bad port");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(option + " " + value + ": port out of range");
        }
        return InetSocketAddress.createUnresolved(value.substring(0, colon), port);
    }
}
