/**
 * The client GUI's API: {@link org.spice.client.swing.api.Viewer}, the service that shows a client session in
 * windows, and {@link org.spice.client.swing.api.VvFile}, remote-viewer's connection files.
 */
@Export
@Version("0.2.0")
package org.spice.client.swing.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
