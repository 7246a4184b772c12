/**
 * The channel SPI. A channel bundle registers a {@link org.spice.protocol.spi.ServerChannelFactory} and/or a
 * {@link org.spice.protocol.spi.ClientChannelFactory} as DS services; the engine offers the channel while the
 * service is there and closes the channel's connections when it goes away, leaving every other channel
 * running.
 */
@Export
@Version("1.0.0")
package org.spice.protocol.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
