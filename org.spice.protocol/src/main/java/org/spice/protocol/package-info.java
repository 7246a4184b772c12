/** SPICE protocol vocabulary shared by every channel bundle: channel types, capabilities, link errors, URIs. */
@Export
@Version("1.0.0")
package org.spice.protocol;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
