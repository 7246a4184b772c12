/**
 * The client GUI's API: {@link org.spice.client.swing.api.Viewer}, the service that shows a client session in
 * windows, and {@link org.spice.client.swing.api.VvFile}, remote-viewer's connection files. 0.3.0: the password
 * dialog's answer says whether the platform keychain should keep it.
 */
@Export
@Version("1.0.0")
package org.spice.client.swing.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
