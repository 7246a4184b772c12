package org.spice.runtime.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.spice.cli.ExitCodes;
import org.spice.protocol.server.SaslUsers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Adds or replaces a user in a SASL users file for {@code server --sasl-users}; the password never is stored. */
@Command(name = "sasl-user", mixinStandardHelpOptions = true,
        description = "Add or replace USER in the SASL users FILE (created readable by its owner only), with the"
                + " password from --password-file or SPICE_PASSWORD.")
final class SaslUserCommand implements Callable<Integer> {
    private final Runtime rt;

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Parameters(index = "1", paramLabel = "USER")
    String user;

    @Option(names = "--password-file", description = "File with the user's password (or set SPICE_PASSWORD).")
    Path passwordFile;

    @Option(names = "--realm", description = "DIGEST-MD5 realm (default ${DEFAULT-VALUE}); one per file.")
    String realm = "spice";

    SaslUserCommand(Runtime rt) {
        this.rt = rt;
    }

    @Override
    public Integer call() {
        try {
            String pw = passwordFile != null ? Files.readString(passwordFile, StandardCharsets.UTF_8).strip()
                    : System.getenv("SPICE_PASSWORD");
            if (pw == null || pw.isEmpty()) {
                rt.err().println("error: no password: give --password-file F or set SPICE_PASSWORD");
                return ExitCodes.USAGE;
            }
            String line = SaslUsers.line(user, realm, pw.toCharArray());
            List<String> lines = new ArrayList<>();
            if (Files.exists(file)) {
                for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!l.startsWith(user + ":")) {
                        lines.add(l);
                    }
                }
            } else {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            lines.add(line);
            Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            SaslUsers.read(file);
            rt.out().println("user " + user + " (realm " + realm + ") written to " + file);
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            rt.err().println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
    }
}
