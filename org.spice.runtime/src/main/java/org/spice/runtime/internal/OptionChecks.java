package org.spice.runtime.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.spice.protocol.server.ServerConfig;
import org.spice.recording.RecordingFormatException;

/**
 * The checks of command-line values that several commands make. Each refuses with an
 * {@link IllegalArgumentException} whose message the command prints after {@code error: } before exiting with
 * {@link SpiceCli#EXIT_USAGE}, so the same mistake reads the same in every command.
 */
final class OptionChecks {
    private OptionChecks() {
    }

    /** A file the command reads (a recording, a password file): refused when it cannot be read or is a directory. */
    static void readableFile(Path file) {
        if (file != null && (!Files.isReadable(file) || Files.isDirectory(file))) {
            throw new IllegalArgumentException("cannot read " + file);
        }
    }

    /** A directory the command writes into, made when missing: refused when something else has that name. */
    static void directoryOrAbsent(Path dir, String what) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(what + " is not a directory");
        }
    }

    /** A folder the command shares, which must be there. */
    static void folder(Path dir, String what) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(what + ": not a folder");
        }
    }

    /** A whole number option from {@code min} to {@code max}. */
    static void range(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be " + min + ".." + max + ", not " + value);
        }
    }

    /** {@code HOST:PORT} (the host a name or address, the port 1..65535) of {@code option}, not resolved yet. */
    static InetSocketAddress hostPort(String option, String value) {
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

    /**
     * For the commands that set up this runtime's server themselves (gateway, replay): the server's or the display's
     * configuration file in the deploy directory, which would fight theirs, or null when there is none.
     */
    static Path deployedServerConfig(Runtime rt) {
        Path server = ServerOptions.deployedConfig(rt, ServerConfig.PID);
        return server != null ? server : ServerOptions.deployedConfig(rt, SpiceCli.DISPLAY_PID);
    }

    /**
     * The recording in {@code file} read through (replay, export), or null after printing why it cannot be shown:
     * not a recording, truncated or corrupt, or no picture in it; the command then exits with
     * {@link ReplayCommand#EXIT_DATA}.
     */
    static RecordingScan recordingWithPictures(Runtime rt, Path file) throws IOException {
        RecordingScan scan;
        try {
            scan = RecordingScan.of(file);
        } catch (RecordingFormatException e) {
            rt.err().println("error: " + file + ": " + e.getMessage());
            return null;
        }
        if (scan.updates() == 0) {
            rt.err().println("error: " + file + " holds no picture");
            return null;
        }
        return scan;
    }
}
