/**
 * The port and tunnel bundle's API. Client role: {@link org.spice.tunnel.api.ClientPorts} opens a named port of a
 * session as a pair of streams, {@link org.spice.tunnel.api.TunnelClient} shares local TCP services with the
 * server. Server role: register {@link org.spice.tunnel.api.ServerPort} services to offer ports, and ask
 * {@link org.spice.tunnel.api.TunnelServer} where the shared services listen.
 */
@Export
@Version("1.1.0")
package org.spice.tunnel.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
