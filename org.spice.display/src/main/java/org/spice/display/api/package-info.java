/**
 * The display bundle's API: {@link org.spice.display.api.ClientDisplays}, what the client role has decoded. What
 * the server role shows is the desktop SPI's {@link org.spice.desktop.DisplaySource} (bundle org.spice.desktop);
 * 1.0.0 because DisplaySource, Frame, Pointer and Rect moved there; 1.1.0 added the heads of a display and
 * {@link org.spice.display.api.DisplaySettings}, the server settings' values; 1.2.0 the video end listener;
 * 1.3.0 the live stream codecs; 1.4.0 how many surfaces of each format were created; 1.5.0 skipping video decoding.
 */
@Export
@Version("1.5.0")
package org.spice.display.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
