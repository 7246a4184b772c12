/**
 * The playback bundle's API: {@link org.spice.playback.api.AudioSource}, what the server role plays, and
 * {@link org.spice.playback.api.ClientPlaybacks}, what the client role has received.
 */
@Export
@Version("1.0.0")
package org.spice.playback.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
