/**
 * SPICE wire codecs: pure functions between message records and little-endian bytes, with no I/O. Every
 * decoder checks each length against the bytes present and against a limit before it allocates, and throws
 * {@link org.spice.protocol.SpiceProtocolException} for anything malformed.
 *
 * <p>One style for every channel: a final class {@code XxxMessages} holds the type numbers of one channel as
 * constants and one record per message; each record implements {@link org.spice.protocol.wire.SpiceMessage}
 * to encode itself and has a static {@code decode(ByteBuf)}.
 */
@Export
@Version("1.1.0")
package org.spice.protocol.wire;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
