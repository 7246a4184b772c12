/** The cursor bundle's API: the cursor a client session shows, and the shape type shared by both roles. */
@Export
@Version("1.0.0")
package org.spice.cursor.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
