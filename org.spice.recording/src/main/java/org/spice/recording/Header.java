package org.spice.recording;

/**
 * A recording's header.
 *
 * @param startMillis when the recording began, milliseconds since the epoch
 * @param description what was recorded, e.g. the VM's address (never a password)
 */
public record Header(long startMillis, String description) {
}
