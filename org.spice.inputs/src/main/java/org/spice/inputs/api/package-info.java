/**
 * The inputs bundle's API. Server role: {@link org.spice.inputs.api.InputSink}, the services that receive what
 * clients type and point. Client role: {@link org.spice.inputs.api.ClientInputs}, which sends keys and pointer
 * events to a server. {@link org.spice.inputs.api.UsKeyboard} maps text and key names to PC scancodes and back.
 */
@Export
@Version("0.2.0")
package org.spice.inputs.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
