/** The client role as a service: connect to a SPICE server and link its channels. */
@Export
@Version("1.1.0")
package org.spice.protocol.client;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
