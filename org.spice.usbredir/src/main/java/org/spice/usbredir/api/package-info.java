/**
 * The usbredir bundle's API: USB devices a client shares with a server ({@link org.spice.usbredir.api.UsbDevice},
 * the emulated {@link org.spice.usbredir.api.MassStorage} disks and CD-ROMs, {@link
 * org.spice.usbredir.api.UsbSharing}), and devices a client redirected to our server ({@link
 * org.spice.usbredir.api.RedirectedUsbDevice}).
 */
@Export
@Version("0.1.0")
package org.spice.usbredir.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
