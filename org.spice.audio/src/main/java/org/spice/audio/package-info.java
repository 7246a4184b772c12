/**
 * Audio pieces both sound channels share: the data modes of spice.proto, the Opus codec as spice-server uses
 * it (48 kHz stereo, 10 ms frames), PCM helpers and WAV files. Used by org.spice.playback and
 * org.spice.record, neither of which imports the other.
 */
@Export
@Version("1.0.0")
package org.spice.audio;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
