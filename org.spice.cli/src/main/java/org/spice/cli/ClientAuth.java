package org.spice.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import picocli.CommandLine.Option;

/** Password, SASL user and TLS options of client commands. */
public final class ClientAuth {
    @Option(names = "--password-file", description = "File with the password (or set SPICE_PASSWORD).")
    public Path passwordFile;

    @Option(names = "--user", paramLabel = "NAME", description = "SASL user name (or set SPICE_USER); the"
            + " password is the SASL password then.")
    public String user;

    @Option(names = "--ca-file", description = "PEM file of the CA that signed the server certificate.")
    public Path caFile;

    @Option(names = "--host-subject", description = "Expected server certificate subject, e.g. 'C=XX,O=..,CN=..'.")
    public String hostSubject;

    @Option(names = "--timeout", description = "Seconds to wait for each step (default 10, or the saved"
            + " client settings').")
    public Integer timeoutSecondsOption;

    @Option(names = "--server-silence", paramLabel = "SECONDS", description = "Seconds the server may send nothing"
            + " at all (servers ping an idle connection, QEMU every 15 s) before the connection counts as lost and"
            + " the command ends with exit 3 (default 45).")
    public Integer serverSilenceSeconds;

    /** Loaded by options(); saved defaults for what the command line leaves out. */
    private ClientSettings saved = new ClientSettings(null, null, null);

    /** --timeout, else the saved client settings' timeout, else 10 s. */
    public int timeoutSeconds() {
        return timeoutSecondsOption != null ? timeoutSecondsOption
                : saved.timeoutSeconds() != null ? saved.timeoutSeconds() : 10;
    }

    /** Refuses a malformed SPICE_PROXY, or a server silence limit under a second, before anything connects. */
    public void checkEnvironment() {
        if (serverSilenceSeconds != null && serverSilenceSeconds < 1) {
            throw new IllegalArgumentException("--server-silence must be at least 1 second, not "
                    + serverSilenceSeconds);
        }
        String proxy = System.getenv("SPICE_PROXY");
        if (proxy != null && !proxy.isBlank()) {
            try {
                ClientOptions.parseProxy(proxy);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("SPICE_PROXY: " + e.getMessage());
            }
        }
    }

    /** The client options of this command line, the saved settings and the environment for {@code uri}. */
    public ClientOptions options(CommandContext rt, SpiceUri uri) throws IOException {
        checkEnvironment();
        saved = ClientSettings.load();
        String pw;
        if (passwordFile != null) {
            pw = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
        } else if (System.getenv("SPICE_PASSWORD") != null) {
            pw = System.getenv("SPICE_PASSWORD");
        } else {
            pw = uri.password();
            if (pw != null) {
                rt.err().println("warning: a password in the URI is visible to other users and in shell"
                        + " history; use --password-file or SPICE_PASSWORD");
            }
        }
        String name = user != null ? user : System.getenv("SPICE_USER");
        String proxy = System.getenv("SPICE_PROXY");
        return new ClientOptions(pw, caFile != null ? caFile : saved.caFile(),
                hostSubject != null ? hostSubject : saved.hostSubject(), true,
                Duration.ofSeconds(timeoutSeconds()), saved.preferredCompression(), saved.preferredVideoCodecs(),
                name, proxy == null || proxy.isBlank() ? null : ClientOptions.parseProxy(proxy),
                serverSilenceSeconds == null ? ClientOptions.DEFAULT_SERVER_SILENCE
                        : Duration.ofSeconds(serverSilenceSeconds));
    }
}
