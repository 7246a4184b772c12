/**
 * The display bundle's API: {@link org.spice.display.api.DisplaySource}, what the server role shows, and
 * {@link org.spice.display.api.ClientDisplays}, what the client role has decoded.
 */
@Export
@Version("0.4.0")
package org.spice.display.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
