/**
 * The agent bundle's API. Server role: {@link org.spice.agent.api.ServerClipboard}, the clipboard our server's
 * agent shares with its clients. Client role: {@link org.spice.agent.api.ClientAgents} gives the
 * {@link org.spice.agent.api.ClientAgent} of a client session (clipboard, monitors config, file transfer).
 */
@Export
@Version("1.1.0")
package org.spice.agent.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
