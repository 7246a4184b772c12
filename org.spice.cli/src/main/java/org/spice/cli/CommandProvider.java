package org.spice.cli;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One subcommand of the {@code spice} command line, registered as a service by the bundle that owns it: removing
 * the bundle removes the command. The runtime asks for a new command object on every run, so that picocli parses
 * into fresh fields.
 */
@ConsumerType
public interface CommandProvider {
    /** The subcommand's name, e.g. {@code port}; unique in a runtime. */
    String name();

    /** A new picocli command object ({@code @Command}, a {@code Callable<Integer>} or {@code Runnable}). */
    Object command(CommandContext context);
}
