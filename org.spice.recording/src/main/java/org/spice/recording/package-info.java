/**
 * The recording format of the gateway's sessions (docs/recording.md): a {@link org.spice.recording.RecordingWriter}
 * writes a header, then what the VM's display and cursor channels showed, as new surfaces, changed regions and
 * pointer states, each with the milliseconds since the recording began; a {@link org.spice.recording.RecordingReader}
 * reads them back, checking every length against the format's limits before allocating, and a
 * {@link org.spice.recording.RecordingState} applies them to a picture. Pure code over streams: no threads, no files.
 */
@Export
@Version("1.0.0")
package org.spice.recording;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
