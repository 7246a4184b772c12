/**
 * The record bundle's API: {@link org.spice.record.api.AudioSink}, where the server role puts what clients
 * record, and {@link org.spice.record.api.ClientRecords}, what the client role sends.
 */
@Export
@Version("1.2.0")
package org.spice.record.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
