/**
 * The {@code spice} command line's SPI. A bundle contributes a subcommand by registering a
 * {@link org.spice.cli.CommandProvider} service (a DS component): its {@code name()} and, for each run, a fresh
 * picocli-annotated command object made over the runtime's {@link org.spice.cli.CommandContext}. The runtime builds
 * its command line from the providers registered when it runs, so a command comes and goes with its bundle.
 * {@link org.spice.cli.ClientCommand} is what every client command does around its own work (URI, the
 * {@link org.spice.cli.ClientAuth} options, connecting, {@link org.spice.cli.ExitCodes}); {@link
 * org.spice.cli.OptionChecks}, {@link org.spice.cli.ConfiguredService} and {@link org.spice.cli.LocalServer} are
 * the checks and waits several commands make.
 */
@Export
@Version("1.1.0")
package org.spice.cli;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
