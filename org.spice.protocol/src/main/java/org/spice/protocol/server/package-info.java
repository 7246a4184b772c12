/** The server role as a service: the shared desktop session, its connected clients, and its configuration. */
@Export
@Version("1.1.0")
package org.spice.protocol.server;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
