/**
 * The usbredir bundle's API, small on purpose so front ends (command line, GUI) need nothing else.
 * <ul>
 * <li>Client role, sharing: {@link org.spice.usbredir.api.UsbSharing} shares a {@link
 * org.spice.usbredir.api.UsbDevice} on a usbredir channel and removes it again; devices come from {@link
 * org.spice.usbredir.api.MassStorage} (emulated disks and CD-ROMs backed by files) or {@link
 * org.spice.usbredir.api.HostUsbDevices} (devices plugged into this machine, when the optional host bundle runs).
 * <li>Filters: {@link org.spice.usbredir.api.UsbRedirFilter} reads and applies usbredir/spice-gtk filter rules to a
 * {@link org.spice.usbredir.api.UsbIdentity}.
 * <li>Server role: {@link org.spice.usbredir.api.RedirectedUsbDevice} services, one per device a client
 * redirected to us, also listed by {@link org.spice.usbredir.api.RedirectedUsbDevices}; {@link
 * org.spice.usbredir.api.UsbDeviceAdmission} services may refuse a client's device.
 * </ul>
 */
@Export
@Version("1.1.0")
package org.spice.usbredir.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
